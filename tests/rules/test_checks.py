"""The ``[[checks]]`` section of a rule file: validated and compiled on load."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.errors import RuleSetError
from compliance.rules.loader import load_ruleset
from tests.expressions import value
from tests.rules.test_loader import MINIMAL, write

CHECK = """
[[checks]]
id = "{id}"
title_zh = "养老保险人数不超过专职人数"
title_en = "Pension-insured at most workers"
expression = "{expression}"
message_zh = "{message}"
message_en = "{message}"
severity = "{severity}"
"""


def ruleset_text(**check: str) -> str:
    spec = {
        "id": "pension_le_workers",
        "expression": "pension_insured <= full_time_workers",
        "message": "{pension_insured} > {full_time_workers}",
        "severity": "advisory",
        **check,
    }
    return MINIMAL.format(require="min_area") + CHECK.format(**spec)


def test_a_check_is_compiled_with_its_fields(tmp_path: Path) -> None:
    rs = load_ruleset(write(tmp_path, ruleset_text()))
    (check,) = rs.checks
    assert check.id == "pension_le_workers"
    assert check.severity == "advisory" and check.rule_severity == "warning"
    assert check.fields == ("pension_insured", "full_time_workers")
    given = {"pension_insured": 7, "full_time_workers": 6}
    assert value(check.expression, given) is False
    assert check.message("en", {"pension_insured": 7.0, "full_time_workers": 6}) == "7 > 6"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"severity": "warning"}, "check 'pension_le_workers', field severity"),
        ({"expression": "pension_insured + 1"}, "must give a bool, but gives number"),
        ({"expression": "pension_insured <= nobody"}, "nobody"),
        ({"expression": "__import__('os')"}, "check 'pension_le_workers', expression"),
        ({"message": "{salary} too low"}, "unknown name(s) in braces: salary"),
        ({"message": "{pension_insured!r}"}, "not a template"),
        ({"id": "Bad Id"}, "field id"),
    ],
)
def test_a_wrong_check_is_refused_naming_it(
    tmp_path: Path, change: dict[str, str], expected: str
) -> None:
    with pytest.raises(RuleSetError) as info:
        load_ruleset(write(tmp_path, ruleset_text(**change)))
    assert expected in str(info.value)


def test_unknown_key_in_a_check_is_refused(tmp_path: Path) -> None:
    text = ruleset_text() + 'colour = "red"\n'
    with pytest.raises(RuleSetError, match="check 'pension_le_workers', field colour"):
        load_ruleset(write(tmp_path, text))


def test_fields_to_name_must_be_record_fields(tmp_path: Path) -> None:
    text = ruleset_text() + 'fields = ["pension_insured", "salary"]\n'
    with pytest.raises(RuleSetError, match="unknown record field"):
        load_ruleset(write(tmp_path, text))


def test_the_id_is_used_once(tmp_path: Path) -> None:
    with pytest.raises(
        RuleSetError, match=r"check 'pension_le_workers' \(line 30\): the id is used twice"
    ):
        load_ruleset(write(tmp_path, ruleset_text() + CHECK.format(
            id="pension_le_workers", expression="households > 0", message="x",
            severity="blocking")))  # fmt: skip


def test_shipped_checks_and_their_inheritance() -> None:
    base = load_ruleset("zhejiang-2007")
    ids = [c.id for c in base.checks]
    assert ids == [
        "pension_le_workers",
        "unemployment_le_workers",
        "medical_le_workers",
        "injury_le_workers",
        "maternity_le_workers",
        "housing_fund_le_workers",
        "full_time_le_total_staff",
        "households_positive",
        "premises_plausible",
        "pay_positive",
    ]
    severities = {c.id: c.severity for c in base.checks}
    assert {k for k, v in severities.items() if v == "blocking"} == {
        "full_time_le_total_staff",
        "households_positive",
        "pay_positive",
    }
    assert [c.id for c in load_ruleset("zhejiang-2008").checks] == ids
    plausible = next(c for c in base.checks if c.id == "premises_plausible")
    assert plausible.params["plausible_premises_max_m2"] == 5000


def test_a_child_that_writes_checks_replaces_the_inherited_ones(tmp_path: Path) -> None:
    text = (
        'format = 1\n[ruleset]\nid = "mine"\nversion = "1"\nextends = "zhejiang-2007"\n'
        + CHECK.format(
            id="households_positive",
            expression="households > 0",
            message="{households}",
            severity="advisory",
        )
    )
    rs = load_ruleset(write(tmp_path, text))
    assert [(c.id, c.severity) for c in rs.checks] == [("households_positive", "advisory")]


# --- which rules a blocking check blocks ---------------------------------------------


def test_by_default_a_blocking_check_blocks_the_rules_that_read_its_fields() -> None:
    blocks = {c.id: c.blocks for c in load_ruleset("zhejiang-2007").checks}
    worker_rules = ("staffing", "pay", "pension", "unemployment", "medical", "injury")
    assert blocks["full_time_le_total_staff"] == (*worker_rules, "maternity", "housing_fund")
    assert blocks["households_positive"] == ("staffing",)
    # Written in the file: the pay check reads the workers too, but blocks pay alone.
    assert blocks["pay_positive"] == ("pay",)
    assert blocks["pension_le_workers"] == ()  # advisory: blocks nothing


def test_a_check_on_monthly_pay_blocks_the_rule_that_reads_annual_pay(tmp_path: Path) -> None:
    # pay_annual is derived from pay_monthly: a rule reading the one reads the other.
    text = (
        'format = 1\n[ruleset]\nid = "mine"\nversion = "1"\nextends = "zhejiang-2007"\n'
        + CHECK.format(
            id="monthly_sane",
            expression="pay_monthly < 100000",
            message="{pay_monthly}",
            severity="blocking",
        )
    )
    (check,) = load_ruleset(write(tmp_path, text)).checks
    assert check.blocks == ("pay",) and not check.blocks_declared


@pytest.mark.parametrize(
    ("blocks", "severity", "expected"),
    [
        ('["premises", "staffing"]', "blocking", None),
        ('["premises", "stafing"]', "blocking", "blocks (line 29): no rule 'stafing' (the rules: premises)"),
        ('["premises"]', "advisory", "blocks (line 29): only a blocking check blocks rules (this one is advisory)"),
        ("[]", "blocking", None),
    ],
)  # fmt: skip
def test_blocks_names_the_rules_a_check_blocks(
    tmp_path: Path, blocks: str, severity: str, expected: str | None
) -> None:
    text = ruleset_text(severity=severity) + f"blocks = {blocks}\n"
    if expected is None:
        (check,) = load_ruleset(write(tmp_path, text.replace('"staffing"', '"premises"'))).checks
        assert check.blocks_declared and check.blocks == (
            ("premises",) if "premises" in blocks else ()
        )
        return
    with pytest.raises(RuleSetError) as info:
        load_ruleset(write(tmp_path, text))
    assert f"check 'pension_le_workers', {expected}" in info.value.problems


def test_a_check_may_name_a_rule_the_extending_rule_set_removed(tmp_path: Path) -> None:
    text = (
        'format = 1\n[ruleset]\nid = "mine"\nversion = "1"\nextends = "zhejiang-2007"\n'
        'remove_rules = ["pay"]\n'
    )
    rs = load_ruleset(write(tmp_path, text))
    assert {c.id: c.blocks for c in rs.checks}["pay_positive"] == ()
