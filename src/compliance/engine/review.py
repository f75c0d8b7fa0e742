"""Consistency checks (审核) over columns: a check's formula compiles like a rule's.

A check holds, fails, or says nothing (a field it reads is null, or the formula
cannot be computed). Only the records that fail a check are read out of the
frame, to write their data problems with :func:`compliance.consistency.problem`. A blocking check makes the
standards it concerns (its ``blocks``) unknown on its record (reason
``review:<ids>``), naming the cells the failed checks read; a standard that does
not apply for a reason the check does not question stays not applicable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from compliance.engine.cells import cell_expr
from compliance.engine.compile import compile_expression
from compliance.findings import SEP
from compliance.model import DataProblem, SourceInfo
from compliance.reading.frame import ROW
from compliance.rules.checks import ConsistencyCheck
from compliance.rules.expressions import Kind
from compliance.rules.model import Rule

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
    source: SourceInfo,
    rules: Sequence[Rule] = (),
) -> tuple[pl.DataFrame | None, tuple[DataProblem, ...]]:
    """Run ``checks`` on every record of ``frame`` (with ``_rec``): one data problem per
    failed check, in record order, and the standards that failed blocking checks make
    unknown: per (``_rec``, ``rule``) of ``rules`` a check blocks, the ``_review``
    reason naming the checks, their cells (:data:`REVIEW_CELLS`) and ``_hard``: whether
    a check reads a field of the rule's ``applies_if`` (else a rule that does not
    apply stays not applicable: there is nothing to judge)."""
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
    failing = _failing_rows(frame, verdicts.select("_rec"), checks, kinds, source)
    conditions = {
        r.id: set(r.applies_if.fields) if r.applies_if is not None else set() for r in rules
    }
    chosen = [r.id for r in rules]
    problems: list[DataProblem] = []
    out: dict[str, list[object]] = {
        k: [] for k in ("_rec", "rule", "_review", REVIEW_CELLS, "_hard")
    }
    for row, (values, cells, at) in zip(verdicts.iter_rows(), failing, strict=True):
        failed = [c for c, hit in zip(checks, row[1:], strict=True) if hit]
        found = [problem(c, values, cells, at) for c in failed]
        problems += found
        blocking = [(c, p) for c, p in zip(failed, found, strict=True) if c.severity == "blocking"]
        for rid in chosen:
            mine = [(c, p) for c, p in blocking if rid in c.blocks]
            if not mine:
                continue
            named = dict.fromkeys(cell for _, p in mine for cell in p.cells)
            out["_rec"].append(row[0])
            out["rule"].append(rid)
            out["_review"].append(REASON + ",".join(c.id for c, _ in mine))
            out[REVIEW_CELLS].append("".join(SEP + c for c in named))
            out["_hard"].append(any(set(c.reads) & conditions[rid] for c, _ in mine))
    if not out["_rec"]:
        return None, tuple(problems)
    blocked = pl.DataFrame(out, schema=_BLOCKED_SCHEMA)
    return blocked, tuple(problems)


def _failing_rows(
    frame: pl.DataFrame,
    recs: pl.DataFrame,
    checks: Sequence[ConsistencyCheck],
    kinds: Mapping[str, Kind],
    source: SourceInfo,
) -> list[tuple[dict[str, Any], dict[str, str], int]]:
    """The records ``recs`` (in their order) as their field values (yes/no fields as
    booleans), the cells the checks name and the sheet row: only these rows leave
    the frame."""
    fields = [c for c in frame.columns if not c.startswith("_")]
    named = [f for f in dict.fromkeys(f for c in checks for f in c.fields) if f in fields]
    rows = recs.join(frame, on="_rec", how="left", maintain_order="left").select(
        pl.col(ROW),
        *(pl.col(f).cast(pl.Boolean) if kinds.get(f) == "bool" else pl.col(f) for f in fields),
        *(cell_expr(source, frame.columns, f).alias(f"_at:{f}") for f in named),
    )
    out = []
    for row in rows.iter_rows():
        values = dict(zip(fields, row[1 : 1 + len(fields)], strict=True))
        cells = dict(zip(named, row[1 + len(fields) :], strict=True))
        out.append((values, cells, row[0]))
    return out


_BLOCKED_SCHEMA = {
    "_rec": pl.UInt32,
    "rule": pl.String,
    "_review": pl.String,
    REVIEW_CELLS: pl.String,
    "_hard": pl.Boolean,
}


def review_cells(blocked: pl.DataFrame) -> pl.DataFrame:
    """Per record, the cells each blocked rule's reason names: ``_rec`` and one
    :func:`review_cells_column` per blocked rule (what the explanations read)."""
    return blocked.pivot(on="rule", index="_rec", values=REVIEW_CELLS, maintain_order=True).rename(
        lambda c: c if c == "_rec" else review_cells_column(c)
    )


def review_cells_column(rule_id: str) -> str:
    """The input column with the cells a blocking check names for ``rule_id``."""
    return f"{REVIEW_CELLS}:{rule_id}"


def block(outcomes: pl.DataFrame, blocked: pl.DataFrame) -> pl.DataFrame:
    """``outcomes`` with every standard a failed blocking check concerns unknown, unless
    it does not apply for a reason the check does not question."""
    merged = outcomes.join(
        blocked.select("_rec", "rule", "_review", "_hard"),
        on=["_rec", "rule"],
        how="left",
        maintain_order="left",
    )
    hit = pl.col("_review").is_not_null() & (
        (pl.col("outcome") != "not_applicable") | pl.col("_hard")
    )
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
