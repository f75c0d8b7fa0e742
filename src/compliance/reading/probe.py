"""Open a workbook in a child process first, for formats we cannot measure ourselves.

For .xlsx and .xls the reader measures each sheet before calamine builds it
(see :mod:`~compliance.reading.extent` and :mod:`~compliance.reading.biff`).
For .xlsb (binary records, rare in practice) it lets calamine build every
sheet in a child process with a memory ceiling: if calamine aborts there, the
file is refused and this process lives on. It doubles the time for an .xlsb,
and only for an .xlsb.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from compliance.errors import InputError

#: The child's address-space ceiling; calamine's grid costs 32 bytes a cell.
CHILD_MEMORY = 4 * 1024**3
CHILD_TIMEOUT = 300

_PROBE = """
import sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
for name in book.sheet_names:
    sheet = book.get_sheet_by_name(name)
    end = sheet.end
    print((end[0] + 1) * (end[1] + 1) if end else 0)
"""


def largest_sheet(path: Path, max_cells: int) -> int:
    """Cells in the largest sheet, as calamine builds it; raises InputError if it cannot."""
    ceiling = max(CHILD_MEMORY, max_cells * 64)

    def limit_memory() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))

    preexec = limit_memory if sys.platform != "win32" else None
    try:
        done = subprocess.run(
            [sys.executable, "-c", _PROBE, str(path)],
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            preexec_fn=preexec,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InputError(
            f"refusing a workbook that takes more than {CHILD_TIMEOUT} s to open", where=str(path)
        ) from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["the reader stopped"])[-1]
        if "Error" in last and "memory" not in last:
            raise InputError(f"cannot read the workbook ({last[:200]})", where=str(path))
        raise InputError(
            "refusing a workbook that the reader cannot open within "
            f"{ceiling >> 30} GB of memory (damaged or forged sizes)",
            where=str(path),
        )
    sizes = [int(x) for x in done.stdout.split() if x.isdigit()]
    return max(sizes, default=0)
