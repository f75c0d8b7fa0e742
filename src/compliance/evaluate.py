"""Evaluate records against a rule set: the record-object entry points.

The work is done by the columnar engine (:mod:`compliance.engine`); these names
stay for callers that hold :class:`~compliance.model.Record` objects.
"""

from __future__ import annotations

from compliance.engine import evaluate, evaluate_record, iter_results
from compliance.engine.outcomes import EPSILON

__all__ = ["EPSILON", "evaluate", "evaluate_record", "iter_results"]
