"""What crosses back from a worker: a check's outcome, encoded and decoded whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance import api
from compliance.isolation import unpickle
from compliance.isolation.codec import decode_outcome, encode_outcome
from compliance.results import InputFailure
from tests.conftest import SAMPLE
from tests.isolation import faults


def test_a_check_result_comes_back_equal_with_this_process_rule_set() -> None:
    rs = api.load_ruleset()
    result = api.check(SAMPLE, ruleset=rs)
    back = decode_outcome(encode_outcome(result), rs, rs.rules)
    assert (back.source, back.problems, back.groups) == (
        result.source,
        result.problems,
        result.groups,
    )
    assert back.table.outcomes.equals(result.table.outcomes)
    assert back.table.records.equals(result.table.records)
    assert back.ruleset is rs
    assert [rr.findings for rr in back.results] == [rr.findings for rr in result.results]


def test_a_failure_comes_back_equal() -> None:
    rs = api.load_ruleset()
    failure = InputFailure(path="x.xlsx", message="x.xlsx: the reader process aborted (signal 6)")
    assert decode_outcome(encode_outcome(failure), rs, rs.rules) == failure


def test_the_rules_cross_by_id_and_are_bound_to_this_process_rule_set() -> None:
    rs = api.load_ruleset()
    data = encode_outcome(api.check(SAMPLE, ruleset=rs))
    assert b"_restore" not in data  # no expression: they hold compiled code
    back = decode_outcome(data, rs, rs.rules)
    explain = back.table._explain
    assert explain.plans and all(p.rule is rs.rule(pid) for pid, p in explain.plans.items())
    assert explain.lookups == list(rs.lookups.values())


def test_a_reply_that_names_a_function_or_a_foreign_class_is_refused(tmp_path: Path) -> None:
    import pickle

    from compliance.engine.explain import RuleExplainer
    from compliance.rules.expressions import Expression

    rs = api.load_ruleset()
    marker = tmp_path / "ran"
    expression = rs.rules[0].require
    assert isinstance(expression, Expression)
    for evil in (
        pickle.dumps(faults._Run(f"touch {marker}")),  # os.system
        pickle.dumps(expression),  # compliance.rules.expressions._restore: code from a tree
        pickle.dumps(faults._Run("x"), protocol=0).replace(b"posix", b"subprocess"),
    ):
        with pytest.raises(unpickle.Refused):
            decode_outcome(evil, rs, rs.rules)
    # A class an allowed module only imports (Expression, via the explainer's module).
    assert unpickle.allowed("compliance.engine.explain", "RuleExplainer", RuleExplainer)
    assert not unpickle.allowed("compliance.engine.explain", "Expression", Expression)
    assert not unpickle.allowed("builtins", "eval", eval)
    assert not unpickle.allowed("builtins", "type", type)
    assert not marker.exists()
