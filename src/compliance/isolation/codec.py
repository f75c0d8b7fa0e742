"""What crosses back from a worker: one check's outcome as bytes, and back.

:func:`encode_outcome` and :func:`decode_outcome` are the only pair; the pool
moves their bytes and nothing else. The rule set is left out (the parent puts
back its own, equal one: compiled rules hold code objects), so what is sent is
the records, findings and problems of one input.

The encoding is :func:`_pickle_stepping_stone` for now: pickle of the frozen
dataclasses. It is the one place to switch to Arrow IPC of the findings table
once ``CheckResult`` carries one (CONTRACT.md §2).
"""

from __future__ import annotations

import dataclasses
import pickle
from typing import cast

from compliance.model import CheckResult, InputFailure
from compliance.rules.model import Rule, RuleSet

Outcome = CheckResult | InputFailure


def _pickle_stepping_stone(outcome: Outcome) -> bytes:
    return pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)


def _unpickle_stepping_stone(data: bytes) -> Outcome:
    # Only bytes that our own worker wrote for this parent are ever read here.
    out = pickle.loads(data)
    assert isinstance(out, CheckResult | InputFailure)
    return out


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
