"""What crosses back from a worker: one check's outcome as bytes, and back.

:func:`encode_outcome` and :func:`decode_outcome` are the only pair; the pool
moves their bytes and nothing else. The rule set is left out (the parent puts
back its own, equal one: compiled rules hold code objects), so what is sent is
the findings table, the materialised findings and the problems of one input.

A :class:`~compliance.findings.FindingsTable` pickles as its polars columns
(which polars serialises as Arrow IPC), not as one Python object per finding;
the record objects of the compatibility view still go as objects.
"""

from __future__ import annotations

import dataclasses
import pickle
from typing import cast

from compliance.isolation import unpickle
from compliance.results import CheckResult, InputFailure
from compliance.rules.model import Rule, RuleSet

Outcome = CheckResult | InputFailure


def _dumps(outcome: Outcome) -> bytes:
    return pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)


def _loads(data: bytes) -> Outcome:
    # Only bytes that our own worker wrote for this parent are ever read here.
    out = unpickle.loads(data)
    assert isinstance(out, CheckResult | InputFailure)
    return out


def encode_outcome(outcome: Outcome) -> bytes:
    """One input's outcome as bytes, without the rule set."""
    if isinstance(outcome, CheckResult):
        outcome = dataclasses.replace(outcome, ruleset=cast(RuleSet, None), rules=())
    return _dumps(outcome)


def decode_outcome(data: bytes, ruleset: RuleSet, rules: tuple[Rule, ...]) -> Outcome:
    """The outcome :func:`encode_outcome` encoded, with the parent's rule set put back."""
    out = _loads(data)
    if isinstance(out, CheckResult):
        out.table.bind(ruleset.rules, ruleset.lookups)
        return dataclasses.replace(out, ruleset=ruleset, rules=rules)
    return out
