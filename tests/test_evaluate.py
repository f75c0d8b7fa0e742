"""Evaluation: the boundaries of each 2007 standard, unknowns and derivations."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance import labels
from compliance.model import Outcome
from compliance.rules.loader import load_ruleset
from compliance.rules.model import Parameter, RuleSet
from tests.findings import Community, Found, check_one

RULESET = load_ruleset()
BASE: dict[str, Any] = {
    "name": "测试社区",
    "district": "婺城区",
    "households": 1500.0,
    "premises_area": 400.0,
    "full_time_workers": 6.0,
    "pay_annual": 30000.0,
    "local_avg_wage": 26647.0,
    "pension_insured": 6.0,
    "unemployment_insured": 6.0,
    "medical_insured": 6.0,
    "injury_insured": 6.0,
    "maternity_insured": 6.0,
    "housing_fund": 6.0,
}


def record(**changes: Any) -> dict[str, Any]:
    """The base record's values with ``changes``: each field in its own column of
    sheet "S", row 2 (name A2, district B2, households C2, premises D2, …)."""
    return {**BASE, **changes}


def check(values: dict[str, Any], ruleset: RuleSet = RULESET, **options: Any) -> Community:
    return check_one(values, ruleset, **options)


def finding(rule: str, ruleset: RuleSet = RULESET, **changes: Any) -> Found:
    found = check(record(**changes), ruleset).finding(rule)
    assert found is not None
    return found


def with_rounding(mode: str) -> RuleSet:
    """The default rule set reloaded with another staffing rounding."""
    from compliance.rules.chain import read_rule_file
    from compliance.rules.compile import compile_ruleset
    from compliance.rules.validate import validate_file

    assert RULESET.path is not None
    raw, digest = read_rule_file(RULESET.path)
    raw["parameters"]["staffing_rounding"]["value"] = mode
    return compile_ruleset(validate_file(raw, "test"), where="test", sha256=digest)


FLOOR = with_rounding("floor")


# -- premises ≥ 350 m² ------------------------------------------------------
def test_premises_349_99_fails_by_0_01() -> None:
    f = finding("premises", premises_area=349.99)
    assert f.outcome is Outcome.FAIL
    assert f.shortfall == 0.01
    assert f.required == 350
    assert f.cells == ("S!D2",)


def test_premises_350_passes() -> None:
    f = finding("premises", premises_area=350.0)
    assert f.outcome is Outcome.PASS
    assert f.shortfall == 0


# -- staffing: max(5, households / 400 rounded) ------------------------------
@pytest.mark.parametrize(
    ("households", "ceil_need", "floor_need"),
    [
        (0, 5, 5),
        (1999, 5, 5),
        (2000, 5, 5),
        (2001, 6, 5),
        (2399, 6, 5),
        (2400, 6, 6),
        (2401, 7, 6),
        (4000, 10, 10),
        (4001, 11, 10),
    ],
)
def test_staffing_requirement(households: int, ceil_need: int, floor_need: int) -> None:
    assert finding("staffing", households=float(households)).required == ceil_need
    assert finding("staffing", FLOOR, households=float(households)).required == floor_need


def test_staffing_derivation_names_the_rounding() -> None:
    f = finding("staffing", households=2150.0, full_time_workers=5.0)
    assert f.outcome is Outcome.FAIL
    assert f.shortfall == 1
    assert f.derivation == "max(5, ceil(2150 / 400)) = 6"
    assert (
        finding("staffing", FLOOR, households=2150.0).derivation == "max(5, floor(2150 / 400)) = 5"
    )


def test_2001_households_with_5_workers_fails_under_ceil_and_passes_under_floor() -> None:
    assert finding("staffing", households=2001.0, full_time_workers=5.0).outcome is Outcome.FAIL
    assert (
        finding("staffing", FLOOR, households=2001.0, full_time_workers=5.0).outcome is Outcome.PASS
    )


@given(households=st.integers(min_value=0, max_value=1_000_000))
def test_staffing_ceil_is_the_smallest_sufficient_count(households: int) -> None:
    need = finding("staffing", households=float(households)).required
    assert need is not None
    assert need >= 5 and need == int(need)
    # need workers cover the households at 400 each, and one fewer would not (above the minimum).
    assert need * 400 >= households
    if need > 5:
        assert (need - 1) * 400 < households
    assert need == max(5, math.ceil(households / 400))


@given(households=st.integers(min_value=0, max_value=1_000_000))
def test_staffing_floor_never_exceeds_ceil_and_differs_by_at_most_one(households: int) -> None:
    c = finding("staffing", households=float(households)).required
    f = finding("staffing", FLOOR, households=float(households)).required
    assert c is not None and f is not None
    assert 0 <= c - f <= 1
    assert (c == f) == (households <= 2000 or households % 400 == 0)


@given(
    households=st.integers(min_value=0, max_value=100_000),
    workers=st.integers(min_value=0, max_value=300),
)
def test_staffing_shortfall_is_need_minus_workers(households: int, workers: int) -> None:
    f = finding("staffing", households=float(households), full_time_workers=float(workers))
    need = max(5, math.ceil(households / 400))
    assert f.shortfall == max(0, need - workers)
    assert (f.outcome is Outcome.PASS) == (workers >= need)


# -- pay ≥ local previous-year average wage ----------------------------------
def test_pay_equal_to_the_wage_passes() -> None:
    assert finding("pay", pay_annual=26647.0).outcome is Outcome.PASS


def test_pay_one_yuan_short_fails_and_scales_by_workers() -> None:
    f = finding("pay", pay_annual=26646.0, full_time_workers=6.0)
    assert f.outcome is Outcome.FAIL
    assert f.shortfall == 1
    assert f.total == 6


def test_monthly_pay_is_annualised_and_noted() -> None:
    r = record(pay_annual=2220.0 * 12)
    f = check(r, derived={"pay_annual": "pay_monthly × 12"}).finding("pay")
    assert f is not None
    assert f.actual == 26640
    assert f.notes == ("pay_annual=pay_monthly × 12",)


def test_wage_comes_from_the_lookup_when_the_record_has_none() -> None:
    f = finding("pay", local_avg_wage=None, district="婺城区", pay_annual=26000.0)
    assert f.outcome is Outcome.FAIL
    assert f.required == 26647
    assert f.notes and "lookup" in f.notes[0] and "婺城区" in f.notes[0]


def test_wage_unknown_when_no_lookup_matches() -> None:
    f = finding("pay", local_avg_wage=None, district="武义县")
    assert f.outcome is Outcome.UNKNOWN
    assert f.missing == ("local_avg_wage",)


# -- insurance: insured ≥ workers, each item its own rule ---------------------
@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ("pension", "pension_insured"),
        ("unemployment", "unemployment_insured"),
        ("medical", "medical_insured"),
        ("injury", "injury_insured"),
        ("maternity", "maternity_insured"),
        ("housing_fund", "housing_fund"),
    ],
)
def test_insured_one_short_is_one_uninsured_worker(rule: str, field: str) -> None:
    f = finding(rule, **{field: 5.0, "full_time_workers": 6.0})
    assert f.outcome is Outcome.FAIL
    assert f.shortfall == 1
    assert finding(rule, **{field: 6.0, "full_time_workers": 6.0}).outcome is Outcome.PASS


# -- unknowns are never a pass ------------------------------------------------
@pytest.mark.parametrize("field", ["premises_area", "households", "full_time_workers"])
def test_missing_value_is_unknown_and_names_the_cell(field: str) -> None:
    result = check(record(**{field: None}))
    unknown = [f for f in result.findings if f.outcome is Outcome.UNKNOWN]
    assert unknown
    for f in unknown:
        assert f.missing == (field,)
        assert f.cells and f.cells[0].startswith("S!")
    assert result.worst is Outcome.UNKNOWN


def test_every_outcome_carries_the_rule() -> None:
    result = check(record())
    assert [f.rule for f in result.findings] == [r.id for r in RULESET.rules]
    assert result.worst is Outcome.PASS


def test_parameter_dataclass_is_frozen() -> None:
    p = RULESET.parameters["min_premises_m2"]
    assert isinstance(p, Parameter)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.value = 1  # type: ignore[misc]


def test_whole_sheet_evaluation_matches_record_by_record() -> None:
    """evaluate() works rule by rule over all records; it must give exactly what
    checking each record alone gives, including unknowns, lookups, notes and cells."""
    import random

    import polars as pl

    from compliance.engine import evaluate
    from compliance.model import SourceInfo
    from compliance.reading.frame import CELL_PREFIX, NOTE_PREFIX, ROW, SheetFrame
    from tests.findings import communities

    rng = random.Random(7)
    rows: list[dict[str, Any]] = []
    for row in range(2, 160):
        values: dict[str, Any] = {
            **BASE,
            "premises_area": rng.choice([349.99, 350.0, 400.0, 1, None]),
            "full_time_workers": rng.choice([4.0, 6.0, 6, None]),
            "households": rng.choice([1500.0, 2001.0, 3000.0]),
            "local_avg_wage": rng.choice([26647.0, None]),
            "district": rng.choice(["婺城区", "金东区", "nowhere"]),
            "pension_insured": rng.choice([5.0, 6.0, None]),
        }
        rows.append(
            {
                ROW: row,
                **values,
                # Some values come from elsewhere, some derivations are a row's own.
                CELL_PREFIX + "premises_area": None if row % 13 else "X!Z9",
                NOTE_PREFIX + "pay_annual": "pay_monthly × 12" if row % 5 else None,
            }
        )
    letters = {f: chr(65 + i) for i, f in enumerate(BASE)}
    source = SourceInfo("t.xlsx", "", "xlsx", "S", (1,), {f: (letters[f], f) for f in BASE})
    numeric = {f: pl.Float64 for f in BASE if f not in ("name", "district")}
    frame = pl.DataFrame(rows, schema_overrides=numeric, infer_schema_length=None)
    result = evaluate(SheetFrame(source, frame), RULESET)
    alone = []
    for r in rows:
        values = {f: r[f] for f in BASE}
        cells = {f: f"S!{letters[f]}{r[ROW]}" for f in BASE}
        if r[CELL_PREFIX + "premises_area"]:
            cells["premises_area"] = r[CELL_PREFIX + "premises_area"]
        note = r[NOTE_PREFIX + "pay_annual"]
        derived = {"pay_annual": note} if note else {}
        found = check(values, cells=cells, derived=derived, row=r[ROW]).findings
        alone.append(found)
    assert [c.findings for c in communities(result)] == alone
    kinds = {f.outcome for c in communities(result) for f in c.findings}
    assert {Outcome.PASS, Outcome.FAIL, Outcome.UNKNOWN} <= kinds


# -- no full-time workers: nothing to pay or insure ----------------------------
NO_WORKER_RULES = [
    "pay",
    "pension",
    "unemployment",
    "medical",
    "injury",
    "maternity",
    "housing_fund",
]


@pytest.mark.parametrize("rule", NO_WORKER_RULES)
def test_with_no_workers_pay_and_insurance_do_not_apply(rule: str) -> None:
    f = finding(rule, full_time_workers=0.0, pay_annual=1000.0, **dict.fromkeys(INSURED, 0.0))
    assert f.outcome is Outcome.NOT_APPLICABLE
    assert (f.actual, f.shortfall, f.total) == (None, None, None)
    assert labels.reason(f._asdict(), "en").startswith(
        "n/a: no full-time workers (the count is 0): there is no "
    )
    assert labels.reason(f._asdict(), "zh").startswith("不适用：专职社区工作者为 0 人，无")


def test_with_no_workers_staffing_fails_and_the_reason_is_printed() -> None:
    assert finding("staffing", full_time_workers=0.0).outcome is Outcome.FAIL
    f = finding("pay", full_time_workers=0.0, pay_annual=1000.0)
    assert labels.reason(f._asdict(), "en") == (
        "n/a: no full-time workers (the count is 0): there is no pay to judge (0 > 0 = false)"
    )
    assert (
        labels.reason(f._asdict(), "zh")
        == "不适用：专职社区工作者为 0 人，无报酬可判断（0 > 0 = false）"
    )


def test_a_missing_worker_count_leaves_pay_unknown_not_inapplicable() -> None:
    f = finding("pay", full_time_workers=None)
    assert f.outcome is Outcome.UNKNOWN
    assert f.missing == ("full_time_workers",)


INSURED = [
    "pension_insured",
    "unemployment_insured",
    "medical_insured",
    "injury_insured",
    "maternity_insured",
    "housing_fund",
]
