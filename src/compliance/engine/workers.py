"""Rules judged worker by worker (``per_worker = true``), where a roster gives each
full-time worker's value of the measure.

The community's outcome is decided first (missing data, not applicable, the
requirement); where it is decided and the roster lists workers, each worker's
value is compared with the requirement. The rule fails if any worker falls
short; ``actual`` and ``shortfall`` are the worst-placed worker's, ``total`` the
sum of every worker's shortfall, and the cells and a note name each worker who
falls short.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from compliance import labels
from compliance.engine.plan import RulePlan

#: Columns of the worker table: one row per (community, worker), in roster order.
WORKER_SCHEMA: dict[str, pl.DataType] = {
    "_rec": pl.UInt32(),
    "value": pl.Float64(),
    "cell": pl.String(),
    "name": pl.String(),
}
_DECIDED = ("pass", "fail", "not_yet_due")


def pw_column(rule_id: str, what: str) -> str:
    """The input column holding a per-worker rule's ``n``, ``cells`` or ``note``."""
    return f"_workers:{rule_id}:{what}"


def judge_workers(
    outcomes: pl.DataFrame,
    workers: pl.DataFrame,
    plan: RulePlan,
    *,
    as_of: dt.date | None,
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """The rule's ``outcomes`` with per-worker judgements where the roster has workers,
    and the columns the explanations need (``_rec`` and :func:`pw_column` columns)."""
    from compliance.engine.outcomes import _passes, clean
    from compliance.findings import SEP

    rule = plan.rule
    decided = outcomes.filter(
        pl.col("outcome").is_in(_DECIDED) & pl.col("required").is_not_null()
    ).select("_rec", "required")
    judged = decided.join(workers, on="_rec", how="inner", maintain_order="left")
    if judged.height == 0:
        return outcomes, None
    ok, short = _passes(rule.compare, pl.col("required") - pl.col("value"))
    judged = judged.with_columns(_ok=ok, _short=short)
    numbers = {v: labels.number(v) for v in judged.filter(~pl.col("_ok"))["value"].unique()}
    listed = judged.with_columns(
        _listed=pl.when(~pl.col("_ok")).then(
            pl.col("cell")
            + pl.lit(" (")
            + pl.col("name")
            + pl.lit(") ")
            + pl.col("value").replace_strict(numbers, default="", return_dtype=pl.String)
        )
    )
    field_id = rule.measure.fields[0]
    deadline = rule.deadline_date
    late = deadline is not None and as_of is not None and as_of < deadline
    per = listed.group_by("_rec", maintain_order=True).agg(
        n=pl.len(),
        short_n=(~pl.col("_ok")).sum(),
        worst_value=pl.col("value").get(pl.col("_short").arg_max()),
        worst_short=pl.col("_short").max(),
        worst_cell=pl.col("cell").get(pl.col("_short").arg_max()),
        total=pl.col("_short").sum(),
        short_cells=pl.col("cell").filter(~pl.col("_ok")),
        listed=pl.col("_listed").drop_nulls(),
    )
    per = per.with_columns(
        _outcome=pl.when(pl.col("short_n") == 0)
        .then(pl.lit("pass"))
        .otherwise(pl.lit("not_yet_due" if late else "fail")),
        _cells=pl.when(pl.col("short_n") > 0)
        .then(pl.lit(SEP) + pl.col("short_cells").list.join(SEP))
        .otherwise(pl.lit(SEP) + pl.col("worst_cell")),
        _note=pl.when(pl.col("short_n") > 0).then(
            pl.lit(f"{field_id}=below:")
            + pl.col("short_n").cast(pl.String)
            + pl.lit("/")
            + pl.col("n").cast(pl.String)
            + pl.lit("|")
            + pl.col("listed").list.join("|")
        ),
    )
    merged = outcomes.join(
        per.select("_rec", "_outcome", "worst_value", "worst_short", "total"),
        on="_rec",
        how="left",
        maintain_order="left",
    )
    hit = pl.col("_outcome").is_not_null()
    merged = merged.with_columns(
        outcome=pl.when(hit).then(pl.col("_outcome")).otherwise(pl.col("outcome")),
        actual=pl.when(hit).then(clean(pl.col("worst_value"))).otherwise(pl.col("actual")),
        shortfall=pl.when(hit).then(clean(pl.col("worst_short"))).otherwise(pl.col("shortfall")),
        total=pl.when(hit)
        .then(clean(pl.col("total_right")) if rule.scale is not None else pl.lit(None, pl.Float64))
        .otherwise(pl.col("total")),
    ).select(outcomes.columns)
    extra = per.select(
        "_rec",
        pl.col("n").alias(pw_column(rule.id, "n")),
        pl.col("_cells").alias(pw_column(rule.id, "cells")),
        pl.col("_note").alias(pw_column(rule.id, "note")),
    )
    return merged, extra
