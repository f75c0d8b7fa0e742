"""The columnar engine: a sheet's records as columns in, a findings table out.

Each rule's checked expression tree is compiled once into polars expressions
(:mod:`compliance.engine.compile`); lookups are joins
(:mod:`compliance.engine.lookups`); every rule's outcome and figures are
columns (:mod:`compliance.engine.outcomes`); derivations, cells and notes are
built only for the rows that are read (:mod:`compliance.engine.explain`).
There is no loop per record.
"""

from __future__ import annotations

from compliance.engine.run import evaluate, evaluate_frame

__all__ = ["evaluate", "evaluate_frame"]
