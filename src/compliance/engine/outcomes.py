"""One rule over all records: outcome and figures as columns, no loop per record.

A rule passes when ``measure <compare> require`` holds, within :data:`EPSILON`.
A needed field that is null makes the outcome unknown ("missing"); an
expression that cannot be computed makes it unknown with reason
"error:<message>"; a false ``applies_if`` makes it not applicable; a failure
before the rule's deadline (judged at ``as_of``) is not yet due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import polars as pl

from compliance.engine.compile import compile_expression
from compliance.engine.plan import RulePlan
from compliance.rules.expressions import Kind

#: Differences smaller than this are floating-point noise, not a shortfall.
EPSILON = 1e-9


def clean(x: pl.Expr) -> pl.Expr:
    """Round away binary noise so 350 - 349.99 reads 0.01 (and -0 reads 0)."""
    return x.round(6) + 0.0


def _passes(op: str, diff: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(passes, shortfall in the rule's unit) for ``diff = required - actual``."""
    zero = pl.lit(0.0)
    if op == ">=":
        return diff <= EPSILON, pl.max_horizontal(diff, zero)
    if op == ">":
        return diff < -EPSILON, pl.max_horizontal(diff, zero)
    if op == "<=":
        return diff >= -EPSILON, pl.max_horizontal(-diff, zero)
    if op == "<":
        return diff > EPSILON, pl.max_horizontal(-diff, zero)
    return diff.abs() <= EPSILON, diff.abs()


def rule_outcomes(
    frame: pl.LazyFrame,
    columns: Sequence[str],
    plan: RulePlan,
    kinds: Mapping[str, Kind],
    *,
    as_of: dt.date | None,
) -> pl.LazyFrame:
    """``_rec``, ``rule``, ``outcome``, ``actual``, ``required``, ``shortfall``,
    ``total``, ``reason`` and ``_within`` (a shortfall within the rule's tolerance):
    one row per record of ``frame`` (whose columns are ``columns``)."""
    return frame.select(outcome_columns(columns, plan, kinds, as_of=as_of))


#: Built expressions by what they depend on (see :func:`outcome_columns`).
_BUILT: dict[tuple[object, ...], tuple[RulePlan, tuple[pl.Expr, ...]]] = {}
_BUILT_MAX = 512


def outcome_columns(
    columns: Sequence[str],
    plan: RulePlan,
    kinds: Mapping[str, Kind],
    *,
    as_of: dt.date | None,
) -> tuple[pl.Expr, ...]:
    """The expressions of :func:`rule_outcomes`, built once per rule and sheet layout:
    a batch of small files would otherwise build the same ones for every file."""
    rule = plan.rule
    read = [e for e in (rule.measure, rule.require, rule.applies_if, rule.scale) if e is not None]
    fields = list(dict.fromkeys(f for e in read for f in e.fields))
    names = list(dict.fromkeys([*plan.fields, *plan.columns(fields)]))
    have = set(columns)
    deadline = rule.deadline_date
    key = (
        id(rule),
        plan.fields,
        tuple(plan.rename.items()),
        plan.na_reason,
        tuple(n in have for n in names),
        tuple(kinds.get(f, "number") for f in fields),
        deadline is not None and as_of is not None and as_of < deadline,
    )
    hit = _BUILT.get(key)
    # The plan is kept with its expressions: the rule's id() is never another rule's.
    if hit is not None and hit[0].rule is rule:
        return hit[1]
    built = _outcome_columns(columns, plan, kinds, as_of=as_of)
    if len(_BUILT) >= _BUILT_MAX:
        _BUILT.clear()
    _BUILT[key] = (plan, built)
    return built


def _outcome_columns(
    columns: Sequence[str],
    plan: RulePlan,
    kinds: Mapping[str, Kind],
    *,
    as_of: dt.date | None,
) -> tuple[pl.Expr, ...]:
    rule = plan.rule
    rename = plan.rename
    measure = compile_expression(rule.measure, kinds, columns, rename)
    require = compile_expression(rule.require, kinds, columns, rename)
    missing = pl.any_horizontal(
        [pl.col(f).is_null() if f in columns else pl.lit(True) for f in plan.fields]
        or [pl.lit(False)]
    )
    applies: pl.Expr = pl.lit(True)
    errors: list[pl.Expr] = []
    #: The rule is known not to apply (its condition is false on figures that are there):
    #: not applicable even where the figures it would judge are missing (no workers: no
    #: pay to judge, whether or not the pay cell is filled in).
    known_na: pl.Expr = pl.lit(False)
    if rule.applies_if is not None:
        cond = compile_expression(rule.applies_if, kinds, columns, rename)
        applies = cond.value
        known_na = (~applies).fill_null(False)
        if cond.error is not None:
            errors.append(cond.error)
            known_na = known_na & cond.error.is_null()
    actual = measure.value.cast(pl.Float64)
    required = require.value.cast(pl.Float64)
    ok, short = _passes(rule.compare, required - actual)
    within: pl.Expr = pl.lit(False)
    if rule.tolerance:
        # 基本达到: a shortfall up to the tolerance passes, with no shortfall.
        within = ~ok & (short > 0) & (short <= rule.tolerance + EPSILON)
        ok = ok | within
        short = pl.when(within).then(pl.lit(0.0)).otherwise(short)
    total: pl.Expr = pl.lit(None, dtype=pl.Float64)
    later: list[pl.Expr] = [e for e in (measure.error, require.error) if e is not None]
    if rule.scale is not None:
        scale = compile_expression(rule.scale, kinds, columns, rename)
        scale_present = pl.all_horizontal(
            [
                pl.col(c).is_not_null() if c in columns else pl.lit(False)
                for c in plan.columns(rule.scale.fields)
            ]
            or [pl.lit(True)]
        )
        total = pl.when(scale_present).then(clean(short * scale.value.cast(pl.Float64)))
        if scale.error is not None:
            later.append(pl.when(scale_present).then(scale.error))
    if later:
        # Evaluated only where the rule applies.
        body = later[0] if len(later) == 1 else pl.coalesce(later)
        errors.append(pl.when(applies.fill_null(False)).then(body))
    error = (
        pl.lit(None, dtype=pl.String)
        if not errors
        else errors[0]
        if len(errors) == 1
        else pl.coalesce(errors)
    )
    deadline = rule.deadline_date
    late = deadline is not None and as_of is not None and as_of < deadline
    decided = ~missing & error.is_null()
    outcome = (
        pl.when(known_na)
        .then(pl.lit("not_applicable"))
        .when(missing)
        .then(pl.lit("unknown"))
        .when(error.is_not_null())
        .then(pl.lit("unknown"))
        .when(~applies)
        .then(pl.lit("not_applicable"))
        .when(ok)
        .then(pl.lit("pass"))
        .otherwise(pl.lit("not_yet_due" if late else "fail"))
    )
    figures = decided & applies & ~known_na
    reason = (
        pl.when(known_na)
        .then(pl.lit(plan.na_reason))
        .when(missing)
        .then(pl.lit("missing"))
        .when(error.is_not_null())
        .then(pl.lit("error:") + error)
        .when(~applies)
        .then(pl.lit(plan.na_reason))
        .otherwise(pl.lit(""))
    )
    return (
        pl.col("_rec"),
        pl.lit(rule.id, dtype=pl.String).alias("rule"),
        outcome.alias("outcome"),
        pl.when(figures).then(clean(actual)).alias("actual"),
        pl.when(figures).then(clean(required)).alias("required"),
        pl.when(figures).then(clean(short)).alias("shortfall"),
        pl.when(figures).then(total).alias("total"),
        reason.alias("reason"),
        (figures & within).fill_null(False).alias("_within"),
    )
