"""The shortfall summary: arithmetic by hand, unknowns, levels, cost, ranking and the
1128 / 40.5% headline of the 2008 provincial report."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from compliance import api
from compliance.errors import UsageError
from compliance.model import Outcome
from compliance.results import CheckResult, Report
from compliance.rules.model import Parameter
from compliance.summary import COST_PARAMETER, Level, Summary, summarise
from tests.conftest import WorkbookFactory, community
from tests.datasets import five_communities
from tests.findings import finding
from tests.province import COMMUNITIES, UNDER, write_province


def small(make_xlsx: WorkbookFactory) -> Path:
    return make_xlsx(five_communities())


@pytest.fixture
def report(make_xlsx: WorkbookFactory) -> Report:
    return api.check_files([small(make_xlsx)])


def test_totals_by_hand(report: Report) -> None:
    s = summarise(report)
    total = s.total
    assert (total.communities, total.compliant, total.failing, total.unknown) == (5, 1, 2, 2)
    assert total.compliant_share == pytest.approx(0.2)
    premises = total.rule("premises")
    assert (premises.passed, premises.failed, premises.unknown) == (2, 2, 1)
    assert premises.shortfall == pytest.approx(50.5)
    assert premises.fail_share == pytest.approx(0.4)
    assert premises.total is None and premises.gap == pytest.approx(50.5)
    staffing = total.rule("staffing")
    assert (staffing.failed, staffing.shortfall) == (1, 1)
    pay = total.rule("pay")
    assert pay.failed == 1
    # Per-worker yuan do not add up across communities: the gap is in yuan only.
    assert pay.shortfall is None
    assert pay.total == pytest.approx(13235)  # 2,647 per worker × 5 workers
    assert (pay.gap, pay.gap_unit) == (pytest.approx(13235), "yuan")
    pension = total.rule("pension")
    assert (pension.failed, pension.unknown, pension.shortfall) == (1, 1, 2)
    for rid in ("unemployment", "medical", "injury", "maternity", "housing_fund"):
        assert (total.rule(rid).failed, total.rule(rid).shortfall) == (0, 0)


def test_regions_by_hand(report: Report) -> None:
    s = summarise(report)
    assert s.by is Level.DISTRICT and s.levels == (Level.DISTRICT,)
    assert [r.key for r in s.regions] == [("婺城区",), ("金东区",)]
    wucheng, jindong = s.regions
    assert (wucheng.communities, wucheng.compliant, wucheng.failing, wucheng.unknown) == (
        3,
        1,
        1,
        1,
    )
    assert wucheng.rule("premises").shortfall == pytest.approx(50)
    assert wucheng.rule("premises").unknown == 1
    assert wucheng.rule("pay").total == 0
    assert (jindong.communities, jindong.compliant, jindong.failing, jindong.unknown) == (
        2,
        0,
        1,
        1,
    )
    assert jindong.rule("premises").shortfall == pytest.approx(0.5)
    assert jindong.rule("pay").total == pytest.approx(13235)
    assert (jindong.rule("pension").failed, jindong.rule("pension").unknown) == (1, 1)


def test_unknowns_add_nothing_to_shortfalls_or_compliance(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区", area=None), community("乙社区", area="待核实")])
    s = summarise(api.check_files([path]))
    premises = s.total.rule("premises")
    assert (premises.failed, premises.unknown, premises.shortfall) == (0, 2, 0)
    assert (s.total.compliant, s.total.unknown) == (0, 2)
    assert s.total.compliant_share == 0


def test_regions_add_up_to_the_total(report: Report) -> None:
    s = summarise(report, by="subdistrict", cost_per_m2=1000)
    for field in ("communities", "compliant", "failing", "unknown", "cost"):
        assert sum(getattr(r, field) for r in s.regions) == pytest.approx(getattr(s.total, field))
    for rt in s.total.rules:
        parts = [r.rule(rt.rule) for r in s.regions]
        assert sum(p.failed for p in parts) == rt.failed
        assert sum(p.unknown for p in parts) == rt.unknown
        if rt.total is None:
            assert sum(p.shortfall or 0 for p in parts) == pytest.approx(rt.shortfall)
        else:
            assert all(p.shortfall is None for p in parts) and rt.shortfall is None
            assert sum(p.total or 0 for p in parts) == pytest.approx(rt.total)


def test_same_named_subdistricts_of_two_districts_stay_apart(report: Report) -> None:
    s = summarise(report, by="subdistrict")
    assert s.levels == (Level.DISTRICT, Level.SUBDISTRICT)
    assert [r.key for r in s.regions] == [
        ("婺城区", "城东街道"),
        ("婺城区", "城西街道"),
        ("金东区", "城东街道"),
        ("金东区", "多湖街道"),
    ]


def test_default_level_skips_a_level_with_one_name(make_xlsx: WorkbookFactory) -> None:
    headers = ["社区名称", "所属市", "县(市、区)", "建筑面积(m2)"]
    path = make_xlsx(
        [["甲社区", "金华市", "婺城区", 300], ["乙社区", "金华市", "金东区", 400]], headers=headers
    )
    rs = api.load_ruleset("zhejiang-2007")
    report = api.check_files([path], ruleset=rs, rules=[rs.rule("premises")])
    assert not report.failures
    assert summarise(report).by is Level.DISTRICT
    assert summarise(report, by="city").levels == (Level.CITY,)


def test_missing_region_name_is_its_own_region(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区"), community("乙社区", district="")])
    s = summarise(api.check_files([path]), by="district")
    assert [r.key for r in s.regions] == [("婺城区",), ("",)]


def test_level_errors(report: Report) -> None:
    with pytest.raises(UsageError, match="--by 'county'"):
        summarise(report, by="county")
    with pytest.raises(UsageError, match="no city column"):
        summarise(report, by="city")


def test_no_cost_without_a_unit_cost(report: Report) -> None:
    s = summarise(report)
    assert s.cost is None and s.total.cost is None


def test_cost_from_the_option(report: Report) -> None:
    s = summarise(report, cost_per_m2=2000)
    assert s.cost is not None and (s.cost.origin, s.cost.rule) == ("option", "premises")
    assert s.total.cost == pytest.approx(101_000)  # 50.5 m² × 2000
    assert [r.cost for r in s.regions] == [pytest.approx(100_000), pytest.approx(1_000)]


def test_cost_from_the_rule_set_and_the_option_wins(report: Report) -> None:
    rs = report.ruleset
    param = Parameter(COST_PARAMETER, 1500, note_en="illustrative figure")
    priced = dataclasses.replace(
        report, ruleset=dataclasses.replace(rs, parameters={**rs.parameters, COST_PARAMETER: param})
    )
    s = summarise(priced)
    assert s.cost is not None and s.cost.origin == "ruleset"
    assert s.cost.parameter == COST_PARAMETER and s.cost.note_en == "illustrative figure"
    assert s.total.cost == pytest.approx(75_750)
    assert summarise(priced, cost_per_m2=1000).total.cost == pytest.approx(50_500)


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_bad_cost_is_a_usage_error(report: Report, bad: float) -> None:
    with pytest.raises(UsageError, match="cost-per-m2"):
        summarise(report, cost_per_m2=bad)


def test_ranking_largest_gap_first(report: Report) -> None:
    s = summarise(report)
    assert s.headline_rule == "premises"
    assert [r.name for r in s.ranking()] == ["婺城区", "金东区"]
    assert [r.name for r in s.ranking("pay")] == ["金东区"]  # 婺城区 has no pay gap
    assert [r.name for r in s.ranking(top=1)] == ["婺城区"]


def test_multi_file_report_sums_over_files(make_xlsx: WorkbookFactory) -> None:
    a = make_xlsx([community("甲社区", area=300)], name="a.xlsx")
    b = make_xlsx([community("乙社区", area=200, district="金东区")], name="b.xlsx")
    broken = a.with_name("broken.xlsx")
    broken.write_bytes(b"not a workbook")
    report = api.check_files([a, b, broken])
    s = summarise(report)
    assert s.inputs == (str(a), str(b))
    assert s.total.communities == 2
    assert s.total.rule("premises").shortfall == pytest.approx(200)
    assert [r.key for r in s.regions] == [("婺城区",), ("金东区",)]


def _amended(check: CheckResult, at: int, rule: str, **values: object) -> CheckResult:
    """``check`` with the finding of ``rule`` for community ``at`` given ``values``."""
    hit = (pl.col("_rec") == at) & (pl.col("rule") == rule)
    outcomes = check.table.outcomes.with_columns(
        pl.when(hit).then(pl.lit(v)).otherwise(pl.col(k)).alias(k) for k, v in values.items()
    )
    return dataclasses.replace(check, table=check.table.amend(outcomes))


def test_not_yet_due_and_waived_shortfalls_are_kept_apart(report: Report) -> None:
    check = report.checks[0]
    assert [finding(check, "premises", at).outcome for at in (0, 3)] == [Outcome.FAIL] * 2
    check = _amended(check, 0, "premises", outcome="not_yet_due")  # 甲: 50 m²
    check = _amended(check, 3, "premises", outcome="waived")  # 丁: 0.5 m²
    changed = dataclasses.replace(report, checks=(check,))
    summary = summarise(changed, cost_per_m2=100)
    premises = summary.total.rule("premises")
    assert (premises.failed, premises.not_yet_due, premises.waived) == (0, 1, 1)
    assert premises.shortfall == 0
    assert premises.not_yet_due_shortfall == pytest.approx(50)
    assert premises.waived_shortfall == pytest.approx(0.5)
    # A deadline still ahead does not close a gap; a waiver excuses it.
    assert (premises.short, premises.gap) == (1, pytest.approx(50))
    assert summary.total.cost == pytest.approx(5000)
    # 甲 is short only of a rule not yet due: not compliant, not failing either.
    total = summary.total
    assert (total.compliant, total.failing, total.unknown, total.pending) == (1, 1, 2, 1)
    assert [r.name for r in summary.ranking()] == ["婺城区"]


def test_headline_counts_shortfalls_not_yet_due(tmp_path: Path) -> None:
    """At the end of 2007 the 2010 deadline was still ahead, and the report still counts 1128."""
    path = write_province(tmp_path / "zhejiang-2007.xlsx")
    rs = api.load_ruleset("zhejiang-2007")
    report = api.check_files(
        [path], ruleset=rs, rules=[rs.rule("premises")], as_of=dt.date(2007, 12, 31)
    )
    premises = summarise(report).total.rule("premises")
    assert (premises.failed, premises.not_yet_due) == (0, 1128)
    assert (premises.short, f"{premises.short_share:.1%}") == (1128, "40.5%")


def test_failing_pay_without_a_worker_count_is_left_out_of_the_yuan_total(
    report: Report,
) -> None:
    check = report.checks[0]
    assert finding(check, "pay", 3).outcome is Outcome.FAIL
    changed = dataclasses.replace(report, checks=(_amended(check, 3, "pay", total=None),))
    s = summarise(changed)
    rt = s.total.rule("pay")
    assert (rt.failed, rt.unscaled, rt.total) == (1, 1, 0)
    from compliance.render.summary.common import notes

    assert (
        "Pay: the total leaves out 1 failing communities with an empty or unreadable "
        "full-time workers cell." in notes(s, changed, "en")
    )
    assert "报酬：1 个未达标社区未填专职社区工作者人数（数据缺失），未计入总额。" in notes(
        s, changed, "zh"
    )


def test_summary_json_never_adds_up_per_worker_yuan(report: Report) -> None:
    import json

    from compliance.render import RenderOptions
    from compliance.render.summary.json import summary_dict

    doc = summary_dict(summarise(report), report, RenderOptions())
    pay = doc["total"]["rules"]["pay"]
    assert pay["shortfall"] is None and pay["not_yet_due_shortfall"] is None
    assert (pay["total"], pay["gap"], pay["gap_unit"]) == (13235, 13235, "yuan")
    json.dumps(doc)


# --- the 2008 report's headline: 1128 communities (40.5%) under 350 m² at end-2007 ---


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Summary:
    path = write_province(tmp_path_factory.mktemp("province") / "zhejiang-2007.xlsx")
    return summarise(api.check_files([path]), by="city")


def test_province_headline_1128_and_40_5_percent(province: Summary) -> None:
    premises = province.total.rule("premises")
    assert province.total.communities == COMMUNITIES == 2785
    assert premises.failed == UNDER == 1128
    assert f"{premises.fail_share:.1%}" == "40.5%"
    assert premises.unknown == 0


def test_province_by_city_adds_up(province: Summary) -> None:
    assert province.by is Level.CITY
    assert len(province.regions) == 11
    assert sum(r.rule("premises").failed for r in province.regions) == 1128
    assert sum(r.communities for r in province.regions) == 2785
