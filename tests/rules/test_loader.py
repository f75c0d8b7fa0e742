"""Loading rule-set files: the shipped one, and the many ways a file can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.errors import RuleSetError
from compliance.rules.files import DEFAULT_RULESET
from compliance.rules.loader import load_ruleset
from tests.expressions import value

MINIMAL = """
format = 1
[ruleset]
id = "test"
version = "1"
title_zh = "测试"
title_en = "Test"

[parameters.min_area]
value = 350

[[rules]]
id = "premises"
title_zh = "用房"
title_en = "Premises"
citation = "quoted text"
unit = "m2"
measure = "premises_area"
require = "{require}"
"""


def write(tmp_path: Path, text: str, name: str = "r.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_ruleset_has_the_nine_standards() -> None:
    rs = load_ruleset(DEFAULT_RULESET)
    assert rs.id == "zhejiang-2007"
    assert [r.id for r in rs.rules] == [
        "premises",
        "staffing",
        "pay",
        "pension",
        "unemployment",
        "medical",
        "injury",
        "maternity",
        "housing_fund",
    ]
    for r in rs.rules:
        assert r.citation and r.title_zh and r.title_en and r.unit
        assert r.document_zh == "《关于推进和谐社区建设的意见》"
        assert r.issued == "2007-04"
    assert rs.parameters["staffing_rounding"].value == "ceil"
    assert [p.id for p in rs.interpretations] == [
        "staffing_rounding",
        "maternity_basis",
        "premises_tolerance_m2",
        "gap_closure",
    ]
    assert len(rs.sha256) == 64


def test_minimal_file_loads(tmp_path: Path) -> None:
    rs = load_ruleset(write(tmp_path, MINIMAL.format(require="min_area")))
    assert value(rs.rule("premises").require, {}) == 350


def test_import_in_an_expression_is_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = f"__import__('os').system('touch {marker}')"
    path = write(tmp_path, MINIMAL.format(require=evil.replace("'", "\\'")).replace("\\'", "'"))
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    message = str(info.value)
    assert str(path) in message
    assert "rule 'premises'" in message
    assert "require" in message
    assert not marker.exists()


@pytest.mark.parametrize(
    ("require", "expected"),
    [
        ("__import__('os')", "names starting with '_' are not allowed"),
        ("premises_area.__class__", "not allowed"),
        ("open('x')", "function 'open' is not allowed"),
        ("min_aera", "did you mean 'min_area'"),
        ("premises_area > 1", "must give a number"),
    ],
)
def test_bad_expressions_name_file_rule_and_problem(
    tmp_path: Path, require: str, expected: str
) -> None:
    path = write(tmp_path, MINIMAL.format(require=require.replace("'", "\\'")).replace("\\'", "'"))
    with pytest.raises(RuleSetError, match=expected) as info:
        load_ruleset(path)
    assert str(info.value).startswith(f"{path}: rule 'premises', require")


def test_schema_errors_are_located(tmp_path: Path) -> None:
    text = MINIMAL.format(require="min_area").replace(
        'unit = "m2"', 'unit = "m2"\nseverity = "fatal"\ncolour = "red"'
    )
    with pytest.raises(RuleSetError) as info:
        load_ruleset(write(tmp_path, text))
    problems = info.value.problems
    assert any("rule 'premises'" in p and "severity" in p for p in problems)
    assert any("colour" in p for p in problems)


def test_toml_syntax_error(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError, match="TOML"):
        load_ruleset(write(tmp_path, "[ruleset\nid = 1"))


def test_duplicate_rule_ids(tmp_path: Path) -> None:
    text = MINIMAL.format(require="min_area")
    rule = text[text.index("[[rules]]") :]
    with pytest.raises(RuleSetError, match="used twice"):
        load_ruleset(write(tmp_path, text + rule))


def test_parameter_choice_must_be_allowed(tmp_path: Path) -> None:
    text = (
        MINIMAL.format(require="min_area")
        + '\n[parameters.mode]\nvalue = "up"\nchoices = ["ceil", "floor"]\n'
    )
    # Tables after [[rules]] belong to the rule; put the parameter first instead.
    text = text.replace(
        "[[rules]]", '[parameters.mode]\nvalue = "up"\nchoices = ["ceil", "floor"]\n\n[[rules]]', 1
    )
    text = text[: text.rindex("\n[parameters.mode]")]
    with pytest.raises(RuleSetError, match="'up' is not one of"):
        load_ruleset(write(tmp_path, text))


def test_unknown_ruleset_name() -> None:
    with pytest.raises(RuleSetError, match="no-such-rules"):
        load_ruleset("no-such-rules")


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes(MINIMAL.format(require="min_area").replace("测试", "测试").encode("gbk"))
    with pytest.raises(RuleSetError, match="UTF-8"):
        load_ruleset(path)


def test_a_table_after_the_rules_is_a_table_of_the_file_not_of_the_rule(tmp_path: Path) -> None:
    # rules/README.md: [parameters.x] after [[rules]] starts a parameter, whatever the
    # order; only the keys under the [[rules]] header belong to the rule.
    text = (
        MINIMAL.format(require="min_area + extra_area")
        + 'deadline = "2011"\n'
        + "[parameters.extra_area]\nvalue = 25\n"
        + '[lookups.local_avg_wage]\nfield = "local_avg_wage"\nkey = ["district"]\n'
        + '[lookups.local_avg_wage.values]\n"婺城区" = 26647\n'
    )
    rs = load_ruleset(write(tmp_path, text))
    assert rs.parameters["extra_area"].value == 25
    assert value(rs.rule("premises").require, {}) == 375
    assert rs.rule("premises").deadline == "2011"
    assert rs.lookups["local_avg_wage"].values == {"婺城区": 26647}
