"""read_frame: the needed columns of a sheet as polars columns, and the number bounds."""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

import compliance
from compliance.reading import cells, read_records, xlsx_columns
from compliance.reading.frame import field_cells
from compliance.reading.records import read_frame
from tests.conftest import HEADERS, WorkbookFactory, community
from tests.findings import communities

#: Every test here runs on the native tokeniser and on the pure reader.
pytestmark = pytest.mark.usefixtures("xlsx_reader")


def test_frame_has_typed_columns_and_sheet_rows(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx(
        [
            community("甲社区"),
            community("乙社区", area="３５０平方米"),
            community("丙社区", area="约三百"),
        ],
        title="统计表",
    )
    sf = read_frame(path)
    f = sf.frame
    assert f["_row"].dtype == pl.Int64 and f["_row"].to_list() == [3, 4, 5]
    assert f["name"].dtype == pl.String and f["name"].to_list() == ["甲社区", "乙社区", "丙社区"]
    assert f["premises_area"].dtype == pl.Float64
    assert f["premises_area"].to_list() == [400.0, 350.0, None]
    assert f["pay_annual"].to_list() == [30000.0] * 3
    assert sf.derived == {"pay_annual": "pay_monthly × 12"}
    assert [(p.code, p.cell, p.field) for p in sf.problems] == [
        (cells.NOT_A_NUMBER, "Sheet1!E5", "premises_area")
    ]
    # No cell reference is stored per row: the records name them from the column.
    assert not [c for c in f.columns if c.startswith("_cell:")]
    named = sf.frame.select(
        field_cells(sf, "premises_area").alias("a"), field_cells(sf, "pay_annual").alias("b")
    )
    assert named.row(2)[0] == "Sheet1!E5"
    assert named.row(0)[1] == "Sheet1!G3"


def test_read_records_is_the_frame_as_records(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区"), community("乙社区", workers="5人")])
    data = read_records(path)
    again = read_frame(path).to_sheet_data()
    assert data.source == again.source and data.problems == again.problems
    assert [dict(r.values) for r in data.records] == [dict(r.values) for r in again.records]
    assert data.records[1].values["full_time_workers"] == 5.0


def test_only_odd_cells_reach_the_python_parser(
    make_xlsx: WorkbookFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[object] = []
    real = cells.parse_number

    def spy(v: object) -> tuple[float | None, str | None]:
        seen.append(v)
        return real(v)

    monkeypatch.setattr(cells, "parse_number", spy)
    rows = [community(f"社区{i}") for i in range(50)] + [community("末社区", area="1,200")]
    sf = read_frame(make_xlsx(rows))
    assert seen == ["1,200"]
    assert sf.frame["premises_area"][-1] == 1200.0


def test_xlsx_is_read_in_one_pass_with_merged_cells_filled_down(
    tmp_path: Path, make_xlsx: WorkbookFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = xlsx_columns.load_columns

    def spy(*args: object, **kwargs: object) -> object:
        calls.append("native")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(xlsx_columns, "load_columns", spy)
    read_frame(make_xlsx([community("甲社区"), community("乙社区")]))
    assert calls == ["native"]
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(community("甲社区"))
    ws.append(community("乙社区", subdistrict=""))
    ws.merge_cells("B2:B3")
    wb.save(tmp_path / "merged.xlsx")
    sf = read_frame(tmp_path / "merged.xlsx")
    assert calls == ["native", "native"]
    assert sf.frame["subdistrict"].to_list() == ["城东街道", "城东街道"]


@pytest.mark.parametrize("area", ["9" * 400, 1e308, -1e308, "1e999", "２" * 20])
def test_implausible_numbers_are_data_problems_never_a_pass(
    make_xlsx: WorkbookFactory, area: object
) -> None:
    path = make_xlsx([community("甲社区", area=area)])
    sf = read_frame(path)
    assert sf.frame["premises_area"].to_list() == [None]
    (problem,) = sf.problems
    assert problem.field == "premises_area" and problem.cell == "Sheet1!E2"
    assert problem.code in (cells.OUT_OF_RANGE, cells.NEGATIVE, cells.NOT_A_NUMBER)
    result = compliance.check(path)
    (finding,) = [f for f in communities(result)[0].findings if f.rule == "premises"]
    assert finding.outcome is compliance.Outcome.UNKNOWN


@given(st.floats(min_value=0.0, allow_nan=False))
def test_parse_number_bounds_every_float(x: float) -> None:
    value, code = cells.parse_number(x)
    if x <= cells.MAX_PLAUSIBLE:
        assert (value, code) == (x, None)
    else:
        assert (value, code) == (None, cells.OUT_OF_RANGE)


@given(st.integers(min_value=1, max_value=500))
def test_parse_number_of_long_digit_text_is_finite_or_refused(n: int) -> None:
    value, code = cells.parse_number("9" * n)
    assert value is None or (math.isfinite(value) and value <= cells.MAX_PLAUSIBLE)
    assert (code is None) == (n <= 12)


def test_error_and_text_cells_in_a_numeric_column_keep_their_codes(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(community("甲社区", area="#N/A", workers="五人"))
    ws.append(community("乙社区", area="—", workers=-2))
    ws.append(community("丙社区", area=" 400 ", workers=2.5))
    wb.save(tmp_path / "t.xlsx")
    sf = read_frame(tmp_path / "t.xlsx")
    codes = {(p.cell, p.code) for p in sf.problems}
    assert codes == {
        ("Sheet!E2", cells.ERROR_VALUE),
        ("Sheet!F2", cells.NOT_A_NUMBER),
        ("Sheet!E3", cells.PLACEHOLDER),
        ("Sheet!F3", cells.NEGATIVE),
        ("Sheet!F4", cells.NOT_WHOLE),
    }
    assert sf.frame["premises_area"].to_list() == [None, None, 400.0]
    assert sf.frame["full_time_workers"].to_list() == [None, None, 2.5]


@pytest.mark.parametrize("stacked", [1, 60])
def test_numeric_columns_parsed_a_few_at_a_time_read_as_all_at_once(
    make_xlsx: WorkbookFactory, monkeypatch: pytest.MonkeyPatch, stacked: int
) -> None:
    from compliance.reading import values

    odd: list[object] = ["350平方米", "-3", "1e400", "12.5", "约400", "", "2,150", 7.5, None, "五"]
    rows = [
        community(f"社区{i}", households=odd[i % 10], area=odd[(i + 3) % 10], workers=odd[i % 7])
        for i in range(30)
    ]
    path = make_xlsx(rows)
    whole = read_frame(path)
    monkeypatch.setattr(values, "_STACKED", stacked)
    parts = read_frame(path)
    assert parts.frame.equals(whole.frame)
    assert parts.problems == whole.problems
    assert len(whole.problems) > 10
