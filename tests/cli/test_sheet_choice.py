"""The sheet is chosen from a bounded head of each sheet (issue 17, items 2 and 4).

Each class through the command line, under the memory the issue allows: a
correct read, or one line and exit 2. ``--max-memory`` is the worker's cap on
resident memory (the parent kills it past that), so a read that once loaded
whole sheets to choose one fails these tests with "ran out of memory".
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.cli import app
from compliance.reading import read_records, xls_built
from compliance.reading.cfb import workbook_pieces
from tests.reading.builders import DATA, convert, soffice
from tests.reading.sheet_choice import EXPECTED, flat_ods_with_blank_sheets, header_less_xlsx

runner = CliRunner()
#: The fixture: tests/reading/sheet_choice.py's flat ODS, converted by LibreOffice 7.
BLANK_SHEETS_XLS = DATA / "blank-sheets.xls"


def _check(path: Path, memory: str) -> tuple[int, dict[str, object], str]:
    result = runner.invoke(
        app, ["check", str(path), "-f", "json", "-q", "--max-memory", memory, "--lang", "en"]
    )
    doc = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, doc, result.stderr


def _read_correctly(path: Path, memory: str) -> None:
    code, doc, err = _check(path, memory)
    assert code in (0, 1), err
    assert not doc["unreadable"], doc["unreadable"]
    records = doc["records"]
    assert isinstance(records, list)
    assert {(r["sheet"], r["name"]) for r in records} == {("社区情况", n) for n in EXPECTED}
    data = read_records(path)
    got = {r.name: (r.values["premises_area"], r.values["households"]) for r in data.records}
    assert got == EXPECTED


def test_an_office_xls_whose_first_sheets_are_formatted_and_empty_is_read() -> None:
    # Eight sheets with an empty text cell at A1 and at IV65536: calamine built all eight
    # (16.7 million cells each) when it opened the file, 4.1 GB, and the file was refused.
    built = xls_built.measure(BLANK_SHEETS_XLS.read_bytes())
    assert sum(built.cells) == 8 * 65536 * 256 + 3 * 13
    assert sum(built.without_empty) == 3 * 13
    _read_correctly(BLANK_SHEETS_XLS, "3G")


@pytest.mark.skipif(soffice() is None, reason="needs LibreOffice (soffice)")
def test_the_same_xls_written_by_this_machines_libreoffice_is_read(tmp_path: Path) -> None:
    src = flat_ods_with_blank_sheets(tmp_path / "blank.fods", blank_sheets=6)
    _read_correctly(convert(src, "xls", tmp_path / "out"), "3G")


def test_an_xls_whose_sheets_together_pass_the_limit_is_one_line_and_exit_2(
    tmp_path: Path,
) -> None:
    # The same file with its far cells holding text: calamine would build every sheet.
    data = bytearray(BLANK_SHEETS_XLS.read_bytes())
    built = xls_built.measure(bytes(data))
    pieces = workbook_pieces(bytes(data))
    starts = [sum(n for _, n in pieces[:i]) for i in range(len(pieces))]

    def at(pos: int) -> int:
        i = max(k for k, s in enumerate(starts) if s <= pos)
        return pieces[i][0] + pos - starts[i]

    for pos in built.empty_text:
        index = struct.pack("<I", 1)  # the first header text
        for k in range(4):
            data[at(pos + 4 + 6 + k)] = index[k]
    path = tmp_path / "full.xls"
    path.write_bytes(bytes(data))
    code, _, err = _check(path, "3G")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "sheets hold 134,217,7" in lines[0] and "--max-cells" in lines[0]


@pytest.mark.parametrize("comment", [True, False])
def test_an_xlsx_whose_first_sheets_have_no_header_is_read_within_1_gb(
    tmp_path: Path, comment: bool
) -> None:
    # Five sparse sheets of 28 million cells each: an XML comment once sent each to a
    # whole load (21-29 s, 2.5 GB).
    _read_correctly(header_less_xlsx(tmp_path / "drafts.xlsx", comment=comment), "1G")
