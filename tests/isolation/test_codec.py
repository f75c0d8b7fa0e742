"""What crosses back from a worker: a check's outcome, encoded and decoded whole."""

from __future__ import annotations

from compliance import api
from compliance.isolation.codec import decode_outcome, encode_outcome
from compliance.results import InputFailure
from tests.conftest import SAMPLE


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
