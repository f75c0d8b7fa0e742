"""The workbooks the fuzzer found that must be refused, through the CLI: one line, exit 2.

The in-process tests (``tests/reading/test_fuzz.py``) check each guard on its own.
Here the real CLI reads each file in its capped worker process, as a user's run
would, and must refuse it with one short line naming the damage: a guard's
message, not the worker's "reader process" one, because every find is refused
before calamine sees it. Some once aborted calamine:

- ``xls-cfb-alloc-*.xls`` (CI fuzz, 2026-12-02): a compound-file DIFAT chain that
  loops; calamine's ``Cfb::new`` follows it without a loop check until it asks for
  15.9 GB. Refused by ``reading/biff.py``.
- ``xlsx-zip-sst-*.xlsx`` (the next CI fuzz run): a zip with a second archive in it;
  zipfile and calamine's zip crate find different central directories, and the one
  calamine reads claims 4 billion shared strings (96 GB). Refused by ``reading/zipdir.py``.

The long run of 2026-12-02 (600 s on the .xls reader) found three more, each an .xls of
8-10 KB that made calamine reserve or build far more than the cell limit: a DIMENSIONS
record whose first column calamine reads as 0 (172 GB), one asking 57 million cells
(2.3 GB), and cells out to column 63,749 (built, 2.1 GB, before the limit applied).
``reading/biff.py`` now reads DIMENSIONS both ways and the grid checks the cell limit
before calamine runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REGRESSIONS = Path(__file__).resolve().parent / "regressions"
#: The finds that must be refused (the others are read, in time: tests/reading/test_fuzz.py).
WORKBOOKS = [
    "ods-unclosed-table.ods",
    "xls-cfb-alloc-c1e3e39d.xls",
    "xlsx-zip-sst-1b2e164a.xlsx",
    "xls-dimensions-first-col-35488744.xls",
    "xls-dimensions-reserve-808768c3.xls",
    "xls-wide-build-62262ff3.xls",
]


@pytest.mark.parametrize("name", WORKBOOKS)
def test_the_cli_refuses_it_with_one_line_and_exit_2(name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "compliance", "check", str(REGRESSIONS / name), "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COMPLIANCE_LANG": "en"},
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and len(lines[0]) < 500, done.stderr[-2000:]
    assert "reader process" not in lines[0], lines[0]
    assert any(w in lines[0] for w in ("damaged", "never closed", "refusing a sheet")), lines[0]
