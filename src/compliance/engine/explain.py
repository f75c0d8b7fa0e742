"""What a finding shows besides its figures: derivation, cells, notes, missing fields.

Built only for the rows asked for (the findings that are not a plain pass, as
a rule). A derivation ("max(5, ceil(2150 / 400)) = 6") is the rule's own
:meth:`~compliance.rules.expressions.Expression.format_args` text, made once
per distinct combination of the values it shows and joined back. Cells, notes
and missing fields are texts with each item after :data:`~compliance.findings.SEP`
(much cheaper than list columns), split where they are read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from compliance.engine.finding_columns import DECIDED, Layout, Shown, finding_columns
from compliance.engine.lookups import NOTE_COLUMN
from compliance.engine.plan import RulePlan
from compliance.engine.review import review_cells_column
from compliance.engine.workers import pw_column
from compliance.findings import ENGINE, Explainer
from compliance.findings_schema import JOINED_SCHEMA
from compliance.model import SourceInfo
from compliance.reading.frame import CELL_PREFIX, NOTE_PREFIX, ROW
from compliance.rules.expressions import Expression, Kind
from compliance.rules.model import Lookup

#: Texts kept per rule and kind of text: a rule whose values differ on every row
#: keeps no more than this.
MEMO_SIZE = 100_000


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
    combos: pl.DataFrame,
    expr: Expression,
    plan: RulePlan,
    kinds: Mapping[str, Kind],
    result: Any,
    memo: dict[tuple[Any, ...], str],
) -> pl.DataFrame:
    """The distinct values of the columns ``expr`` reads (``combos``), each with its
    explanation in column ``_text``. The result shown is ``result`` where given (a
    false condition), else the engine's own ``required`` of that row: the text is
    formatted from what the engine computed, never computed again. ``memo`` holds the
    texts already made for this rule (a report explains its findings a chunk at a
    time, and the chunks share most of their values): a text depends on the row's
    values alone, and equal values (0.0 and -0.0 included) give equal texts."""
    at = {c: i for i, c in enumerate(combos.columns)}
    slots = [(at[plan.column(f)], kinds.get(f, "number")) for f in expr.fields]
    shown = at.get("required")
    texts = []
    for row in combos.iter_rows():
        text = memo.get(row)
        if text is None:
            text = expr.format_args(
                tuple(_python(row[i], kind) for i, kind in slots),
                result
                if result is not None
                else _python(row[shown] if shown is not None else None, "number"),
            )
            if result is None:
                # A requirement computed from a stand-in says so in its derivation.
                for f, sub in plan.rename.items():
                    text = re.sub(rf"\b{f}\b", sub, text)
            if len(memo) < MEMO_SIZE:
                memo[row] = text
        texts.append(text)
    return combos.hstack([pl.Series("_text", texts, dtype=pl.String)])


class RuleExplainer:
    """The explainer of one checked frame (see :class:`compliance.findings.FindingsTable`)."""

    def __init__(
        self,
        inputs: pl.DataFrame,
        plans: Sequence[RulePlan],
        source: SourceInfo,
        derived: Mapping[str, str],
        lookups: Sequence[Lookup],
        kinds: Mapping[str, Kind],
    ) -> None:
        self.inputs = inputs
        self.plans = {p.id: p for p in plans}
        self.source = source
        self.derived = derived
        self.lookups = lookups
        self.kinds = kinds
        #: The texts made so far, per rule and kind of text (see :func:`_texts`).
        self._memo: dict[tuple[str, bool], dict[tuple[Any, ...], str]] = {}

    def shown_inputs(self) -> pl.DataFrame:
        """The input columns some finding shows (what crosses back from a worker)."""
        needed = dict.fromkeys(c for p in self.plans.values() for c in self._inputs(p))
        return self.inputs.select(list(needed))

    def _inputs(self, plan: RulePlan) -> list[str]:
        """The input columns a rule's findings show."""
        have = set(self.inputs.columns)
        rule = plan.rule
        reads = [*plan.fields, *plan.columns(rule.measure.fields)]
        wanted = ["_rec", ROW, *reads, review_cells_column(plan.id)]
        wanted += [p + f for f in reads for p in (CELL_PREFIX, NOTE_PREFIX)]
        wanted += [NOTE_COLUMN.format(i) for i in range(len(self.lookups))]
        wanted += [pw_column(plan.id, k) for k in ("n", "cells", "note")]
        return [c for c in dict.fromkeys(wanted) if c in have]

    def _derivation(
        self, part: pl.LazyFrame, texts: pl.DataFrame | None, column: str
    ) -> tuple[pl.LazyFrame, Shown]:
        """``part`` with the texts joined where they depend on the row, and how the
        derivation shows them (None: no text; a text: the same for every row; True:
        in ``column``)."""
        if texts is None:
            return part, None
        on = [c for c in texts.columns if c != "_text"]
        if not on:
            return part, str(texts["_text"][0])
        joined = part.join(
            texts.lazy().rename({"_text": column}),
            on=on,
            how="left",
            nulls_equal=True,
            maintain_order="left",
        )
        return joined, True

    def _rule_frame(
        self,
        part: pl.LazyFrame,
        plan: RulePlan,
        texts: pl.DataFrame | None,
        na_texts: pl.DataFrame | None,
    ) -> pl.LazyFrame:
        part, text = self._derivation(part, texts, "_text")
        part, na_text = self._derivation(part, na_texts, "_na_text")
        layout = Layout(tuple(self.inputs.columns), self.source, self.derived, self.lookups)
        return part.select(finding_columns(layout, plan, text, na_text))

    def __call__(self, rows: pl.DataFrame) -> pl.DataFrame:
        if rows.height == 0:
            return pl.DataFrame(schema=JOINED_SCHEMA)
        # Only the communities these rows are about: a report explains its findings a
        # chunk at a time, and a join would otherwise hash the whole sheet. One join
        # for every rule (each rule's columns are named, so the others ride along
        # unread): a small input pays per query, not per row.
        recs = rows.get_column("_rec")
        plans = [
            self.plans[str(rid)] for rid in rows.get_column("rule").unique(maintain_order=True)
        ]
        shown = dict.fromkeys(c for p in plans for c in self._inputs(p))
        near = self.inputs.lazy().filter(pl.col("_rec").is_between(recs.min(), recs.max()))
        joined = rows.lazy().join(
            near.select(list(shown)), on="_rec", how="left", maintain_order="left"
        )
        # Each rule's rows are a filter of the joined rows in the queries below.
        ready = joined.collect(engine=ENGINE).lazy()
        subs = [(p, ready.filter(pl.col("rule") == p.id)) for p in plans]
        outcome = pl.col("outcome")
        # The distinct values each derivation shows, for all rules in one pass.
        wanted: list[tuple[RulePlan, Expression, Any, pl.LazyFrame]] = []
        for plan, lazy in subs:
            wanted.append((plan, plan.rule.require, None, lazy.filter(outcome.is_in(DECIDED))))
            if plan.rule.applies_if is not None:
                na = lazy.filter(outcome == "not_applicable")
                wanted.append((plan, plan.rule.applies_if, False, na))
        # A requirement's text shows the engine's result (``required``) of each row.
        combos = pl.collect_all(
            [
                lf.select(
                    *plan.columns(e.fields), *(["required"] if result is None else [])
                ).unique(maintain_order=True)
                if e.fields
                else lf.select(pl.len(), pl.col("required").first())
                for plan, e, result, lf in wanted
            ],
            engine=ENGINE,
        )
        texts: dict[tuple[str, bool], pl.DataFrame | None] = {}
        for (plan, e, result, _), found in zip(wanted, combos, strict=True):
            key = (plan.id, result is False)
            if e.fields:
                memo = self._memo.setdefault(key, {})
                texts[key] = (
                    _texts(found, e, plan, self.kinds, result, memo) if found.height else None
                )
            elif found["len"][0]:
                text = e.format_args((), result if result is not None else found["required"][0])
                if result is None:
                    for f, stand_in in plan.rename.items():
                        text = re.sub(rf"\b{f}\b", stand_in, text)
                texts[key] = pl.DataFrame({"_text": [text]})
        parts = [
            self._rule_frame(sub, plan, texts.get((plan.id, False)), texts.get((plan.id, True)))
            for plan, sub in subs
        ]
        return pl.concat(parts).cast(JOINED_SCHEMA).collect(engine=ENGINE)  # type: ignore[arg-type]


def explainer(
    inputs: pl.DataFrame,
    plans: Sequence[RulePlan],
    source: SourceInfo,
    derived: Mapping[str, str],
    lookups: Sequence[Lookup],
    kinds: Mapping[str, Kind],
) -> Explainer:
    """An :data:`~compliance.findings.Explainer` over the checked ``inputs``."""
    return RuleExplainer(inputs, plans, source, derived, lookups, kinds)
