"""Consistency checks (审核) over columns: a check's formula compiles like a rule's.

A check holds, fails, or says nothing (a field it reads is null, or the formula
cannot be computed), as :func:`compliance.consistency.verdict` decides it. Only
the records that fail a check are visited one by one, to write their data
problems with :func:`compliance.consistency.problem`. A blocking check makes
every standard of its record unknown (reason ``review:<ids>``), naming the cells
the failed checks read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import polars as pl

from compliance.engine.compile import compile_expression
from compliance.findings import SEP
from compliance.model import DataProblem, Record
from compliance.rules.checks import ConsistencyCheck
from compliance.rules.expressions import Kind

#: Cells a blocking consistency check names, per record (SEP-marked).
REVIEW_CELLS = "_review_cells"


def _failed(frame: pl.DataFrame, check: ConsistencyCheck, kinds: Mapping[str, Kind]) -> pl.Expr:
    expr = check.expression
    compiled = compile_expression(expr, kinds, frame.columns)
    known = pl.all_horizontal(
        [pl.col(f).is_not_null() if f in frame.columns else pl.lit(False) for f in expr.fields]
        or [pl.lit(True)]
    )
    if compiled.error is not None:
        known = known & compiled.error.is_null()
    return (known & ~compiled.value.fill_null(True)).fill_null(False)


def review(
    frame: pl.DataFrame,
    checks: Sequence[ConsistencyCheck],
    kinds: Mapping[str, Kind],
    records: Callable[[], Sequence[Record]],
) -> tuple[pl.DataFrame | None, tuple[DataProblem, ...]]:
    """Run ``checks`` on every record of ``frame`` (with ``_rec``): per blocked record
    its ``reason`` and :data:`REVIEW_CELLS`, and one data problem per failed check,
    in record order."""
    from compliance.consistency import REASON, problem

    if not checks:
        return None, ()
    names = [f"_check:{i}" for i in range(len(checks))]
    verdicts = frame.select(
        pl.col("_rec"),
        *(_failed(frame, c, kinds).alias(n) for c, n in zip(checks, names, strict=True)),
    ).filter(pl.any_horizontal(names))
    if verdicts.height == 0:
        return None, ()
    objects = records()
    problems: list[DataProblem] = []
    blocked_rec: list[int] = []
    blocked_reason: list[str] = []
    blocked_cells: list[str] = []
    for row in verdicts.iter_rows():
        rec = objects[row[0]]
        failed = [c for c, hit in zip(checks, row[1:], strict=True) if hit]
        found = [problem(c, rec) for c in failed]
        problems += found
        blocking = [c for c in failed if c.severity == "blocking"]
        if blocking:
            cells = dict.fromkeys(
                cell
                for p, c in zip(found, failed, strict=True)
                if c in blocking
                for cell in p.cells
            )
            blocked_rec.append(row[0])
            blocked_reason.append(REASON + ",".join(c.id for c in blocking))
            blocked_cells.append("".join(SEP + c for c in cells))
    if not blocked_rec:
        return None, tuple(problems)
    blocked = pl.DataFrame(
        {"_rec": blocked_rec, "_review": blocked_reason, REVIEW_CELLS: blocked_cells},
        schema={"_rec": pl.UInt32, "_review": pl.String, REVIEW_CELLS: pl.String},
    )
    return blocked, tuple(problems)


def block(outcomes: pl.DataFrame, blocked: pl.DataFrame) -> pl.DataFrame:
    """``outcomes`` with every standard of a blocked record unknown."""
    merged = outcomes.join(
        blocked.select("_rec", "_review"), on="_rec", how="left", maintain_order="left"
    )
    hit = pl.col("_review").is_not_null()
    none = pl.lit(None, dtype=pl.Float64)
    return merged.with_columns(
        outcome=pl.when(hit).then(pl.lit("unknown")).otherwise(pl.col("outcome")),
        actual=pl.when(hit).then(none).otherwise(pl.col("actual")),
        required=pl.when(hit).then(none).otherwise(pl.col("required")),
        shortfall=pl.when(hit).then(none).otherwise(pl.col("shortfall")),
        total=pl.when(hit).then(none).otherwise(pl.col("total")),
        reason=pl.when(hit).then(pl.col("_review")).otherwise(pl.col("reason")),
        _within=pl.when(hit).then(pl.lit(False)).otherwise(pl.col("_within")),
    ).select(outcomes.columns)
