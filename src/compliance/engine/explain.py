"""What a finding shows besides its figures: derivation, cells, notes, missing fields.

Built only for the rows asked for (the findings that are not a plain pass, as
a rule). A derivation ("max(5, ceil(2150 / 400)) = 6") is the rule's own
:meth:`~compliance.rules.expressions.Expression.explain_args` text, made once
per distinct combination of the values it shows and joined back; cells, notes
and missing fields are list columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from compliance.engine.lookups import NOTE_COLUMN
from compliance.engine.schema import FINDINGS_SCHEMA, JOINED_SCHEMA

#: Cells, notes and missing fields are built as texts, each item after this
#: separator ("" no item, "\x1f" one empty item): much cheaper than list columns.
from compliance.findings import SEP, Explainer
from compliance.model import SourceInfo
from compliance.reading.frame import CELL_PREFIX, NOTE_PREFIX, ROW, default_cell
from compliance.rules.expressions import Expression, Kind
from compliance.rules.model import Lookup, Rule

#: Plans are wide and shallow (one branch per rule): optimising them costs more
#: than it saves on small inputs, and little on large ones.
_OPT = pl.QueryOptFlags()

_EMPTY = pl.lit("")
_DECIDED = ("pass", "fail", "not_yet_due", "waived")


def _python(value: Any, kind: Kind) -> Any:
    """A column value as the row-by-row evaluation saw it (whole numbers as ints)."""
    if value is None:
        return None
    if kind == "bool":
        return bool(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _texts(
    combos: pl.DataFrame, expr: Expression, kinds: Mapping[str, Kind], result: Any
) -> pl.DataFrame:
    """Distinct values of ``expr``'s fields (``combos``), each with its explanation."""
    fields = list(expr.fields)
    texts = [
        expr.explain_args(
            tuple(_python(v, kinds.get(f, "number")) for f, v in zip(fields, row, strict=True)),
            result,
        )
        for row in combos.iter_rows()
    ]
    return combos.with_columns(pl.Series("_text", texts, dtype=pl.String))


def _list(items: Sequence[pl.Expr]) -> pl.Expr:
    """The non-null items, each after :data:`SEP`."""
    if not items:
        return _EMPTY
    marked = [pl.lit(SEP) + item for item in items]
    if len(marked) == 1:
        return marked[0].fill_null("")
    return pl.concat_str(marked, ignore_nulls=True)


class RuleExplainer:
    """The explainer of one checked frame (see :class:`compliance.findings.FindingsTable`)."""

    def __init__(
        self,
        inputs: pl.DataFrame,
        rules: Sequence[Rule],
        source: SourceInfo,
        derived: Mapping[str, str],
        lookups: Sequence[Lookup],
        kinds: Mapping[str, Kind],
    ) -> None:
        self.inputs = inputs
        self.rules = {r.id: r for r in rules}
        self.source = source
        self.derived = derived
        self.lookups = lookups
        self.kinds = kinds

    def _cell(self, f: str) -> pl.Expr:
        prefix = default_cell(self.source, f, 1)[:-1]
        default = pl.lit(prefix) + pl.col(ROW).cast(pl.String) if prefix else pl.lit("")
        if CELL_PREFIX + f in self.inputs.columns:
            return pl.coalesce(pl.col(CELL_PREFIX + f), default)
        return default

    def _null(self, f: str) -> pl.Expr:
        return pl.col(f).is_null() if f in self.inputs.columns else pl.lit(True)

    def _notes(self, rule: Rule) -> pl.Expr:
        items: list[pl.Expr] = [
            pl.col(NOTE_COLUMN.format(i))
            for i, lk in enumerate(self.lookups)
            if lk.field in rule.fields
        ]
        for f in rule.fields:
            if NOTE_PREFIX + f in self.inputs.columns:
                items.append(pl.lit(f + "=") + pl.col(NOTE_PREFIX + f))
            elif f in self.derived:
                items.append(pl.lit(f"{f}={self.derived[f]}"))
        return _list(items)

    def _rule_frame(
        self,
        sub: pl.LazyFrame,
        rule: Rule,
        texts: pl.DataFrame | None,
        na_texts: pl.DataFrame | None,
    ) -> pl.LazyFrame:
        outcome = pl.col("outcome")
        na = outcome == "not_applicable"
        part = sub
        derivation: pl.Expr = pl.lit("")
        if texts is not None:
            on = list(rule.require.fields)
            if on:
                part = part.join(
                    texts.lazy(), on=on, how="left", nulls_equal=True, maintain_order="left"
                )
                text: pl.Expr = pl.col("_text")
            else:
                text = pl.lit(texts["_text"][0])
            derivation = pl.when(outcome.is_in(_DECIDED)).then(text).otherwise(derivation)
        if na_texts is not None and rule.applies_if is not None:
            on = list(rule.applies_if.fields)
            if on:
                part = part.join(
                    na_texts.rename({"_text": "_na_text"}).lazy(),
                    on=on,
                    how="left",
                    nulls_equal=True,
                    maintain_order="left",
                )
                na_text: pl.Expr = pl.col("_na_text")
            else:
                na_text = pl.lit(na_texts["_text"][0])
            derivation = pl.when(na).then(na_text).otherwise(derivation)
        missing_fields = _list([pl.when(self._null(f)).then(pl.lit(f)) for f in rule.fields])
        missing_cells = _list([pl.when(self._null(f)).then(self._cell(f)) for f in rule.fields])
        unknown = outcome == "unknown"
        is_missing = unknown & (pl.col("reason") == "missing")
        cells = (
            pl.when(is_missing)
            .then(missing_cells)
            .when(unknown)
            .then(_list([self._cell(f) for f in rule.fields]))
            .when(na)
            .then(_EMPTY)
            .otherwise(_list([self._cell(f) for f in rule.measure.fields]))
        )
        return part.select(
            *(c for c in FINDINGS_SCHEMA if c not in ("derivation", "cells", "notes", "missing")),
            derivation.cast(pl.String).alias("derivation"),
            cells.alias("cells"),
            self._notes(rule).alias("notes"),
            pl.when(is_missing).then(missing_fields).otherwise(_EMPTY).alias("missing"),
        )

    def _inputs(self, rule: Rule) -> list[str]:
        """The input columns a rule's findings show."""
        have = set(self.inputs.columns)
        wanted = ["_rec", ROW, *rule.fields]
        wanted += [p + f for f in rule.fields for p in (CELL_PREFIX, NOTE_PREFIX)]
        wanted += [NOTE_COLUMN.format(i) for i in range(len(self.lookups))]
        return [c for c in dict.fromkeys(wanted) if c in have]

    def __call__(self, rows: pl.DataFrame) -> pl.DataFrame:
        if rows.height == 0:
            return pl.DataFrame(schema=JOINED_SCHEMA)
        by_rule = rows.partition_by("rule", as_dict=True, maintain_order=True)
        subs: list[tuple[Rule, pl.LazyFrame]] = []
        for (rid, *_), part in by_rule.items():
            rule = self.rules[str(rid)]
            inputs = self.inputs.select(self._inputs(rule))
            joined = part.join(inputs, on="_rec", how="left", maintain_order="left")
            subs.append((rule, joined.lazy()))
        outcome = pl.col("outcome")
        # The distinct values each derivation shows, for all rules in one pass.
        wanted: list[tuple[Rule, Expression, Any, pl.LazyFrame]] = []
        for r, sub in subs:
            wanted.append((r, r.require, None, sub.filter(outcome.is_in(_DECIDED))))
            if r.applies_if is not None:
                wanted.append((r, r.applies_if, False, sub.filter(outcome == "not_applicable")))
        combos = pl.collect_all(
            [
                lf.select(list(e.fields)).unique(maintain_order=True)
                if e.fields
                else lf.select(pl.len())
                for _, e, _, lf in wanted
            ]
        )
        texts: dict[tuple[str, bool], pl.DataFrame | None] = {}
        for (r, e, result, _), found in zip(wanted, combos, strict=True):
            key = (r.id, result is False)
            if e.fields:
                texts[key] = _texts(found, e, self.kinds, result) if found.height else None
            else:
                texts[key] = (
                    pl.DataFrame({"_text": [e.explain_args((), result)]})
                    if found["len"][0]
                    else None
                )
        parts = [
            self._rule_frame(sub, r, texts.get((r.id, False)), texts.get((r.id, True)))
            for r, sub in subs
        ]
        return pl.concat(parts).collect(optimizations=_OPT).cast(JOINED_SCHEMA)  # type: ignore[arg-type]


def explainer(
    inputs: pl.DataFrame,
    rules: Sequence[Rule],
    source: SourceInfo,
    derived: Mapping[str, str],
    lookups: Sequence[Lookup],
    kinds: Mapping[str, Kind],
) -> Explainer:
    """An :data:`~compliance.findings.Explainer` over the checked ``inputs``."""
    return RuleExplainer(inputs, rules, source, derived, lookups, kinds)
