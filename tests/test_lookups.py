"""Reference tables (lookups) never invent a figure: exact names, explicit scope,
and only an empty cell is filled."""

from __future__ import annotations

from typing import Any

import pytest

from compliance import api, labels
from compliance.errors import RuleSetError
from compliance.model import Outcome
from compliance.rules.chain import read_rule_file
from compliance.rules.compile import compile_ruleset
from compliance.rules.loader import load_ruleset
from compliance.rules.model import Lookup, LookupEntry, RuleSet
from compliance.rules.validate import validate_file
from tests.conftest import WorkbookFactory
from tests.findings import Found, finding

RULESET = load_ruleset()
#: Only the pay rule: the sheets below have no insurance columns.
PAY = [RULESET.rule("pay")]
#: A community sheet with no wage column: the lookup is the only source of the wage.
HEADERS = ["社区名称", "所属市", "县(市、区)", "总户数", "建筑面积(m2)", "专职人数", "人均年收入"]


def pay(make_xlsx: WorkbookFactory, city: str, district: str | None, pay: Any = 26000) -> Found:
    path = make_xlsx([["甲社区", city, district, 1500, 400, 6, pay]], HEADERS)
    f = finding(api.check(path, rules=PAY), "pay")
    assert f is not None
    return f


def test_a_county_never_gets_the_city_proper_wage(make_xlsx: WorkbookFactory) -> None:
    f = pay(make_xlsx, "金华市", "义乌市")
    assert f.outcome is Outcome.UNKNOWN
    assert f.missing == ("local_avg_wage",)
    assert labels.reason(f._asdict(), "en") == (
        "no data: Local average wage, previous year: no sourced figure exists for 义乌市 "
        "(reference table local_avg_wage)"
    )
    assert labels.reason(f._asdict(), "zh") == (
        "缺少数据：当地上年职工平均工资：义乌市没有有来源的数据（参照表 local_avg_wage 未收录）"
    )


def test_a_city_proper_district_is_filled_with_the_note(make_xlsx: WorkbookFactory) -> None:
    f = pay(make_xlsx, "金华市", "金东区")
    assert f.outcome is Outcome.FAIL
    assert (f.required, f.shortfall, f.total) == (26647, 647, 3882)
    assert f.notes == ("local_avg_wage=lookup:local_avg_wage[金东区, 2006]",)
    assert labels.note(f.notes[0], "en") == (
        "Local average wage, previous year from the reference table (金东区, 2006)"
    )


@pytest.mark.parametrize("city", ["金华", "金华县", "金华市"])
def test_a_city_alone_finds_no_district_figure(make_xlsx: WorkbookFactory, city: str) -> None:
    f = pay(make_xlsx, city, None)
    assert f.outcome is Outcome.UNKNOWN
    assert f"no sourced figure exists for {city} " in labels.reason(f._asdict(), "en")


def test_no_region_at_all_says_so(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([["甲社区", 1500, 400, 6, 26000]], ["社区名称", *HEADERS[3:]])
    f = finding(api.check(path, rules=PAY), "pay")
    assert f is not None and f.outcome is Outcome.UNKNOWN
    assert labels.reason(f._asdict(), "en") == (
        "no data: Local average wage, previous year: the record names no district or city "
        "to look it up in table local_avg_wage"
    )


def test_names_match_exactly_without_suffix_stripping(make_xlsx: WorkbookFactory) -> None:
    # "婺城" is not "婺城区": the table has no entry spelt that way.
    assert pay(make_xlsx, "金华市", "婺城").outcome is Outcome.UNKNOWN
    # Full-width forms and spaces are folded, nothing more.
    assert pay(make_xlsx, "金华市", "婺 城 区").outcome is Outcome.FAIL


WAGE_HEADERS = [*HEADERS, "上年职工平均工资"]


@pytest.mark.parametrize("wage", ["待核实", "abc", "-", -30000, 0])
def test_an_unreadable_wage_cell_is_not_replaced(make_xlsx: WorkbookFactory, wage: Any) -> None:
    path = make_xlsx([["甲社区", "金华市", "婺城区", 1500, 400, 6, 26000, wage]], WAGE_HEADERS)
    result = api.check(path, rules=PAY)
    f = finding(result, "pay")
    assert f is not None
    assert f.outcome is Outcome.UNKNOWN
    assert f.missing == ("local_avg_wage",)
    assert f.cells == ("Sheet1!H2",)
    assert not any("lookup" in n for n in f.notes)
    assert (
        labels.reason(f._asdict(), "en") == "no data: Local average wage, previous year Sheet1!H2"
    )
    problems = [p for p in result.problems if p.cell == "Sheet1!H2"]
    assert len(problems) == 1 and problems[0].field == "local_avg_wage"


def test_a_zero_wage_is_a_data_problem(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([["甲社区", "金华市", "婺城区", 1500, 400, 6, 26000, 0]], WAGE_HEADERS)
    (problem,) = api.check(path, rules=PAY).problems
    assert (problem.code, problem.cell, problem.raw) == ("not_positive", "Sheet1!H2", "0")
    assert problem.message_en == "Local average wage, previous year is 0: it must be greater than 0"


def test_an_empty_wage_cell_is_filled(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([["甲社区", "金华市", "婺城区", 1500, 400, 6, 26000, None]], WAGE_HEADERS)
    f = finding(api.check(path, rules=PAY), "pay")
    assert f is not None and f.outcome is Outcome.FAIL and f.required == 26647


# -- scope: the rule set says when a figure applies to a whole city -----------


def with_lookup(values: dict[str, Any], **extra: Any) -> RuleSet:
    assert RULESET.path is not None
    raw, digest = read_rule_file(RULESET.path)
    raw["lookups"]["local_avg_wage"]["values"] = values
    raw["lookups"]["local_avg_wage"].update(extra)
    return compile_ruleset(validate_file(raw, "test"), where="test", sha256=digest)


def test_a_city_wide_entry_applies_to_every_unit_of_the_city() -> None:
    lk = with_lookup({"杭州市": {"value": 30000, "scope": "city"}}).lookups["local_avg_wage"]
    assert lk.find({"city": "杭州市", "district": "萧山区"}) == ("杭州市", 30000)
    assert lk.find({"city": "杭州市"}) == ("杭州市", 30000)
    # A city-scoped entry never answers for a district of that name, nor another city.
    assert lk.find({"district": "杭州市"}) is None
    assert lk.find({"city": "宁波市", "district": "萧山区"}) is None


def test_the_district_figure_wins_over_the_city_wide_one() -> None:
    lk = with_lookup({"萧山区": 31000, "杭州市": {"value": 30000, "scope": "city"}}).lookups[
        "local_avg_wage"
    ]
    assert lk.find({"city": "杭州市", "district": "萧山区"}) == ("萧山区", 31000)
    assert lk.find({"city": "杭州市", "district": "余杭区"}) == ("杭州市", 30000)


@pytest.mark.parametrize(
    ("values", "extra", "message"),
    [
        ({"甲市": {"value": 1, "scope": "subdistrict"}}, {}, "scope 'subdistrict' is not one"),
        ({"甲区": 1}, {"scope": "name"}, "'name' is not one of its key fields"),
        ({"甲区": 0}, {}, "must be greater than 0"),
        ({"甲区": -5}, {}, "must be greater than 0"),
        ({"甲区": 1, "甲 区": 2}, {}, "the same name as '甲区'"),
    ],
)
def test_bad_lookup_tables_are_refused(
    values: dict[str, Any], extra: dict[str, Any], message: str
) -> None:
    with pytest.raises(RuleSetError, match=message):
        with_lookup(values, **extra)


def test_miss_names_the_finest_unit_given() -> None:
    lk = Lookup(
        "w", "local_avg_wage", ("district", "city"), (LookupEntry("婺城区", 1.0, "district"),)
    )
    assert lk.miss({"city": "金华市", "district": " 义乌市 "}).unit == "义乌市"
    assert lk.miss({"city": "金华市"}).key_field == "city"
    assert lk.miss({}).key_field is None
