"""Messy government layouts: each case in .xlsx, and in .xls/.ods written by LibreOffice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compliance.errors import InputError
from compliance.model import SheetData
from compliance.reading import read_records
from tests.conftest import HEADERS, WorkbookFactory, community
from tests.reading.builders import DATA, convert, messy_workbook, soffice

#: Every test here runs on the native tokeniser and on the pure reader.
pytestmark = pytest.mark.usefixtures("xlsx_reader")

NAMES = ["城东社区", "西门社区", "南苑社区", "北山社区"]


def _by_name(data: SheetData) -> dict[str, dict[str, object]]:
    return {str(r.values["name"]): dict(r.values) for r in data.records}


def _codes(data: SheetData) -> dict[str, str]:
    return {p.cell: p.code for p in data.problems}


def _check_messy(data: SheetData, *, merges: bool) -> None:
    """What every format of the messy workbook must give."""
    src = data.source
    assert src.sheet == "社区情况"
    # The hidden sheet 旧数据 has a valid header but is never used by default.
    assert "hidden sheets not used: 旧数据" in src.notes_en
    assert any(n.startswith("used sheet '社区情况' (the first visible") for n in src.notes_en)
    assert [r.values["name"] for r in data.records] == NAMES
    assert [r.row for r in data.records] == [7, 8, 10, 13]
    # Two-row header: the child 建筑面积(m2 under 社区工作用房, bracket missing, line break.
    assert src.columns["premises_area"][0] == "F"
    assert src.columns["pension_insured"][0] == "J"
    assert src.columns["housing_fund"][0] == "O"
    values = _by_name(data)
    assert values["西门社区"]["households"] == 2150  # "2,150"
    assert values["西门社区"]["premises_area"] == 350  # "３５０平方米"
    assert values["南苑社区"]["full_time_workers"] == 5  # "5人"
    assert values["南苑社区"]["premises_area"] is None  # "—"
    assert values["城东社区"]["pay_annual"] == 30000  # monthly 2500 × 12
    if merges:
        # 所属街道 merged down over rows 7-10.
        assert values["西门社区"]["subdistrict"] == "城东街道"
    # 合计 above the data and 城东街道小计 are skipped and counted.
    assert "skipped 2 subtotal rows: 社区情况!A6, 社区情况!A11" in src.notes_en
    assert "skipped 1 blank row" in src.notes_en
    assert "skipped 1 row with no community name or figures (notes): 社区情况!A14" in (src.notes_en)
    codes = _codes(data)
    assert codes["社区情况!F10"] == "placeholder"
    assert codes["社区情况!B12"] == "duplicate"
    dup = next(p for p in data.problems if p.code == "duplicate")
    assert "row 7" in dup.message_en
    assert "第7行" in dup.message_zh


def test_messy_xlsx(tmp_path: Path) -> None:
    data = read_records(messy_workbook(tmp_path / "messy.xlsx"))
    _check_messy(data, merges=True)
    # openpyxl writes formulas without a cached value: a data problem, not a zero.
    assert _by_name(data)["北山社区"]["premises_area"] is None
    problem = next(p for p in data.problems if p.cell == "社区情况!F13")
    assert problem.code == "formula_not_computed"
    assert "open the file in Excel or WPS, save it" in problem.message_en


@pytest.mark.parametrize(("name", "merges"), [("messy.xls", True), ("messy.ods", False)])
def test_messy_legacy_formats(name: str, merges: bool) -> None:
    # Written by LibreOffice from the same workbook (tests/reading/builders.py);
    # LibreOffice computed the formula, so the value is there.
    data = read_records(DATA / name)
    _check_messy(data, merges=merges)
    assert _by_name(data)["北山社区"]["premises_area"] == 300
    assert data.source.format == name.rsplit(".", 1)[1]


def test_legacy_xls_named_xlsx_is_read(tmp_path: Path) -> None:
    renamed = tmp_path / "from-the-district.xlsx"
    shutil.copy(DATA / "messy.xls", renamed)
    data = read_records(renamed)
    assert data.source.format == "xls"
    assert [r.values["name"] for r in data.records] == NAMES


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("fmt", ["xls", "ods", "xlsx"])
def test_messy_round_trip_through_libreoffice(tmp_path: Path, fmt: str) -> None:
    src = messy_workbook(tmp_path / "messy.xlsx")
    out = convert(src, fmt, tmp_path / "out")
    _check_messy(read_records(out), merges=fmt != "ods")


def test_header_below_title_unit_and_statistics_lines(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("A社区")], title="某某区社区情况统计表")
    data = read_records(path)
    assert data.source.header_rows == (2,)
    assert data.records[0].row == 3


@pytest.mark.parametrize(
    "header",
    [
        "建筑面积\n（㎡）",
        "建筑面积(m2",
        "建筑面积（平方米）",
        "  建筑面积  ",
        "建筑面积【m2】",
        "工作用房面积(㎡)",
    ],
)
def test_header_text_variants(make_xlsx: WorkbookFactory, header: str) -> None:
    headers = [header if h == "建筑面积(m2)" else h for h in HEADERS]
    data = read_records(make_xlsx([community("A社区", area=360)], headers))
    assert data.source.columns["premises_area"][0] == "E"
    assert data.records[0].values["premises_area"] == 360


def test_monthly_pay_header_with_unit_suffix(make_xlsx: WorkbookFactory) -> None:
    headers = [("人均报酬(元/月)" if h == "人均月报酬" else h) for h in HEADERS]
    data = read_records(make_xlsx([community("A社区", monthly=2000)], headers))
    assert data.records[0].values["pay_annual"] == 24000


def test_three_row_header_with_merged_parents(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["社区名称", "基本情况", None, "社区工作者", None])
    ws.append([None, "总户数", "社区工作用房", "专职人数", "人均月报酬"])
    ws.append([None, None, "建筑面积(m2)", None, None])
    ws.append(["A社区", 2100, 320, 5, 2000])
    for rng in ("A1:A3", "B1:C1", "D1:E1", "B2:B3", "D2:D3", "E2:E3"):
        ws.merge_cells(rng)
    path = tmp_path / "three.xlsx"
    wb.save(path)
    data = read_records(path)
    assert data.records[0].values["premises_area"] == 320
    assert data.records[0].values["households"] == 2100
    assert data.records[0].row == 4


def test_numbers_as_text_and_units(make_xlsx: WorkbookFactory) -> None:
    rows = [
        community("A社区", households="1,200", area="３５０", workers="5人"),
        community("B社区", households=" 2200 ", area="350平方米", workers="６"),
        community("C社区", households="1,200户", area="360.5 m2", workers="5 名"),
    ]
    data = read_records(make_xlsx(rows))
    got = [(r.values["households"], r.values["premises_area"], r.values["full_time_workers"])
           for r in data.records]  # fmt: skip
    assert got == [(1200, 350, 5), (2200, 350, 6), (1200, 360.5, 5)]
    assert data.problems == ()


def test_unreadable_cell_is_a_problem_naming_its_cell(make_xlsx: WorkbookFactory) -> None:
    rows = [community("A社区", area="约三百"), community("B社区", workers=-2)]
    data = read_records(make_xlsx(rows, name="p.xlsx"))
    assert [(p.cell, p.code, p.raw) for p in data.problems] == [
        ("Sheet1!E2", "not_a_number", "约三百"),
        ("Sheet1!F3", "negative", "-2"),
    ]
    assert data.problems[0].message_zh == "“约三百”不是数字"
    assert data.records[0].values["premises_area"] is None  # unknown, never a pass
    assert data.records[0].cells["premises_area"] == "Sheet1!E2"


def test_duplicate_ids_first_row_counts(tmp_path: Path) -> None:
    csv = tmp_path / "ids.csv"
    csv.write_text(
        "社区代码,社区名称,总户数,建筑面积\n"
        "330702001,A社区,1500,400\n"
        "330702002,B社区,1500,300\n"
        "330702001,A社区(重复),1600,420\n",
        encoding="utf-8",
    )
    data = read_records(csv)
    assert [r.values["name"] for r in data.records] == ["A社区", "B社区"]
    (problem,) = data.problems
    assert (problem.code, problem.cell, problem.row) == ("duplicate", "A4", 4)
    assert "row 2" in problem.message_en


def test_same_name_in_other_subdistrict_is_not_a_duplicate(make_xlsx: WorkbookFactory) -> None:
    rows = [
        community("新村社区", subdistrict="城东街道"),
        community("新村社区", subdistrict="城西街道"),
    ]
    assert len(read_records(make_xlsx(rows)).records) == 2


def test_gbk_csv(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes('社区名称,总户数,建筑面积(m2)\n城东社区,"2,100",３５０\n'.encode("gbk"))
    data = read_records(path)
    assert data.source.format == "csv (gb18030)"
    assert dict(data.records[0].values) == {
        "name": "城东社区",
        "households": 2100,
        "premises_area": 350,
    }
    assert data.records[0].cells["premises_area"] == "C2"


def test_csv_renamed_xlsx_is_read_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "really-text.xlsx"
    path.write_text("社区名称,总户数,建筑面积\nA社区,1500,400\n", encoding="utf-8")
    data = read_records(path)
    assert data.source.format == "csv (utf-8)"
    assert "named .xlsx but the content is text (CSV); read as CSV" in data.source.notes_en


# --- sheet choice --------------------------------------------------------------------


def _two_sheets(tmp_path: Path, *, hide_data: bool = False, hide_all: bool = False) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    cover = wb.active
    cover.title = "封面"
    cover.append(["2007年社区情况"])
    data = wb.create_sheet("社区")
    data.append(HEADERS)
    data.append(community("A社区"))
    if hide_data:
        data.sheet_state = "hidden"
    if hide_all:
        cover.sheet_state = "hidden"
        data.sheet_state = "hidden"
        wb.create_sheet("空白")  # openpyxl needs one visible sheet
        wb.active = 2
    path = tmp_path / "two.xlsx"
    wb.save(path)
    return path


def test_first_visible_sheet_with_a_header_is_used(tmp_path: Path) -> None:
    data = read_records(_two_sheets(tmp_path))
    assert data.source.sheet == "社区"
    assert data.source.notes_zh[0].startswith("使用工作表“社区”")


def test_hidden_sheet_is_not_used_but_suggested(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"hidden sheet '社区' does; pass --sheet '社区'"):
        read_records(_two_sheets(tmp_path, hide_data=True))


def test_hidden_sheet_by_name_or_number(tmp_path: Path) -> None:
    path = _two_sheets(tmp_path, hide_data=True)
    assert read_records(path, sheet="社区").source.sheet == "社区"
    assert read_records(path, sheet=2).source.sheet == "社区"
    assert read_records(path, sheet="2").source.sheet == "社区"


def test_sheet_option_errors(tmp_path: Path) -> None:
    path = _two_sheets(tmp_path)
    with pytest.raises(InputError, match="no sheet named '人员'; sheets: 封面, 社区"):
        read_records(path, sheet="人员")
    with pytest.raises(InputError, match="no sheet number 5; the workbook has 2"):
        read_records(path, sheet=5)


def test_empty_sheet_and_no_data_rows(make_xlsx: WorkbookFactory) -> None:
    with pytest.raises(InputError, match="the sheet is empty"):
        read_records(make_xlsx([], headers=None, name="empty.xlsx"))
    with pytest.raises(InputError, match=r"no data rows under the header \(row 1\)"):
        read_records(make_xlsx([], name="header-only.xlsx"))


def test_no_header_lists_what_was_found(make_xlsx: WorkbookFactory) -> None:
    with pytest.raises(InputError) as info:
        read_records(make_xlsx([["a", 1]], headers=["单位", "数值"]))
    assert "no header row found" in str(info.value)
    assert "(found: 单位, 数值, a, 1)" in str(info.value)
    assert "--column HEADER=FIELD or --mapping FILE" in str(info.value)
