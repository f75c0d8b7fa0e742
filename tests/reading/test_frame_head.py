"""The streamed head of an .xlsx sheet: first rows, merged ranges and yes/no cells."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from compliance.reading import xlsx_head
from compliance.reading.xlsx_head import read_head
from tests.reading.builders import SHEET_HEAD, VALID_BODY, raw_xlsx, sheet


def _head(path: Path, rows: int = 30):  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path) as zf:
        return read_head(zf, "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", rows)


def test_head_rows_are_padded_from_a1_with_shared_and_inline_strings(tmp_path: Path) -> None:
    body = (
        VALID_BODY + '<row r="4"><c r="C4" t="b"><v>1</v></c><c r="D4" t="e"><v>#N/A</v></c></row>'
    )
    tail = '<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'
    xml = sheet(body).replace("</worksheet>", tail + "</worksheet>")
    head = _head(raw_xlsx(tmp_path / "h.xlsx", xml))
    assert head is not None
    assert head.rows == [
        ["社区名称", "建筑面积", "", ""],
        ["城东社区", 400.0, "", ""],
        ["", "", "", ""],
        ["", "", True, "#N/A"],
    ]
    assert head.merged == [((0, 0), (0, 1))]
    assert head.bools == {(3, 2): True}


def test_only_the_wanted_rows_are_parsed(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{r}"><c r="B{r}"><v>{r}</v></c></row>' for r in range(1, 500))
    head = _head(raw_xlsx(tmp_path / "long.xlsx", sheet(rows)), rows=3)
    assert head is not None and head.rows == [["", 1.0], ["", 2.0], ["", 3.0]]


def test_unusual_xml_is_left_to_calamine(tmp_path: Path) -> None:
    prefixed = (
        SHEET_HEAD.replace("<worksheet", "<x:worksheet xmlns:x='x'")
        + '<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData>'
        "</x:worksheet>"
    )
    assert _head(raw_xlsx(tmp_path / "p.xlsx", prefixed)) is None
    no_ref = sheet('<row r="1"><c t="s"><v>0</v></c></row>')
    assert _head(raw_xlsx(tmp_path / "r.xlsx", no_ref)) is None
    doctype = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "y">]>' + sheet(VALID_BODY)
    assert _head(raw_xlsx(tmp_path / "d.xlsx", doctype)) is None


def test_an_unclosed_cell_does_not_make_the_scan_quadratic(tmp_path: Path) -> None:
    # 200,000 cells that never close: a backtracking pattern would rescan the rest each time.
    body = '<row r="1">' + '<c r="A1">' * 200_000 + "</row>"
    assert _head(raw_xlsx(tmp_path / "u.xlsx", sheet(body))) is None


@pytest.mark.parametrize("block", [13, 97, 1000, 4096])
def test_a_yes_no_cell_cut_by_a_read_keeps_its_value(
    tmp_path: Path, block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sheet is read in blocks; a block may end between a cell's tag and its value.
    flags = [i % 3 != 0 for i in range(600)]
    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="b"><v>{int(f)}</v></c></row>'
        for r, f in enumerate(flags, start=2)
    )
    path = raw_xlsx(tmp_path / "flags.xlsx", sheet(rows))
    monkeypatch.setattr(xlsx_head, "_CHUNK", block)
    head = _head(path)
    assert head is not None
    assert head.bools == {(r - 1, 1): f for r, f in enumerate(flags, start=2)}


@pytest.mark.parametrize("block", [1, 2, 5, 13, 97])
def test_the_head_is_the_same_whatever_the_read_size(
    tmp_path: Path, block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["标题 " * 30])
    ws.append(["社区名称", "建筑面积", "是否"])
    for i in range(40):
        ws.append([f'社区{i}&<"x"' * 3, i * 1.5, bool(i % 2)])
    ws.merge_cells("A1:C1")
    ws.merge_cells("A20:A22")
    wb.save(tmp_path / "s.xlsx")
    whole = _head(tmp_path / "s.xlsx")
    monkeypatch.setattr(xlsx_head, "_CHUNK", block)
    cut = _head(tmp_path / "s.xlsx")
    assert whole is not None and cut is not None
    assert whole.merged == [((0, 0), (0, 2)), ((19, 0), (21, 0))]
    assert (cut.rows, cut.merged, cut.bools) == (whole.rows, whole.merged, whole.bools)
