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


UNUSUAL = {
    "prefixed": SHEET_HEAD.replace("<worksheet", "<x:worksheet xmlns:x='x'")
    + '<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData>'
    "</x:worksheet>",
    "no-reference": sheet(
        '<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>'
        "<row><c><v>3</v></c><c/><c><v>4</v></c></row>"
    ),
    "doctype": '<?xml version="1.0"?><!DOCTYPE x [<!ELEMENT x ANY>]>' + sheet(VALID_BODY),
    "quoted-gt": sheet(
        '<row r="1" x="a>b"><c a=">" r="A1" t="s"><v>0</v></c>'
        '<c a=\'<>\' r="C1" t="s"><v>1</v></c></row>'
    ),
    "cdata": sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<c r="XFD1048576">]]></t></is></c>'
        '<c r="B1" t="str"><v><![CDATA[a<b]]></v></c></row>'
    ),
    "comment": sheet(
        '<!-- <row r="1"><c r="A1"><v>9</v></c></row> --><row r="1"><!-- > -->'
        '<c r="B1"><v>2</v></c></row><?pi <c r="Z9"/> ?>'
    ),
    "entities": sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a&amp;b&#x4E00;&lt;</t></is></c></row>'
    ),
    "padded-index": sheet('<row r="1"><c r="A1" t="s"><v>0001</v></c></row>'),
    "phonetic": sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><r><t>社区</t></r><rPh sb="0" eb="2"><t>シャク'
        "</t></rPh><r><t>名称</t></r></is></c></row>"
    ),
}


@pytest.mark.parametrize("name", list(UNUSUAL))
def test_xml_written_unusually_is_read_as_calamine_reads_it(tmp_path: Path, name: str) -> None:
    from python_calamine import CalamineWorkbook

    path = raw_xlsx(tmp_path / f"{name}.xlsx", UNUSUAL[name])
    head = _head(path)
    expected = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    assert head.rows == expected.to_python(skip_empty_area=False)


@pytest.mark.parametrize("block", range(1, 65))
def test_xml_written_unusually_reads_the_same_in_blocks_of_any_size(
    tmp_path: Path, block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = {n: raw_xlsx(tmp_path / f"{n}.xlsx", xml) for n, xml in UNUSUAL.items()}
    whole = {n: _head(p).rows for n, p in paths.items()}
    monkeypatch.setattr(xlsx_head, "_CHUNK", block)
    assert {n: _head(p).rows for n, p in paths.items()} == whole


def test_an_unclosed_cell_does_not_make_the_scan_quadratic(tmp_path: Path) -> None:
    # 200,000 cells that never close: a backtracking pattern would rescan the rest each time.
    body = '<row r="1">' + '<c r="A1">' * 200_000 + "</row>"
    assert _head(raw_xlsx(tmp_path / "u.xlsx", sheet(body))).rows == []


def test_a_head_past_its_byte_bound_is_the_rows_found_by_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 3000))
    monkeypatch.setattr(xlsx_head, "_MAX_HEAD_BYTES", 2000)
    monkeypatch.setattr(xlsx_head, "_CHUNK", 500)
    head = _head(raw_xlsx(tmp_path / "long.xlsx", sheet(rows)), rows=1000)
    assert 10 < len(head.rows) < 100
    assert head.rows == [[float(r)] for r in range(1, len(head.rows) + 1)]


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


@pytest.mark.parametrize("block", [*range(1, 40), 97, 256, 1000, 4096])
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


@pytest.mark.parametrize("dimension", [True, False])
def test_the_size_check_pass_gives_the_head_its_tail(tmp_path: Path, dimension: bool) -> None:
    # One pass over the sheet's XML serves the size check and the head's yes/no
    # cells and merged ranges (with or without a <dimension>, the size check's
    # two paths).
    from compliance.reading.grid import open_workbook

    flags = [i % 4 != 0 for i in range(300)]
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>社区名称</t></is></c></row>' + "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="b"><v>{int(f)}</v></c></row>'
        for r, f in enumerate(flags, start=2)
    )
    xml = sheet(rows, "A1:B301" if dimension else None).replace(
        "</worksheet>",
        '<mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="A5:A9"/></mergeCells>'
        "</worksheet>",
    )
    path = raw_xlsx(tmp_path / "t.xlsx", xml)
    book = open_workbook(path)
    name = book.sheets[0].name
    book.measure(name)
    tail = book.tail(name)
    assert tail is not None and tail.complete
    with zipfile.ZipFile(path) as zf:
        own = read_head(zf, "xl/worksheets/sheet1.xml", None, 30)
        given = read_head(zf, "xl/worksheets/sheet1.xml", None, 30, tail)
    assert own is not None and given is not None
    assert (given.rows, given.merged, given.bools) == (own.rows, own.merged, own.bools)
    assert given.merged == [((0, 0), (0, 1)), ((4, 0), (8, 0))]
    assert given.bools == {(r - 1, 1): f for r, f in enumerate(flags, start=2)}
