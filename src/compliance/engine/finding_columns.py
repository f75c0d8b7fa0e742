"""A rule's finding columns as expressions: derivation, cells, notes, missing fields.

They depend on the rule and on the sheet's layout (its columns, where its fields
are, what was derived and looked up), never on its rows: they are built once per
rule and layout, and a batch of small files of one layout builds them once. The
derivation texts themselves are made per sheet (:mod:`compliance.engine.explain`)
and reach these expressions as a column, or as one text for every row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from compliance import labels
from compliance.engine.cells import cell_expr
from compliance.engine.lookups import NOTE_COLUMN
from compliance.engine.plan import RulePlan
from compliance.engine.review import review_cells_column
from compliance.engine.workers import pw_column
from compliance.findings import SEP
from compliance.findings_schema import OUTCOMES_SCHEMA
from compliance.model import SourceInfo
from compliance.reading.frame import NOTE_PREFIX, default_cell
from compliance.rules.model import Lookup

_EMPTY = pl.lit("")
#: The outcomes whose derivation is the requirement's.
DECIDED = ("pass", "fail", "not_yet_due", "waived")
#: How a derivation shows its texts: none, one text for every row, or the joined
#: column (``_text``, ``_na_text``).
Shown = str | bool | None
#: Built columns by what they depend on (see :func:`finding_columns`).
_BUILT: dict[tuple[object, ...], tuple[RulePlan, tuple[pl.Expr, ...]]] = {}
_BUILT_MAX = 512


@dataclass(frozen=True)
class Layout:
    """What of a sheet the finding columns depend on."""

    columns: tuple[str, ...]
    source: SourceInfo
    derived: Mapping[str, str]
    lookups: Sequence[Lookup]


def _list(items: Sequence[pl.Expr]) -> pl.Expr:
    """The non-null items, each after :data:`SEP`."""
    if not items:
        return _EMPTY
    marked = [pl.lit(SEP) + item for item in items]
    if len(marked) == 1:
        return marked[0].fill_null("")
    return pl.concat_str(marked, ignore_nulls=True)


def finding_columns(
    layout: Layout, plan: RulePlan, text: Shown, na_text: Shown
) -> tuple[pl.Expr, ...]:
    """The outcome columns, ``derivation``, ``cells``, ``notes`` and ``missing`` of
    one rule's findings on a sheet of ``layout``."""
    rule = plan.rule
    shown = [*plan.fields, *rule.measure.fields]
    key = (
        id(rule),
        plan.fields,
        tuple(plan.rename.items()),
        plan.static_notes,
        text,
        na_text,
        layout.columns,
        tuple(default_cell(layout.source, f, 1) for f in shown),
        tuple(layout.derived.get(f) for f in plan.fields),
        tuple(lk.field for lk in layout.lookups),
    )
    hit = _BUILT.get(key)
    # The plan is kept with its columns: the rule's id() is never another rule's.
    if hit is not None and hit[0].rule is rule:
        return hit[1]
    built = _Builder(layout).columns(plan, text, na_text)
    if len(_BUILT) >= _BUILT_MAX:
        _BUILT.clear()
    _BUILT[key] = (plan, built)
    return built


class _Builder:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.have = set(layout.columns)

    def cell(self, f: str) -> pl.Expr:
        return cell_expr(self.layout.source, self.layout.columns, f)

    def null(self, f: str) -> pl.Expr:
        return pl.col(f).is_null() if f in self.have else pl.lit(True)

    def notes(self, plan: RulePlan) -> pl.Expr:
        items: list[pl.Expr] = [
            pl.col(NOTE_COLUMN.format(i))
            for i, lk in enumerate(self.layout.lookups)
            if lk.field in plan.fields
        ]
        derived = self.layout.derived
        for f in plan.fields:
            if NOTE_PREFIX + f in self.have:
                items.append(pl.lit(f + "=") + pl.col(NOTE_PREFIX + f))
            elif f in derived:
                items.append(pl.lit(f"{f}={derived[f]}"))
        items += [pl.lit(n) for n in plan.static_notes]
        worker_note = pw_column(plan.id, "note")
        if worker_note in self.have:
            items.append(pl.col(worker_note))
        return _list(items)

    def columns(self, plan: RulePlan, text: Shown, na_text: Shown) -> tuple[pl.Expr, ...]:
        rule = plan.rule
        outcome = pl.col("outcome")
        na = outcome == "not_applicable"
        decided = outcome.is_in(DECIDED)
        derivation: pl.Expr = _EMPTY
        if text is not None:
            shown = pl.col("_text") if text is True else pl.lit(text)
            if rule.tolerance:
                tol = f"; tolerance {labels.number(rule.tolerance)}"
                within = pl.when(pl.col("_within")).then(pl.lit(" (within it)"))
                shown = pl.concat_str([shown, pl.lit(tol), within], ignore_nulls=True)
            derivation = pl.when(decided).then(shown).otherwise(derivation)
        if na_text is not None:
            na_shown = pl.col("_na_text") if na_text is True else pl.lit(na_text)
            derivation = pl.when(na).then(na_shown).otherwise(derivation)
        fields = plan.fields
        missing_fields = _list([pl.when(self.null(f)).then(pl.lit(f)) for f in fields])
        missing_cells = _list([pl.when(self.null(f)).then(self.cell(f)) for f in fields])
        unknown = outcome == "unknown"
        is_missing = unknown & (pl.col("reason") == "missing")
        measured = _list([self.cell(f) for f in rule.measure.fields])
        if pw_column(plan.id, "cells") in self.have:
            measured = pl.coalesce(pl.col(pw_column(plan.id, "cells")), measured)
        review = review_cells_column(plan.id)
        cells = (
            pl.when(is_missing)
            .then(missing_cells)
            .when(unknown & pl.col("reason").str.starts_with("review:"))
            .then(pl.col(review) if review in self.have else _EMPTY)
            .when(unknown)
            .then(_list([self.cell(f) for f in fields]))
            .when(na)
            .then(_EMPTY)
            .otherwise(measured)
        )
        return (
            *(pl.col(c) for c in OUTCOMES_SCHEMA),
            derivation.cast(pl.String).alias("derivation"),
            cells.alias("cells"),
            self.notes(plan).alias("notes"),
            pl.when(is_missing).then(missing_fields).otherwise(_EMPTY).alias("missing"),
        )
