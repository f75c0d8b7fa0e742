"""What crosses back from a worker: a JSON manifest and Arrow frames, decoded whole,
and anything else refused without running it."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from compliance import api
from compliance.errors import InputError
from compliance.isolation.codec import MAGIC, decode_outcome, encode_outcome
from compliance.isolation.wire import Malformed, error_in, error_out
from compliance.labels.messages import msg
from compliance.results import InputFailure
from tests.conftest import SAMPLE
from tests.findings import communities, subdistricts
from tests.isolation import faults


def test_a_check_result_comes_back_equal_with_this_process_rule_set() -> None:
    rs = api.load_ruleset()
    result = api.check(SAMPLE, ruleset=rs)
    back = decode_outcome(encode_outcome(result), rs, rs.rules)
    assert not isinstance(back, InputFailure)
    assert (back.source, back.problems, back.groups, back.verdict, back.checked_at) == (
        result.source,
        result.problems,
        result.groups,
        result.verdict,
        result.checked_at,
    )
    assert dict(back.options) == dict(result.options)
    assert back.table.outcomes.equals(result.table.outcomes)
    assert back.table.records.equals(result.table.records)
    assert back.ruleset is rs
    assert communities(back) == communities(result)


def test_sub_district_findings_come_back_as_a_table_of_their_own() -> None:
    rs = api.load_ruleset("zhejiang-2008")
    sample = Path(SAMPLE).with_name("jinhua-2008.xlsx")
    result = api.check(sample, ruleset=rs)
    data = encode_outcome(result)
    size = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "big")
    manifest = json.loads(data[len(MAGIC) + 4 : len(MAGIC) + 4 + size])
    assert [name for name, _ in manifest["frames"]][4:] == [
        "groups:records",
        "groups:outcomes",
        "groups:inputs",
        "groups:sheet",
    ]
    back = decode_outcome(data, rs, rs.rules)
    assert not isinstance(back, InputFailure)
    assert result.groups is not None and back.groups is not None
    assert back.group_sheet == result.group_sheet == "街道情况"
    assert back.groups.outcomes.equals(result.groups.outcomes)
    assert subdistricts(back) == subdistricts(result)
    assert len(subdistricts(back)) == 33


def test_a_failure_comes_back_equal() -> None:
    rs = api.load_ruleset()
    failure = InputFailure(path="x.xlsx", message="x.xlsx: the reader process aborted (signal 6)")
    assert decode_outcome(encode_outcome(failure), rs, rs.rules) == failure
    said = InputFailure("y.xlsx", "y", "ab" * 32, msg("worker_abort", n=6))
    assert decode_outcome(encode_outcome(said), rs, rs.rules) == said


def test_the_reply_is_a_json_manifest_and_arrow_frames_naming_rules_by_id() -> None:
    rs = api.load_ruleset()
    data = encode_outcome(api.check(SAMPLE, ruleset=rs))
    assert data.startswith(MAGIC)
    size = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "big")
    manifest = json.loads(data[len(MAGIC) + 4 : len(MAGIC) + 4 + size])
    assert [name for name, _ in manifest["frames"]] == ["records", "outcomes", "inputs", "sheet"]
    assert manifest["table"]["rules"] == [r.id for r in rs.rules if r.level == "community"]
    back = decode_outcome(data, rs, rs.rules)
    explain = back.table.explainer
    assert all(p.rule is rs.rule(pid) for pid, p in explain.plans.items())  # type: ignore[attr-defined]


def _bytes_with(manifest: dict, frames: bytes = b"") -> bytes:  # type: ignore[type-arg]
    head = json.dumps(manifest).encode()
    return MAGIC + len(head).to_bytes(4, "big") + head + frames


def test_a_reply_that_is_not_an_outcome_is_malformed_and_nothing_runs(tmp_path: Path) -> None:
    rs = api.load_ruleset()
    marker = tmp_path / "ran"
    good = encode_outcome(api.check(SAMPLE, ruleset=rs))
    size = int.from_bytes(good[len(MAGIC) : len(MAGIC) + 4], "big")
    manifest = json.loads(good[len(MAGIC) + 4 : len(MAGIC) + 4 + size])
    frames = good[len(MAGIC) + 4 + size :]
    unknown_rule = json.loads(json.dumps(manifest))
    unknown_rule["table"]["rules"].append("no_such_rule")
    odd_problem = json.loads(json.dumps(manifest))
    odd_problem["problems"] = [{"code": {"__reduce__": "os.system"}}]
    for evil in (
        pickle.dumps(faults._Run(f"touch {marker}")),
        MAGIC + pickle.dumps(faults._Run(f"touch {marker}")),
        _bytes_with({"kind": "check"}),
        _bytes_with({"kind": "pickle", "frames": []}),
        _bytes_with({**manifest, "frames": [["records", 10**9]]}, frames),
        _bytes_with(unknown_rule, frames),
        _bytes_with(odd_problem, frames),
        _bytes_with(manifest, b"\x80" * len(frames)),  # frames that are not Arrow
        good + b"x",
    ):
        with pytest.raises(Malformed):
            decode_outcome(evil, rs, rs.rules)
    assert not marker.exists()


def test_an_error_crosses_as_its_message_and_a_bug_as_its_text() -> None:
    error = InputError("file_empty", where="a.xlsx")
    back = error_in(error_out(error))
    assert isinstance(back, InputError)
    assert (back.line("zh"), back.line("en")) == (error.line("zh"), error.line("en"))
    assert error_in(error_out(ValueError("a bug"))) is None
    assert error_in(b"\x80not json") is None
    assert error_in(json.dumps({"error": "SystemExit", "msg": None}).encode()) is None
