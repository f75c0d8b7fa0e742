"""Per-worker roster sheets rolled up to their community."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance import labels
from compliance.api import check
from compliance.errors import InputError
from compliance.model import Outcome, SheetData
from compliance.reading import read_frame, read_records
from tests.findings import Found, communities
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
    assert rec.derived["pay_annual"] == (
        "roster: 2 full-time workers' annual pay (monthly × 12), judged one by one; "
        "mean 27,000, lowest 人员名册!E3 (李四) 24,000"
    )
    assert rec.values["pay_annual@workers"] == (
        (30000.0, "人员名册!E2", "张三"),
        (24000.0, "人员名册!E3", "李四"),
    )
    assert rec.cells["pension_insured"] == "人员名册!F2:F3"


def test_roster_problems_name_cells(roster_file: Path) -> None:
    problems = {p.code: p for p in read_records(roster_file).problems}
    assert problems["roster_unmatched"].cell == "人员名册!C8"  # 东湖社区 is not in the sheet
    mismatch = problems["roster_mismatch"]
    assert (mismatch.cell, mismatch.field) == ("社区!F2", "pension_insured")
    assert "the roster adds up to 2" in mismatch.message_en


def test_rules_evaluate_from_roster_data(tmp_path: Path) -> None:
    result = check(roster_workbook(tmp_path / "roster.xlsx"), sheet="社区")
    east = next(c for c in communities(result) if c.name == "城东社区")
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


def pay_roster(tmp_path: Path, pays: list[object], wage: object = 26647) -> Path:
    """One community whose full-time workers earn ``pays`` a year, on a roster."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "社区"
    ws.append(["社区名称", "所属街道", "总户数", "建筑面积(m2)", "上年职工平均工资"])
    ws.append(["城东社区", "城东街道", 1500, 400, wage])
    ros = wb.create_sheet("人员名册")
    ros.append(["姓名", "所属社区", "是否专职", "年收入(元)"])
    for i, pay in enumerate(pays, 1):
        ros.append([f"工作者{i}", "城东社区", "是", pay])
    path = tmp_path / "pay.xlsx"
    wb.save(path)
    return path


def _pay(path: Path) -> Found:
    from compliance.rules.loader import load_ruleset

    rs = load_ruleset()
    f = communities(check(path, sheet="社区", rules=[rs.rule("pay")]))[0].finding("pay")
    assert f is not None
    return f


def test_pay_is_judged_per_worker_not_on_the_mean(tmp_path: Path) -> None:
    # The mean (28,000) is above the wage; four of the five workers are not.
    f = _pay(pay_roster(tmp_path, [60000, 20000, 20000, 20000, 20000]))
    assert f.outcome is Outcome.FAIL
    assert (f.actual, f.required, f.shortfall) == (20000, 26647, 6647)
    assert f.total == 26588  # 4 × 6,647: the sum over the underpaid workers
    assert f.cells == ("人员名册!D3", "人员名册!D4", "人员名册!D5", "人员名册!D6")
    assert f.derivation == "local_avg_wage = 26647"
    below = next(n for n in f.notes if n.startswith("pay_annual=below:"))
    assert labels.note(below, "en") == (
        "4 of 5 workers below the requirement: "
        "人员名册!D3 (工作者2) 20,000, 人员名册!D4 (工作者3) 20,000, "
        "人员名册!D5 (工作者4) 20,000, 人员名册!D6 (工作者5) 20,000"
    )


def test_per_worker_pay_passes_only_when_every_worker_does(tmp_path: Path) -> None:
    f = _pay(pay_roster(tmp_path, [26647, 30000]))
    assert (f.outcome, f.actual, f.shortfall, f.total) == (Outcome.PASS, 26647, 0, 0)
    one = _pay(pay_roster(tmp_path, [26646.5, 90000]))
    assert (one.outcome, one.shortfall, one.total) == (Outcome.FAIL, 0.5, 0.5)
    assert one.cells == ("人员名册!D2",)


def test_per_worker_pay_with_an_unreadable_pay_is_unknown(tmp_path: Path) -> None:
    f = _pay(pay_roster(tmp_path, [30000, "待核实"]))
    assert f.outcome is Outcome.UNKNOWN


# --- 性别: maternity against the roster's women (issue 20) ---------------------------


def sex_roster(tmp_path: Path, workers: list[tuple[str, object, str]]) -> Path:
    """One community; each worker (full-time flag, 性别, 生育保险) on a roster."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "社区"
    ws.append(["社区名称", "所属街道", "县(市、区)", "总户数", "建筑面积(m2)", "上年职工平均工资"])
    ws.append(["城西社区", "城西街道", "婺城区", 1200, 420, 26647])
    ros = wb.create_sheet("人员名册")
    heads = ["姓名", "所属社区", "是否专职", "性别", "年收入(元)", "养老保险", "失业保险"]
    ros.append([*heads, "医疗保险", "工伤保险", "生育保险", "住房公积金"])
    for i, (full_time, sex, maternity) in enumerate(workers, 1):
        ros.append([f"职工{i}", "城西社区", full_time, sex, 40000, *["是"] * 4, maternity, "是"])
    path = tmp_path / "sex.xlsx"
    wb.save(path)
    return path


def _maternity(path: Path) -> dict[str, object]:
    import json

    from typer.testing import CliRunner

    from compliance.cli import app

    out = CliRunner().invoke(app, ["check", str(path), "-f", "json", "--all-findings"]).stdout
    doc = json.loads(out)
    (record,) = doc["records"]
    finding = next(f for f in record["findings"] if f["rule"] == "maternity")
    return finding | {"_notes_en": doc["inputs"][0]["notes_en"]}  # type: ignore[no-any-return]


def test_maternity_is_counted_against_the_women_on_the_roster(tmp_path: Path) -> None:
    # 4 women insured, 3 men not: 4 of 4 women, not 4 of 7 workers.
    workers = [("是", "女", "是")] * 4 + [("是", "男", "否")] * 3 + [("否", "女", "否")]
    got = _maternity(sex_roster(tmp_path, workers))
    assert (got["outcome"], got["actual"], got["required"]) == ("pass", 4, 4)
    assert got["derivation"] == "female_workers = 4"
    assert "female_workers=roster: 4 of 7 full-time workers are women (性别)" in got["notes"]
    assert (
        "the roster sheet '人员名册' gives each worker's sex: female workers are the women "
        "among the full-time workers, and maternity is counted against them"
    ) in got["_notes_en"]
    data = read_frame(sex_roster(tmp_path, workers))
    assert data.source.columns["female_workers"] == ("人员名册!D", "性别")
    assert data.frame["female_workers"].to_list() == [4]
    assert any("生育保险按女职工计" in n for n in data.source.notes_zh)


def test_an_uninsured_woman_is_a_maternity_shortfall(tmp_path: Path) -> None:
    workers = [("是", "F", "是"), ("是", "female", "否"), ("是", "M", "否"), ("是", "男性", "否")]
    got = _maternity(sex_roster(tmp_path, workers))
    assert (got["outcome"], got["actual"], got["required"], got["shortfall"]) == ("fail", 1, 2, 1)


def test_an_unreadable_sex_leaves_maternity_unknown_and_names_the_cell(tmp_path: Path) -> None:
    path = sex_roster(tmp_path, [("是", "女", "是"), ("是", "未填", "是"), ("是", "男", "否")])
    data = read_frame(path)
    bad = next(p for p in data.problems if p.code == "not_a_sex")
    assert (bad.cell, bad.field) == ("人员名册!D3", "sex")
    assert bad.message_en == "'未填' is not a sex (男/女, M/F)"
    assert bad.message_zh == "“未填”不是性别（男/女）"
    assert data.frame["female_workers"].to_list() == [None]
    assert _maternity(path)["outcome"] == "unknown"
    # A part-timer's sex is not needed: only the full-time workers are counted.
    path = sex_roster(tmp_path, [("是", "女", "是"), ("否", None, "否"), ("是", "男", "否")])
    assert read_frame(path).frame["female_workers"].to_list() == [1]
