"""Fuzzing: whatever the bytes, reading succeeds or raises InputError.

Mutated copies of valid workbooks (whole-file bytes, and the XML inside a
valid zip) must never let anything else escape: no calamine exception, no
struct.error from the BIFF walk, no UnicodeDecodeError, no abort.
"""

from __future__ import annotations

import contextlib
import io
import math
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.errors import InputError
from compliance.reading import read_records
from tests.reading.builders import DATA, VALID_BODY, raw_xlsx, sheet

#: Every test here runs on the native tokeniser and on the pure reader.
pytestmark = pytest.mark.usefixtures("xlsx_reader")

_TMP = Path(tempfile.mkdtemp(prefix="compliance-fuzz-"))
_XLSX = raw_xlsx(_TMP / "seed.xlsx", sheet(VALID_BODY * 3, "A1:B6")).read_bytes()
_XLS = (DATA / "messy.xls").read_bytes()
_ODS = (DATA / "messy.ods").read_bytes()
_CSV = '社区名称,总户数,建筑面积\n城东社区,"1,500",３５０平方米\n'.encode("gbk")
_SHEET_XML = sheet(VALID_BODY * 3, "A1:B6").encode()

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "set", "cut", "insert", "dup"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set" and data:
            data[at] = draw(st.sampled_from([0x00, 0xFF, 0x7F, 0x3C, 0x3E, 0x22, 0x39]))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "dup":
            data[at:at] = data[at : at + draw(st.integers(1, 64))]
    return bytes(data)


def _read(data: bytes, name: str) -> None:
    path = _TMP / name
    path.write_bytes(data)
    # Success or our own error; anything else fails the test.
    with contextlib.suppress(InputError):
        read_records(path)


@FUZZ
@given(mutated(_XLSX))
def test_mutated_xlsx_bytes(data: bytes) -> None:
    _read(data, "m.xlsx")


@FUZZ
@given(mutated(_SHEET_XML))
def test_mutated_sheet_xml_in_a_valid_zip(xml: bytes) -> None:
    src = zipfile.ZipFile(io.BytesIO(_XLSX))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = xml if item.filename == "xl/worksheets/sheet1.xml" else src.read(item)
            z.writestr(item.filename, body)
    _read(out.getvalue(), "x.xlsx")


@FUZZ
@given(mutated(_XLS))
def test_mutated_xls_bytes(data: bytes) -> None:
    _read(data, "m.xls")


@FUZZ
@given(mutated(_ODS))
def test_mutated_ods_bytes(data: bytes) -> None:
    _read(data, "m.ods")


@FUZZ
@given(mutated(_CSV))
def test_mutated_csv_bytes(data: bytes) -> None:
    _read(data, "m.csv")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes(data: bytes) -> None:
    _read(data, "r.xlsx")


# --- crashes the coverage-guided fuzzer found (tests/fuzz/regressions/) ---------------

REGRESSIONS = Path(__file__).resolve().parents[1] / "fuzz" / "regressions"


@pytest.mark.parametrize(
    "name", sorted(p.name for p in REGRESSIONS.iterdir() if p.suffix != ".txt")
)
def test_fuzzer_regression_files_end_with_our_error_in_time(name: str) -> None:
    # Run in a child: the first of these made calamine loop forever (a table never closed).
    code = (
        "import sys\n"
        "from compliance.errors import ComplianceError\n"
        "from compliance.reading import read_records\n"
        "try:\n    read_records(sys.argv[1])\n"
        "except ComplianceError as e:\n    print('refused:', e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(REGRESSIONS / name)],
        capture_output=True,
        text=True,
        timeout=120,  # a safety net: a file that loops forever fails, a slow machine does not
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_fuzzer_regression_long_digit_runs_are_not_infinite() -> None:
    from compliance.reading.cells import parse_number

    for path in sorted(REGRESSIONS.glob("number-*.txt")):
        value, _ = parse_number(path.read_text("utf-8", "replace"))
        assert value is None or math.isfinite(value), path.name


# Each of these made calamine abort the process when the guards let it through. Each
# guard is asserted first, so that a guard that regresses fails the test before
# calamine is reached (in-process, an abort would end the whole test run).


def test_fuzzer_regression_xls_difat_loop_is_refused_before_calamine() -> None:
    # calamine follows the DIFAT chain from the header's first_difat (here sector 0,
    # whose last id is 0 again) with no loop check, reserving 3.98 GB, then 15.9 GB.
    from compliance.reading import biff

    path = REGRESSIONS / "xls-cfb-alloc-c1e3e39d.xls"
    with pytest.raises(biff.BiffError, match="DIFAT chain loops"):
        biff.scan(path)
    with pytest.raises(InputError) as refused:
        read_records(path)
    assert str(refused.value) == (
        f"{path}: not a readable .xls workbook: "
        "the compound file's DIFAT chain loops (damaged or forged)"
    )


def test_fuzzer_regression_zip_with_a_second_directory_is_refused_before_calamine() -> None:
    # zipfile reads the last end record's directory (ten mangled names, no shared
    # strings); calamine's zip crate rejects that record and reads an inner archive
    # whose shared-strings table claims 4 billion strings (96 GB).
    from compliance.reading import zipdir

    path = REGRESSIONS / "xlsx-zip-sst-1b2e164a.xlsx"
    with zipfile.ZipFile(path) as zf, pytest.raises(zipdir.Ambiguous):
        zipdir.check(path, zf.infolist())
    with pytest.raises(InputError) as refused:
        read_records(path)
    message = str(refused.value)
    assert message.startswith(f"{path}: the zip's directory can be read two ways (")
    assert "\n" not in message and len(message) < 500


def test_fuzzer_regression_a_sheet_65031_columns_wide_is_read_in_linear_time() -> None:
    # 7 rows x 65,031 columns (a 9.7 KB .xls): telling blank and subtotal rows apart
    # built one polars expression per column, 7-11 s; one pass over all columns now.
    # Counted, not timed: about 13 calls per cell for the whole read; an expression
    # per column added some 600 calls per column (90 per cell).
    from tests.workcount import calls

    data, work = calls(lambda: read_records(REGRESSIONS / "xls-wide-rows-be90ec5e.xls"))
    assert len(data.records) == 1
    assert work <= 30 * 7 * 65_031, work / (7 * 65_031)


@pytest.mark.parametrize("dimension", [None, "A0:B0"])
def test_fuzzer_regression_row_zero_is_our_error(tmp_path: Path, dimension: str | None) -> None:
    # A reference to row 0 ("B0") made the fast extent pattern "[1-0]", and re.error escaped;
    # the one-pass reader refuses it as the malformed reference it is.
    body = VALID_BODY + '<row r="3"><c r="B0"><v>1</v></c></row>'
    path = raw_xlsx(tmp_path / "zero.xlsx", sheet(body, dimension) if dimension else sheet(body))
    with pytest.raises(InputError, match="cell reference is malformed"):
        read_records(path)
    with pytest.raises(InputError):
        read_records(REGRESSIONS / "xlsx-row-zero-e06b418d.xlsx")


@pytest.mark.parametrize(
    ("name", "extent", "cells"),
    [
        # DIMENSIONS with a first column of 0xFFFF: calamine takes it as 0 and reserves
        # 65,535 × 65,535 cells of 40 bytes (172 GB); the guard read it as given (0 cells).
        ("xls-dimensions-first-col-35488744.xls", (4_294_836_225, 1), "4,294,836,225"),
        # A DIMENSIONS record asking 57 million cells (2.3 GB) was under the hard limit only.
        ("xls-dimensions-reserve-808768c3.xls", (57_414_792, 1), "57,414,792"),
        # Cells out to column 63,749 in 8 KB: calamine built all 32.8 million (2.1 GB, 6 s)
        # before the cell limit was applied.
        ("xls-wide-build-62262ff3.xls", (514, 63_749), "32,766,986"),
    ],
)
def test_fuzzer_regression_xls_sizes_are_refused_before_calamine_builds(
    name: str, extent: tuple[int, int], cells: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import python_calamine

    from compliance.reading import biff

    def never(*_: object) -> None:
        raise AssertionError("calamine opened the file")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", never)
    path = REGRESSIONS / name
    assert extent in biff.scan(path).extents
    with pytest.raises(InputError, match=f"= {cells} cells"):
        read_records(path)


def test_a_sheet_is_walked_to_its_own_eof_past_an_embedded_chart() -> None:
    # calamine skips a nested substream (BOF ... EOF, an embedded chart) and reads on to
    # the sheet's EOF: a DIMENSIONS record after the chart still reserves cells.
    import struct

    from compliance.reading import biff

    def rec(rtype: int, data: bytes = b"") -> bytes:
        return struct.pack("<HH", rtype, len(data)) + data

    bof, eof = rec(0x0809, bytes(16)), rec(0x000A)
    dims = rec(0x0200, struct.pack("<IIHHH", 0, 60_000, 0, 255, 0))
    stream = bof + bof + eof + dims + eof + rec(0x0203, bytes(14))
    walked = [t for t, _, _ in biff._records(stream, 0, sheet=True)]
    assert [t for t, _, _ in biff._records(stream, 0)] == [0x0809, 0x0809, 0x000A]
    assert walked == [0x0809, 0x0809, 0x000A, 0x0200, 0x000A]
    body = len(bof) * 2 + len(eof) + 4
    assert biff._dimensions_cells(stream, body, body + 14) == 60_000 * 255
