"""Rule expressions as tests compute them: through the engine's polars compiler.

:func:`value` gives what an expression computes for some field values, on a
one-row frame, exactly as the engine computes it for a record (there is no other
evaluator of rule expressions).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from compliance.engine.compile import compile_expression
from compliance.rules.expressions import EvaluationError, Expression


def value(
    expr: Expression, values: dict[str, Any] | None = None, kinds: dict[str, Any] | None = None
) -> Any:
    """What ``expr`` computes for the field ``values`` (every field it reads).

    Raises :class:`EvaluationError` with the engine's reason where it cannot be
    computed. Whole numbers come back as ints, as a rule set writes them."""
    given = values or {}
    kinds = {f: (kinds or {}).get(f) or _kind(given[f]) for f in expr.fields}
    frame = pl.DataFrame(
        {f: pl.Series(f, [given[f]], dtype=_dtype(kinds[f])) for f in expr.fields} or {"_": [0]}
    )
    compiled = compile_expression(expr, kinds, frame.columns)
    error = compiled.error if compiled.error is not None else pl.lit(None, pl.String)
    got, why = frame.select(compiled.value.alias("v"), error.alias("e")).row(0)
    if why is not None:
        raise EvaluationError(why)
    if isinstance(got, float) and got.is_integer() and expr.kind == "number":
        return int(got)
    return got


def _kind(v: Any) -> Any:
    if isinstance(v, bool):
        return "bool"
    return "text" if isinstance(v, str) else "number"


def _dtype(kind: str) -> Any:
    return {"bool": pl.Float64, "text": pl.String}.get(kind, pl.Float64)
