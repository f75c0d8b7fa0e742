"""Per-worker roster sheets rolled up to their community."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.api import check
from compliance.errors import InputError
from compliance.model import Outcome, SheetData
from compliance.reading import read_records
from tests.reading.builders import DATA, roster_workbook


def _community(data: SheetData, name: str) -> dict[str, object]:
    return next(dict(r.values) for r in data.records if r.values["name"] == name)


@pytest.fixture(params=["xlsx", "xls", "ods"])
def roster_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "xlsx":
        return roster_workbook(tmp_path / "roster.xlsx")
    return DATA / f"roster.{request.param}"


def test_roll_up(roster_file: Path) -> None:
    data = read_records(roster_file)
    east = _community(data, "城东社区")
    # 张三 and 李四 are full-time; 王五 (否) is not counted.
    assert east["full_time_workers"] == 2
    assert east["pay_annual"] == 27000  # (2500 + 2000) / 2 × 12
    assert east["unemployment_insured"] == 1
    assert east["housing_fund"] == 1
    west = _community(data, "西门社区")  # √/× flags
    assert (west["full_time_workers"], west["maternity_insured"]) == (3, 2)
    assert data.source.columns["pension_insured"] == ("人员名册!F", "养老保险")


def test_each_uninsured_or_underpaid_worker_traces_to_a_row(roster_file: Path) -> None:
    rec = next(r for r in read_records(roster_file).records if r.values["name"] == "城东社区")
    assert rec.derived["unemployment_insured"] == (
        "roster: 1 of 2 full-time workers marked yes; not insured: 人员名册!G3 (李四)"
    )
    assert "below 26,647: 人员名册!E3 (李四) 24,000" in rec.derived["pay_annual"]
    assert rec.cells["pension_insured"] == "人员名册!F2:F3"


def test_roster_problems_name_cells(roster_file: Path) -> None:
    problems = {p.code: p for p in read_records(roster_file).problems}
    assert problems["roster_unmatched"].cell == "人员名册!C8"  # 东湖社区 is not in the sheet
    mismatch = problems["roster_mismatch"]
    assert (mismatch.cell, mismatch.field) == ("社区!F2", "pension_insured")
    assert "the roster adds up to 2" in mismatch.message_en


def test_rules_evaluate_from_roster_data(tmp_path: Path) -> None:
    result = check(roster_workbook(tmp_path / "roster.xlsx"), sheet="社区")
    east = next(rr for rr in result.results if rr.record.values["name"] == "城东社区")
    unemployment = east.finding("unemployment")
    assert unemployment is not None and unemployment.outcome is Outcome.FAIL
    assert unemployment.shortfall == 1
    assert any("人员名册!G3 (李四)" in n for n in unemployment.notes)


def test_unreadable_flag_makes_the_count_unknown(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = roster_workbook(tmp_path / "roster.xlsx")
    wb = load_workbook(path)
    wb["人员名册"]["F2"] = "待定"
    wb.save(path)
    data = read_records(path)
    assert _community(data, "城东社区")["pension_insured"] is None
    bad = next(p for p in data.problems if p.cell == "人员名册!F2")
    assert bad.code == "not_a_flag"


def test_roster_can_be_named_or_turned_off(tmp_path: Path) -> None:
    path = roster_workbook(tmp_path / "roster.xlsx")
    off = read_records(path, workers=False)
    assert _community(off, "城东社区")["pension_insured"] == 3  # the sheet's own figure
    assert read_records(path, workers="人员名册").records[0].values["full_time_workers"] == 2
    with pytest.raises(InputError, match="not a per-worker roster"):
        read_records(path, workers="社区")
