"""Interpretation choices the source text leaves open, as rule-set parameters:
maternity insurance for female workers (女工生育) and premises that "basically reach"
(基本达到) 350 m²."""

from __future__ import annotations

from typing import Any

import pytest

from compliance import api
from compliance.errors import RuleSetError
from compliance.model import Outcome
from compliance.rules.chain import read_rule_file
from compliance.rules.compile import compile_ruleset
from compliance.rules.loader import load_ruleset
from compliance.rules.model import RuleSet
from compliance.rules.validate import validate_file
from tests.conftest import WorkbookFactory
from tests.findings import Found, check_one, communities

RULESET = load_ruleset()


def changed(params: dict[str, Any] | None = None, **rule_keys: dict[str, Any]) -> RuleSet:
    """The default rule set with parameter values and rule keys changed."""
    assert RULESET.path is not None
    raw, digest = read_rule_file(RULESET.path)
    for pid, value in (params or {}).items():
        raw["parameters"][pid]["value"] = value
    for rid, keys in rule_keys.items():
        next(r for r in raw["rules"] if r["id"] == rid).update(keys)
    return compile_ruleset(validate_file(raw, "test"), where="test", sha256=digest)


# -- maternity: 女工生育 ---------------------------------------------------------

HEADERS = ["社区名称", "专职人数", "生育保险人数"]


def maternity(make_xlsx: WorkbookFactory, row: list[Any], headers: list[str], rs: RuleSet) -> Any:
    path = make_xlsx([row], headers)
    result = api.check(path, ruleset=rs, rules=[rs.rule("maternity")])
    f = communities(result)[0].finding("maternity")
    assert f is not None
    return result, f


@pytest.mark.parametrize("header", ["女职工人数", "女性专职人数", "专职女职工人数"])
def test_maternity_counts_female_workers_when_the_sheet_has_them(
    make_xlsx: WorkbookFactory, header: str
) -> None:
    result, f = maternity(make_xlsx, ["甲社区", 6, 3, 3], [*HEADERS, header], RULESET)
    assert (f.outcome, f.required, f.derivation) == (Outcome.PASS, 3, "female_workers = 3")
    assert not any("stand_in" in n for n in f.notes)
    assert not any("female" in n for n in result.source.notes_en)


def test_maternity_counts_every_worker_without_a_female_column_and_says_so(
    make_xlsx: WorkbookFactory,
) -> None:
    result, f = maternity(make_xlsx, ["甲社区", 6, 3], HEADERS, RULESET)
    assert (f.outcome, f.required, f.shortfall) == (Outcome.FAIL, 6, 3)
    assert f.derivation == "full_time_workers = 6"
    assert f.notes == ("female_workers=stand_in:full_time_workers",)
    assert result.source.notes_en[-1] == (
        "Maternity: the sheet has no female workers column, so it is counted against "
        "full-time workers"
    )
    assert result.source.notes_zh[-1] == "生育：表中没有“女职工人数”列，按专职社区工作者人数计"


def test_an_empty_female_count_is_unknown_not_replaced(make_xlsx: WorkbookFactory) -> None:
    _, f = maternity(make_xlsx, ["甲社区", 6, 3, None], [*HEADERS, "女职工人数"], RULESET)
    assert f.outcome is Outcome.UNKNOWN
    assert f.missing == ("female_workers",)


def test_the_all_workers_reading_ignores_the_female_column(make_xlsx: WorkbookFactory) -> None:
    rs = changed({"maternity_basis": "all"})
    result, f = maternity(make_xlsx, ["甲社区", 6, 3, 3], [*HEADERS, "女职工人数"], rs)
    assert (f.outcome, f.required, f.shortfall) == (Outcome.FAIL, 6, 3)
    assert f.derivation == "full_time_workers = 6"
    assert result.source.notes_en[-1] == (
        "Maternity: counted against full-time workers, not female workers (rule-set reading)"
    )
    # An empty female count does not matter under this reading.
    _, empty = maternity(make_xlsx, ["甲社区", 6, 6, None], [*HEADERS, "女职工人数"], rs)
    assert empty.outcome is Outcome.PASS


def test_maternity_basis_is_an_interpretation_choice() -> None:
    p = RULESET.parameters["maternity_basis"]
    assert p.interpretation and p.value == "female" and p.choices == ("female", "all")
    assert "女工生育" in p.note_zh
    with pytest.raises(RuleSetError, match="is not one of"):
        changed({"maternity_basis": "women"})


# -- premises: 基本达到 ----------------------------------------------------------


def premises(area: float, rs: RuleSet) -> Found:
    values = {"premises_area": area}
    return check_one(values, rs, [rs.rule("premises")], cells={"premises_area": "S!D2"}).findings[0]


def test_by_default_350_is_a_hard_minimum() -> None:
    p = RULESET.parameters["premises_tolerance_m2"]
    assert (p.value, p.interpretation, p.unit) == (0, True, "m2")
    assert "基本达到" in p.note_zh
    f = premises(349.99, RULESET)
    assert (f.outcome, f.shortfall) == (Outcome.FAIL, 0.01)
    assert f.derivation == "min_premises_m2 = 350"


def test_a_tolerance_passes_a_community_basically_there() -> None:
    rs = changed({"premises_tolerance_m2": 20})
    near = premises(330, rs)
    assert (near.outcome, near.required, near.shortfall) == (Outcome.PASS, 350, 0)
    assert near.derivation == "min_premises_m2 = 350; tolerance 20 (within it)"
    far = premises(329.5, rs)
    # Beyond the tolerance the shortfall is the whole gap to 350.
    assert (far.outcome, far.shortfall) == (Outcome.FAIL, 20.5)
    assert far.derivation == "min_premises_m2 = 350; tolerance 20"


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"tolerance": "premises_area / 10"}, "must use parameters only"),
        ({"tolerance": "0 - 5"}, "must be 0 or more"),
        ({"tolerance": "nothing_here"}, "nothing_here"),
    ],
)
def test_bad_tolerances_are_refused(keys: dict[str, Any], message: str) -> None:
    with pytest.raises(RuleSetError, match=message):
        changed(premises=keys)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"stand_in": {"households": "full_time_workers"}}, "is not read by"),
        ({"stand_in": {"female_workers": "name"}}, "cannot stand in"),
        ({"per_worker": True}, "the measure must be one record field"),
        ({"stand_in_if": "maternity_insured > 1"}, "must use parameters only"),
        ({"stand_in_if": "maternity_basis"}, "stand_in_if"),
    ],
)
def test_bad_stand_ins_and_per_worker_are_refused(keys: dict[str, Any], message: str) -> None:
    rule = "pay" if "per_worker" in keys else "maternity"
    extra = {"measure": "pay_annual * 1"} if "per_worker" in keys else {}
    with pytest.raises(RuleSetError, match=message):
        changed(**{rule: {**keys, **extra}})


def test_interpretations_are_printed_in_the_report(make_xlsx: WorkbookFactory) -> None:
    from typer.testing import CliRunner

    from compliance.cli.app import app

    path = make_xlsx([["甲社区", 6, 6]], HEADERS)
    out = CliRunner().invoke(
        app, ["check", str(path), "--select", "maternity", "--format", "markdown", "--lang", "zh"]
    )
    assert out.exit_code == 0, out.output
    assert "## 解释口径\n\n- 人员配备取整方式 = ceil: " in out.output
    assert "- 生育保险计算口径 = female: 原文为“女工生育”保险。" in out.output
    assert "- 用房面积“基本达到”容差 = 0: 原文为“面积基本达到350平方米以上”" in out.output
    assert "## 说明\n\n- 生育：表中没有“女职工人数”列，按专职社区工作者人数计\n" in out.output
