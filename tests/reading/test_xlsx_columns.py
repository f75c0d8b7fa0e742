"""Columns built a block of cells at a time are those built from the whole sheet at once."""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from openpyxl import Workbook

from compliance.errors import InputError
from compliance.reading import xlsx_columns, xlsx_read, xlsx_xml
from compliance.reading.guards import Limits
from compliance.reading.raw import RawColumns
from tests.reading.builders import raw_xlsx, sheet

pytestmark = pytest.mark.usefixtures("xlsx_reader")

MEMBER = "xl/worksheets/sheet1.xml"
SIZES = (40, 97, 300, 1024, 4096, 8 << 20)
#: Shared strings: an empty one, one with an entity (unescaped once), plain ones.
SST = (
    '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main"><si><t>社区名称</t></si><si><t></t></si><si><t>R&amp;D</t></si>'
    "<si><t>12 m²</t></si><si><r><t>富</t></r><r><t>文本</t></r></si></sst>"
)
CELLS = (
    "<v>{n}</v>",
    '" t="s"><v>{s}</v>',
    '" t="inlineStr"><is><t>A&amp;B {n}</t></is>',
    '" t="inlineStr"><is><t></t></is>',
    '" t="b"><v>{b}</v>',
    '" t="e"><v>#N/A</v>',
    '" t="str"><f>A1</f><v>x&lt;{n}</v>',
    "<f>1+1</f>",
    "<v>{f}</v>",
)


def _cell(rng: random.Random, ref: str) -> str:
    kind = rng.choice(CELLS).format(
        n=rng.randint(-5, 10**6), s=rng.randrange(5), b=rng.randrange(2), f=rng.random() * 1e3
    )
    if kind.startswith('"'):
        return f'<c r="{ref}{kind}</c>'
    return f'<c r="{ref}">{kind}</c>'


def _body(rng: random.Random, rows: list[int]) -> str:
    out = []
    for r in rows:
        cols = rng.sample(range(6), rng.randint(0, 6))
        if rng.random() < 0.2 and cols:
            cols.append(cols[0])  # two cells at one place: the later one counts
        cells = "".join(_cell(rng, f"{'ABCDEF'[c]}{r}") for c in cols)
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def _columns(path: Path, *, whole: bool) -> RawColumns:
    with zipfile.ZipFile(path) as zf:
        got, uncached = xlsx_columns.load_columns(
            zf, MEMBER, Limits(), "w", 1, {1, 2, 4}, {0, 1, 2, 3, 4, 5}, whole=whole
        )
    got.blank_before_fill = frozenset(uncached)  # compared with the columns
    return got


def _same(a: RawColumns, b: RawColumns) -> None:
    assert (a.height, set(a.text), set(a.num)) == (b.height, set(b.text), set(b.num))
    for c in a.text:
        assert a.text[c].to_list() == b.text[c].to_list(), c
    for c in a.num:
        assert a.num[c].to_list() == b.num[c].to_list(), c
    assert a.blank_before_fill == b.blank_before_fill


@pytest.mark.parametrize("seed", range(12))
def test_blocks_of_every_size_give_the_columns_of_the_whole_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(seed)
    rows = sorted(rng.sample(range(1, 400), rng.randint(1, 120)))
    path = raw_xlsx(tmp_path / "s.xlsx", sheet(_body(rng, rows)), sst=SST)
    whole = _columns(path, whole=True)
    assert whole.text and whole.height <= max(rows) - 1
    for size in SIZES:
        monkeypatch.setattr(xlsx_xml, "BLOCK", size)
        _same(_columns(path, whole=False), whole)


def test_rows_that_go_back_are_read_as_one_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(7)
    rows = [*range(2, 60), 5, 3, *range(60, 90)]
    path = raw_xlsx(tmp_path / "s.xlsx", sheet(_body(rng, rows)), sst=SST)
    whole = _columns(path, whole=True)
    monkeypatch.setattr(xlsx_xml, "BLOCK", 300)
    reads: list[object] = []
    real = xlsx_read.typed_blocks

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(xlsx_read, "typed_blocks", counted)
    _same(_columns(path, whole=False), whole)
    assert len(reads) == 2  # by blocks until the rows went back, then whole


def test_a_sheet_with_dates_read_in_small_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["社区名称", "建筑面积", "备注"])
    day = dt.datetime(2007, 12, 20)
    for i in range(300):
        v: object = [i * 1.5, f"{i}平方米", day + dt.timedelta(days=i), True, None][i % 5]
        ws.append([f"社区{i}", v, v])
    wb.save(tmp_path / "d.xlsx")
    with zipfile.ZipFile(tmp_path / "d.xlsx") as zf:
        whole, _ = xlsx_columns.load_columns(
            zf, MEMBER, Limits(), "w", 1, {1}, {0, 1, 2}, whole=True
        )
        monkeypatch.setattr(xlsx_xml, "BLOCK", 512)
        blocks, _ = xlsx_columns.load_columns(zf, MEMBER, Limits(), "w", 1, {1}, {0, 1, 2})
    _same(blocks, whole)
    assert blocks.text[2][2] == "2007-12-22"
    assert blocks.num[1][1] is None and blocks.text[1][1] == "1平方米"


@pytest.mark.parametrize(
    ("early", "late", "expected"),
    [
        # An entity refused early and a shared string past the table later: the shared
        # strings were looked up before the texts were unescaped, and still are.
        ('t="inlineStr"><is><t>&bad;</t></is>', 't="s"><v>99</v>', "shared string 99"),
        ('t="s"><v>x</v>', 't="inlineStr"><is><t>&bad;</t></is>', "index is not a number"),
        ('t="inlineStr"><is><t>&bad;</t></is>', "><v>1</v>", "undefined entity &bad;"),
    ],
)
def test_a_refused_value_is_the_one_the_whole_sheet_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, early: str, late: str, expected: str
) -> None:
    filler = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(3, 80))
    body = f'<row r="2"><c r="A2" {early}</c></row>{filler}<row r="90"><c r="B90" {late}</c></row>'
    path = raw_xlsx(tmp_path / "e.xlsx", sheet(body), sst=SST)
    seen = []
    for size, whole in ((8 << 20, True), (200, False), (8 << 20, False)):
        monkeypatch.setattr(xlsx_xml, "BLOCK", size)
        with pytest.raises(InputError) as err:
            _columns(path, whole=whole)
        seen.append(err.value.line("en"))
    assert len(set(seen)) == 1 and expected in seen[0] and "w" in seen[0]


def test_a_column_without_a_kept_value_is_all_null(tmp_path: Path) -> None:
    body = '<row r="2"><c r="A2" t="e"><v>#N/A</v></c><c r="B2"><v>1</v></c></row>'
    path = raw_xlsx(tmp_path / "n.xlsx", sheet(body), sst=SST)
    got = _columns(path, whole=False)
    assert got.text[0].to_list() == [None] and got.num[1].to_list() == [1.0]
    assert got.text[0].dtype == pl.String
