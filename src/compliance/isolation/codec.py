"""What crosses back from a worker: one check's outcome as bytes, and back.

:func:`encode_outcome` and :func:`decode_outcome` are the only pair; the pool
moves their bytes and nothing else. The rule set is left out (the parent puts
back its own, equal one: compiled rules hold code objects), so what is sent is
the records, findings and problems of one input.

The encoding is :func:`_pickle_stepping_stone` for now: pickle of the frozen
dataclasses, with the findings sent as columns (one list per ``Finding``
field), because a pickle of 900,000 ``Finding`` named tuples costs a Python
call per finding. Measured on the 100k-row bench file (900,000 findings):
findings as objects 65.8 MB, 13.4 s to encode and 3.0 s to decode; as columns
58.5 MB, 1.6 s and 0.8 s, plus 0.8 s to rebuild the tuples; the records add
24.4 MB, 2.1 s and 1.2 s. It is the one place to switch to Arrow IPC of the
findings table once ``CheckResult`` carries one (CONTRACT.md §2): the
``SheetFrame.frame`` of the same file is 26.8 MB as IPC, written in 0.11 s and
read in 0.06 s.
"""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any, cast

from compliance.model import CheckResult, Finding, InputFailure, Record, RecordResult
from compliance.rules.model import Rule, RuleSet

Outcome = CheckResult | InputFailure


_Flat = tuple[list[Record], list[int], list[list[Any]]]


def _flatten(results: tuple[RecordResult, ...]) -> _Flat:
    flat = [f for r in results for f in r.findings]
    columns = [list(c) for c in zip(*flat, strict=True)] if flat else []
    return [r.record for r in results], [len(r.findings) for r in results], columns


def _unflatten(
    records: list[Record], counts: list[int], columns: list[list[Any]]
) -> tuple[RecordResult, ...]:
    flat = list(map(Finding._make, zip(*columns, strict=True)))
    out = []
    start = 0
    for record, n in zip(records, counts, strict=True):
        out.append(RecordResult(record, tuple(flat[start : start + n])))
        start += n
    return tuple(out)


def _pickle_stepping_stone(outcome: Outcome) -> bytes:
    if isinstance(outcome, InputFailure):
        return pickle.dumps((outcome,), protocol=pickle.HIGHEST_PROTOCOL)
    shell = dataclasses.replace(outcome, results=(), groups=())
    parts = (shell, _flatten(outcome.results), _flatten(outcome.groups))
    return pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)


def _unpickle_stepping_stone(data: bytes) -> Outcome:
    # Only bytes that our own worker wrote for this parent are ever read here.
    parts = pickle.loads(data)
    if len(parts) == 1:
        failure = parts[0]
        assert isinstance(failure, InputFailure)
        return failure
    shell, results, groups = parts
    assert isinstance(shell, CheckResult)
    return dataclasses.replace(shell, results=_unflatten(*results), groups=_unflatten(*groups))


def encode_outcome(outcome: Outcome) -> bytes:
    """One input's outcome as bytes, without the rule set."""
    if isinstance(outcome, CheckResult):
        outcome = dataclasses.replace(outcome, ruleset=cast(RuleSet, None), rules=())
    return _pickle_stepping_stone(outcome)


def decode_outcome(data: bytes, ruleset: RuleSet, rules: tuple[Rule, ...]) -> Outcome:
    """The outcome :func:`encode_outcome` encoded, with the parent's rule set put back."""
    out = _unpickle_stepping_stone(data)
    if isinstance(out, CheckResult):
        return dataclasses.replace(out, ruleset=ruleset, rules=rules)
    return out
