"""What a guard counts is never less than what calamine builds (issue 17, item 3).

Where calamine still reads (.xls, .ods, .xlsb) it builds a dense grid per sheet,
and the guards must measure the same sheets from the same bytes first.
Over the fuzz corpus, the regression files, the legacy fixtures and the hostile
tricks (quoted ``>``, padded, signed and character-referenced repeats), each
file is opened by python-calamine in a child process under an address-space
cap, which reports the cells of every grid it built; the guard's count for the
file must be at least that. A file calamine cannot open within the cap must be
one the guard refuses.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from compliance.errors import InputError
from compliance.reading import biff, guards, ods_extent, xls_built, xlsb_extent
from compliance.reading.cfb import BiffError
from compliance.reading.xlsb_extent import built_cells
from tests.conftest import REPO
from tests.isolation.xlsb import XLSB_TRICKS, xlsb_with
from tests.reading.builders import DATA

CAP = 3 * 1024**3
_CHILD = """
import json, sys
from python_calamine import CalamineWorkbook
try:
    book = CalamineWorkbook.from_path(sys.argv[1])
except Exception:  # damaged: calamine says so, and allocates nothing more
    print("[]")
    raise SystemExit(0)
out = []
for name in book.sheet_names:
    try:
        s = book.get_sheet_by_name(name)
    except Exception:
        continue
    if s.start is None or s.end is None:
        out.append(0)
    else:
        out.append((s.end[0] - s.start[0] + 1) * (s.end[1] - s.start[1] + 1))
print(json.dumps(out))
"""


def _cap() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = min(x for x in (CAP, soft, hard) if x != resource.RLIM_INFINITY)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def built_by_calamine(path: Path) -> list[int] | None:
    """The cells of each grid calamine builds for ``path``, or None if it could not."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=_cap,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return None
    return list(json.loads(done.stdout))


def counted_by_guard(path: Path) -> int | None:
    """The cells the guard counts for ``path`` in all, or None where it refuses it outright."""
    if path.suffix == ".xlsb":
        with zipfile.ZipFile(path) as zf:
            return built_cells(zf, "xl/worksheets/sheet1.bin")[2]
    if path.suffix == ".xls":
        try:
            data = path.read_bytes()
            return sum(xls_built.measure(data, biff.scan(data)).cells)
        except (BiffError, ValueError, IndexError):
            return None
    with zipfile.ZipFile(path) as zf:
        ext = ods_extent.scan_content(zf, "content.xml")
    return None if ext.unclosed else ext.total_cells


def _given(path: Path) -> Path | None:
    """The file calamine is given once the guards passed ``path`` (None: refused)."""
    try:
        if path.suffix == ".xls":
            patched = xls_built.check(path, guards.Limits())
            if patched is not None:
                path = path.with_name(path.stem + "-as-read.xls")
                path.write_bytes(patched)
        elif path.suffix == ".xlsb":
            with zipfile.ZipFile(path) as zf:
                xlsb_extent.check(zf, guards.Limits(), str(path))
        else:
            with zipfile.ZipFile(path) as zf:
                guards.check_ods(zf, guards.Limits(), str(path))
    except InputError:
        return None
    return path


def _ods_with_row(tmp: Path, name: str, row_attrs: str, cell_attrs: str = "") -> Path:
    src = zipfile.ZipFile(DATA / "messy.ods")
    content = src.read("content.xml").decode("utf-8")
    cell = (
        f'<table:table-cell {cell_attrs} office:value-type="float" office:value="1" '
        'table:number-columns-repeated="160"><text:p>1</text:p></table:table-cell>'
    )
    content = content.replace(
        "</table:table-row>",
        f"</table:table-row><table:table-row {row_attrs}>{cell}</table:table-row>",
        1,
    )
    path = tmp / f"{name}.ods"
    with zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            body = content.encode() if item.filename == "content.xml" else src.read(item)
            out.writestr(item, body, compress_type=zipfile.ZIP_DEFLATED)
    return path


TRICKS = {
    "quoted-gt": ('x=">" table:number-rows-repeated="6100"', ""),
    "quoted-gt-cell": ('table:number-rows-repeated="6100"', 'x="a>b"'),
    "padded": ('table:number-rows-repeated="0000000000000006100"', ""),
    "signed": ('table:number-rows-repeated="+6100"', ""),
    "char-ref": ('table:number-rows-repeated="&#54;100"', ""),
    "single-quoted": ("table:number-rows-repeated='6100' y='>'", ""),
}


def _files(tmp: Path) -> list[Path]:
    corpus = REPO / "tests" / "fuzz"
    found = [
        *sorted((corpus / "corpus" / "ods").iterdir()),
        *sorted((corpus / "corpus" / "xls").iterdir()),
        *sorted(p for p in (corpus / "regressions").iterdir() if p.suffix in (".xls", ".ods")),
        *sorted(DATA.glob("*.xls")),
        *sorted(DATA.glob("*.ods")),
    ]
    out = []
    for i, p in enumerate(found):
        # calamine picks its reader by the name: give each file the one it is.
        kind = ".ods" if zipfile.is_zipfile(p) else ".xls"
        copy = tmp / f"{i:02d}-{p.stem}{kind}"
        copy.write_bytes(p.read_bytes())
        out.append(copy)
    out += [_ods_with_row(tmp, n, *attrs) for n, attrs in TRICKS.items()]
    return out + [xlsb_with(tmp, n, extra) for n, extra in XLSB_TRICKS.items()]


def test_the_guards_never_count_less_than_calamine_builds(tmp_path: Path) -> None:
    checked = refused = 0
    for path in _files(tmp_path):
        given = _given(path)
        if given is None:
            refused += 1
            continue  # refused before calamine sees it
        counted = counted_by_guard(given)
        built = built_by_calamine(given)
        # What the guard lets through, calamine opens within the cap, and the guard
        # counted at least the cells calamine built.
        assert built is not None, path.name
        assert counted is not None and counted >= sum(built), (path.name, counted, built)
        checked += 1
    assert checked >= 12 and refused >= 3, (checked, refused)


@pytest.mark.parametrize("name", list(TRICKS))
def test_a_repeat_hidden_from_the_old_guard_is_counted(tmp_path: Path, name: str) -> None:
    # 6,100 rows × 160 columns: 976,000 cells, which the old patterns read as 160.
    counted = counted_by_guard(_ods_with_row(tmp_path, name, *TRICKS[name]))
    assert counted is not None and counted >= 6100 * 160


def test_an_xlsb_cell_that_reads_a_stale_column_is_counted(tmp_path: Path) -> None:
    counted = counted_by_guard(xlsb_with(tmp_path, "stale", XLSB_TRICKS["stale-column"]))
    assert counted is not None and counted >= 5_001 * 16_001
