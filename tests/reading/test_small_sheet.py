"""A small .xlsx sheet is read once, for its head and its data rows, with the same result
and the same errors as a head read first and the data rows read after."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from compliance.errors import InputError
from compliance.reading import xlsx_read
from compliance.reading.records import read_frame
from tests.reading.builders import messy_workbook, raw_xlsx, roster_workbook, sheet

pytestmark = pytest.mark.usefixtures("xlsx_reader")

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
HEADER = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>社区名称</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>户数</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>用房面积</t></is></c></row>'
)


def _rows(n: int, odd: dict[int, str] | None = None) -> str:
    out = []
    for r in range(2, n + 2):
        cells = (
            f'<c r="A{r}" t="inlineStr"><is><t>社区{r}</t></is></c>'
            f'<c r="B{r}"><v>{r * 10}</v></c><c r="C{r}"><v>{300 + r}</v></c>'
        )
        out.append(f'<row r="{r}">{(odd or {}).get(r, cells)}</row>')
    return "".join(out)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """The stop row of every reading of a sheet's cells."""
    seen: list[int | None] = []
    real = xlsx_read.typed_blocks

    def counted(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs.get("stop_row"))
        return real(*args, **kwargs)

    monkeypatch.setattr(xlsx_read, "typed_blocks", counted)
    return seen


def _outcome(path: Path) -> Any:
    try:
        data = read_frame(path)
    except InputError as exc:
        return ("error", str(exc))
    return (data.frame.to_dicts(), data.problems, data.source, data.derived)


def _cases(tmp_path: Path) -> list[Path]:
    paths = [messy_workbook(tmp_path / "messy.xlsx"), roster_workbook(tmp_path / "roster.xlsx")]
    for sample in ("jinhua-2007.xlsx", "jinhua-2008.xlsx", "shengzhou-villages-illustrative.xlsx"):
        paths.append(Path(shutil.copy(SAMPLES / sample, tmp_path / sample)))
    return paths


def test_a_small_sheet_reads_as_in_two_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in _cases(tmp_path):
        once = _outcome(path)
        with monkeypatch.context() as m:
            m.setattr(xlsx_read, "_HEAD_BLOCK", -1)
            twice = _outcome(path)
        assert once == twice, path.name
        assert once[0] != "error", path.name


def test_a_small_sheet_is_read_once(tmp_path: Path, reads: list[int | None]) -> None:
    path = raw_xlsx(tmp_path / "one.xlsx", sheet(HEADER + _rows(200)))
    data = read_frame(path)
    assert len(data) == 200
    assert reads == [None]  # one reading, of the whole sheet, and none of the data rows after


def test_a_large_sheet_is_read_in_two_passes(
    tmp_path: Path, reads: list[int | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = raw_xlsx(tmp_path / "two.xlsx", sheet(HEADER + _rows(200)))
    monkeypatch.setattr(xlsx_read, "_HEAD_BLOCK", 1000)  # smaller than this sheet
    read_frame(path)
    assert len(reads) == 2 and reads[0] is not None and reads[1] is None


@pytest.mark.parametrize(
    "odd",
    [
        '<c r="A150" t="s"><v>x</v></c>',  # a shared-string index that is not a number
        '<c r="A150" t="s"><v>99</v></c>',  # a shared string past the table
        '<c r="A150" t="inlineStr"><is><t>&bogus;</t></is></c>',  # an undefined entity
        '<c r="A0"><v>1</v></c>',  # a malformed reference
        '<c r="XFD1048576"><v>1</v></c>',  # a cell past the limit
        '<c r="B150"><v>1</v></c><c r="B150">',  # XML never closed
    ],
)
def test_errors_past_the_head_are_those_of_two_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, odd: str
) -> None:
    path = raw_xlsx(tmp_path / "odd.xlsx", sheet(HEADER + _rows(200, {150: odd})))
    once = _outcome(path)
    with monkeypatch.context() as m:
        m.setattr(xlsx_read, "_HEAD_BLOCK", -1)
        twice = _outcome(path)
    assert once == twice


@pytest.mark.parametrize(
    "tail",
    [
        # A shared-string index that is not a number.
        rb'<row r="150"><c r="A150" t="s"><v>x</v></c></row></sheetData></worksheet>',
        # The sheet's XML cut short.
        rb'<row r="150"><c r="A150"><v>1</v>',
    ],
)
def test_a_damaged_sheet_that_is_not_chosen_does_not_sink_the_file(
    tmp_path: Path, tail: bytes
) -> None:
    # The first sheet has no header, and a damaged cell past the rows a head is read
    # from: reading it whole would raise while choosing the sheet; only its head is
    # read, and the data sheet after it is chosen.
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "说明"
    for r in range(1, 201):
        notes.cell(row=r, column=1, value=f"第{r}条说明")
    data = book.create_sheet("社区情况")
    data.append(["社区名称", "户数", "用房面积"])
    for r in range(5):
        data.append([f"社区{r}", 100 + r, 300 + r])
    path = tmp_path / "two-sheets.xlsx"
    book.save(path)
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                at = content.index(b'<row r="150"')
                content = content[:at] + tail
            out.writestr(item, content)
    got = read_frame(damaged)
    assert got.source.sheet == "社区情况"
    assert len(got) == 5
