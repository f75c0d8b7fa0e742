"""The one-pass .xlsx reader: the same cells whatever the block size, and today's meanings."""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
import re
import zipfile
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook

from compliance.errors import InputError
from compliance.reading import xlsx_cells, xlsx_columns, xlsx_values, xlsx_xml
from compliance.reading.guards import Limits
from tests.reading.builders import SST, raw_xlsx, sheet
from tests.reading.paths import choose

#: Plain cells and every kind of XML the plain pattern leaves to the tag-by-tag path.
MIXED = (
    '<row r="1" spans="1:3"><c r="A1" t="inlineStr"><is><t>名称</t></is></c>'
    '<c r="B1" s="0" t="s"><v>0</v></c><c r="C1" t="str"><f>A1</f><v>x&amp;y</v></c></row>'
    '<row r="2"><c r="A2"><v>1.5</v></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#N/A</v></c>'
    '</row><!-- <c r="XFD1048576"><v>1</v></c> --><?pi <row r="9"> ?>'
    '<row r="3"><c r="A3" t="inlineStr"><is><t><![CDATA[<c r="XFD1">]]></t></is></c>'
    '<c a=">" r="B3"><v>2</v></c><c><v>3</v></c><c/><c><v>4</v></c></row>'
    "<row><c><v>5</v></c><c r='C4' t='inlineStr'><is><r><t>富</t></r><r><t>文本</t></r>"
    '<rPh><t>FU</t></rPh></is></c></row><row r="5"/><x:row xmlns:x="urn:x" r="6">'
    '<x:c r="B6"><x:v>6</x:v></x:c></x:row><row r="7"><c r="A7" s="1"/><c r="B7"><f>1+1</f></c>'
    '<c r="C7"><v>7</v></c></row>'
)

EXPECTED = [
    (0, 0, "inlineStr", None, "名称"),
    (0, 1, "s", "0", None),
    (0, 2, "str", "x&amp;y", None),
    (1, 0, None, "1.5", None),
    (1, 1, "b", "1", None),
    (1, 2, "e", "#N/A", None),
    (2, 0, "inlineStr", None, '&lt;c r="XFD1"&gt;'),
    (2, 1, None, "2", None),
    (2, 2, None, "3", None),
    (2, 3, None, "4", None),
    (3, 0, None, "5", None),
    (3, 2, "inlineStr", None, "富文本"),
    (5, 1, None, "6", None),
    (6, 1, None, None, None),
    (6, 2, None, "7", None),
]


def _zip(xml: str) -> zipfile.ZipFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("s.xml", xml)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def _rows(read: xlsx_cells.SheetCells) -> list[tuple[object, ...]]:
    return list(read.cells.select("row", "col", "t", "v", "inline").iter_rows())


@pytest.fixture(params=["native", "tag by tag", "polars"], autouse=True)
def path_taken(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs on the native tokeniser, then on the pure reader with small blocks
    tokenised tag by tag, and again with every block offered to the polars path first."""
    choose(request.param == "native", monkeypatch)
    if request.param == "polars":
        monkeypatch.setattr(xlsx_cells, "_SMALL", 0)
    return str(request.param)


def test_mixed_xml_is_tokenised_as_xml() -> None:
    read = xlsx_cells.read_cells(_zip(sheet(MIXED)), "s.xml", max_cells=10**6)
    assert _rows(read) == EXPECTED
    assert (read.rows, read.cols) == (7, 4)
    assert read.cells.filter(pl.col("f")).select("row", "col").rows() == [(0, 2), (6, 1)]


def test_every_block_size_gives_the_same_cells() -> None:
    zf = _zip(sheet(MIXED + MIXED))
    whole = xlsx_cells.read_cells(zf, "s.xml", max_cells=10**9)
    assert _rows(whole) == EXPECTED + EXPECTED
    typed = xlsx_cells.read_cells(zf, "s.xml", max_cells=10**9, dates=["1"])
    for size in range(1, 4097):
        read = xlsx_cells.read_cells(zf, "s.xml", max_cells=10**9, block=size)
        assert read.cells.equals(whole.cells), size
        assert (read.rows, read.cols) == (whole.rows, whole.cols), size
        if size % 5 == 1:  # the cells' meanings too, decided as the blocks are read
            meant = xlsx_cells.read_cells(zf, "s.xml", max_cells=10**9, block=size, dates=["1"])
            assert meant.cells.equals(typed.cells), size


def test_cell_meanings_are_those_the_reader_has_always_given(tmp_path: Path) -> None:
    # The values fastexcel gave before the one-pass reader (compared cell by cell).
    wb = Workbook()
    ws = wb.active
    ws.append(["社区名称", "建筑面积", "备注"])
    values: list[object] = [
        1495, 695.5, "350平方米", True, False, "=1/0", dt.datetime(2007, 12, 20),
        dt.datetime(2007, 12, 20, 10, 30), dt.date(2008, 1, 1), None, "  x ", 1e20, -3, "#N/A",
        0.1 + 0.2, 12345678901234567, dt.time(10, 30),
    ]  # fmt: skip
    for i, v in enumerate(values):
        ws.append([f"社区{i}", v, v])
    wb.save(tmp_path / "kinds.xlsx")
    with zipfile.ZipFile(tmp_path / "kinds.xlsx") as zf:
        raw, uncached = xlsx_columns.load_columns(
            zf, "xl/worksheets/sheet1.xml", Limits(), "w", 1, {1}, {0, 1, 2}
        )
    assert raw.height == len(values)
    assert raw.num[1].to_list() == [
        1495.0, 695.5, None, None, None, None, None, None, None, None, None, 1e20, -3.0, None,
        0.3, 1.234567890123457e16, None,
    ]  # fmt: skip
    assert raw.text[1].to_list() == [
        None, None, "350平方米", "True", "False", None, "2007-12-20", "2007-12-20 10:30:00",
        "2008-01-01", None, "  x ", None, None, "#N/A", None, None, "1899-12-30 10:30:00",
    ]  # fmt: skip
    assert raw.text[2].to_list() == [
        "1495", "695.5", "350平方米", "True", "False", None, "2007-12-20", "2007-12-20 10:30:00",
        "2008-01-01", None, "  x ", "100000000000000000000", "-3", None, "0.3",
        "12345678901234570", "1899-12-31 10:30:00",
    ]  # fmt: skip
    assert uncached == {(6, 1), (6, 2)}


def test_the_native_tokeniser_reads_every_kind_of_xml_itself(
    path_taken: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Quoted ">", prefixes, rich text, cells and rows without r, entities, CDATA: none of
    # it is handed back to the pure reader (only non-ASCII inside a tag would be).
    if path_taken != "native":
        pytest.skip("native only")

    def refuse(*args: object) -> None:
        raise AssertionError("a block was left to the pure reader")

    monkeypatch.setattr(xlsx_cells, "general_block", refuse)
    monkeypatch.setattr(xlsx_cells, "_plain_block", refuse)
    zf = _zip(sheet(MIXED))
    for size in (1, 7, 64, 4096, xlsx_xml.BLOCK):
        assert _rows(xlsx_cells.read_cells(zf, "s.xml", max_cells=10**6, block=size)) == EXPECTED


_SPECIAL = re.compile(rb"<!--.*?-->|<!\[CDATA\[(.*?)\]\]>|<\?.*?\?>", re.DOTALL)


def _by_pattern(m: re.Match[bytes]) -> bytes:
    text = m.group(1)
    if text is None:
        return b""
    return text.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")


def test_special_sections_are_made_plain_as_a_pattern_makes_them() -> None:
    pieces = [b"<!--", b"-->", b"<![CDATA[", b"]]>", b"<?", b"?>", b"a", b"<", b">", b"&", b"-"]
    rng = random.Random(17)
    for _ in range(20_000):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        cut = rng.randint(0, len(data))
        assert xlsx_xml._plain(data, cut) == _SPECIAL.sub(_by_pattern, data[:cut]), (data, cut)


@pytest.mark.parametrize(
    "tail",
    ["</sst>", "<!-- never closed", '<!DOCTYPE x [<!ENTITY e "y">]></sst>', "<si><t>&e;</t></si>"],
)
def test_a_small_table_read_whole_gives_what_streaming_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tail: str
) -> None:
    # Read whole once per workbook (small), or streamed until the strings are found (large):
    # the same strings, and a damaged tail refused only where a string past it is asked for.
    items = "".join(f"<si><t>s{i}&amp;</t></si>" for i in range(3000))
    sst = SST.split("<si>", 1)[0] + items + "<si><r><t>富</t></r><rPh><t>F</t></rPh></si>" + tail
    path = raw_xlsx(tmp_path / "t.xlsx", sheet(""), sst=sst)
    # Blocks of 4 KB: the damaged tail comes blocks after the first strings.
    monkeypatch.setattr(
        xlsx_xml, "text_blocks", functools.partial(xlsx_xml.text_blocks, block=4096)
    )

    def outcome(whole: bool, wanted: list[int]) -> object:
        monkeypatch.setattr(xlsx_values, "_WHOLE", 1 << 30 if whole else 0)
        with zipfile.ZipFile(path) as zf:
            try:
                return xlsx_values.shared_strings(zf, pl.Series(wanted, dtype=pl.UInt64))
            except InputError as exc:
                return str(exc)

    for wanted in ([0, 7, 2999], [3000], [3000, 3001], [5]):
        assert outcome(True, wanted) == outcome(False, wanted), (tail, wanted)
    if tail == "</sst>":
        assert outcome(True, [7, 3000]) == {7: "s7&", 3000: "富"}


def test_columns_place_cells_out_of_order_with_gaps_and_two_at_one_place(
    tmp_path: Path,
) -> None:
    # Two cells at one place (the later one wins), cells out of order, gaps, a text
    # column with numbers and a numeric column with text.
    body = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c><c r="B1"><v>0</v></c></row>'
        '<row r="3"><c r="B3"><v>2.5</v></c><c r="A3"><v>7</v></c>'
        '<c r="A3" t="inlineStr"><is><t>later</t></is></c><c r="C3"><v>1</v></c></row>'
        '<row r="2"><c r="B2" t="inlineStr"><is><t>12 m</t></is></c><c r="A2"><v>3</v></c></row>'
        '<row r="5"><c r="B5"><v>4</v></c><c r="B5"><v>5</v></c></row>'
    )
    path = raw_xlsx(tmp_path / "d.xlsx", sheet(body))
    with zipfile.ZipFile(path) as zf:
        raw, _ = xlsx_columns.load_columns(
            zf, "xl/worksheets/sheet1.xml", Limits(), "w", 1, {1}, {0, 1}
        )
    assert raw.height == 4
    assert raw.text[0].to_list() == ["3", "later", None, None]
    assert raw.num[1].to_list() == [None, 2.5, None, 5.0]
    assert raw.text[1].to_list() == ["12 m", None, None, None]
    assert set(raw.text) == {0, 1} and set(raw.num) == {1}
