"""Run the engine: :func:`check_sheet` for a :class:`SheetFrame`, and
:func:`evaluate` for a reader's sheet with its sub-district rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import polars as pl

from compliance.catalogue import Catalogue
from compliance.engine.explain import explainer
from compliance.engine.inputs import engine_sheet
from compliance.engine.lookups import apply_lookups
from compliance.engine.outcomes import rule_outcomes
from compliance.engine.plan import RulePlan, plan, stand_in_notes
from compliance.engine.review import block, review, review_cells
from compliance.engine.schema import RULE_OUTCOMES_SCHEMA
from compliance.engine.screen import positive_fields, screen
from compliance.engine.workers import judge_workers
from compliance.findings import ENGINE, IDENTITY, FindingsTable, SheetRows
from compliance.findings_schema import RECORDS_SCHEMA
from compliance.model import DataProblem, SourceInfo
from compliance.reading.frame import ROW, SheetFrame
from compliance.results import CheckResult
from compliance.rules.expressions import Kind
from compliance.rules.model import Rule, RuleSet

#: Rows up to which a sheet's outcomes are computed by the in-memory engine.
SMALL_SHEET = 50_000


@cache
def _kinds(catalogue: Catalogue) -> Mapping[str, Kind]:
    from compliance.rules.compile import field_kinds

    return field_kinds(catalogue)


@dataclass(frozen=True)
class SheetCheck:
    """What the engine makes of one sheet: the findings, and what it noticed."""

    table: FindingsTable
    #: Data problems found while evaluating (values that are not figures).
    problems: tuple[DataProblem, ...]
    #: Notes for the source (Chinese, English): stand-ins used.
    notes: tuple[tuple[str, ...], tuple[str, ...]]


def check_sheet(
    sheet: SheetFrame,
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    *,
    as_of: dt.date | None = None,
    records: SheetFrame | None = None,
    workers: pl.DataFrame | None = None,
    checks: bool = True,
) -> SheetCheck:
    """Evaluate ``rules`` (default: the rule set's community rules) over every record
    of ``sheet``. ``records`` is the reader's frame the table reads figures from
    (default: ``sheet``); ``workers`` holds
    per-worker values (:data:`~compliance.engine.workers.WORKER_SCHEMA`) for rules
    judged worker by worker. ``checks`` runs the rule set's consistency checks."""
    chosen = (
        list(rules) if rules is not None else [r for r in ruleset.rules if r.level == "community"]
    )
    source = sheet.source
    mapped = frozenset(source.columns)
    plans = [plan(r, mapped) for r in chosen]
    frame = sheet.frame.with_row_index("_rec")
    frame, screened = screen(frame, source, positive_fields(chosen))
    rows = _rows(sheet, records, screened)
    kinds = _kinds(ruleset.catalogue)
    # Consistency checks read the figures as the sheet gives them, before lookups.
    blocks, reviewed = (
        review(frame, ruleset.checks, kinds, source, chosen) if chosen and checks else (None, ())
    )
    problems = (*sheet.problems, *screened)
    # A cell of this sheet that is a data problem is never filled by a lookup (a roster
    # sheet's problems name rows of another sheet).
    own = f"{source.sheet}!" if source.sheet else ""
    blocked: dict[str, set[int]] = {}
    for prob in problems:
        if (
            prob.field is not None
            and prob.row is not None
            and ("!" not in prob.cell or (own and prob.cell.startswith(own)))
        ):
            blocked.setdefault(prob.field, set()).add(prob.row)
    lookups = list(ruleset.lookups.values())
    frame = apply_lookups(frame, lookups, blocked=blocked)
    outcomes = _outcomes(frame, plans, kinds, as_of)
    if workers is not None and workers.height:
        for p in plans:
            if not p.rule.per_worker:
                continue
            mine = outcomes.filter(pl.col("rule") == p.id)
            judged, extra = judge_workers(mine, workers, p, as_of=as_of)
            if extra is None:
                continue
            outcomes = pl.concat([outcomes.filter(pl.col("rule") != p.id), judged])
            frame = frame.join(extra, on="_rec", how="left", maintain_order="left")
    if blocks is not None:
        outcomes = block(outcomes, blocks)
        frame = frame.join(review_cells(blocks), on="_rec", how="left", maintain_order="left")
    ident = [
        pl.col(f).cast(pl.String) if f in frame.columns else pl.lit(None, pl.String).alias(f)
        for f in IDENTITY
    ]
    table_records = frame.select(pl.col("_rec"), pl.col(ROW).cast(pl.Int64), *ident)
    table = FindingsTable(
        table_records.cast(RECORDS_SCHEMA),  # type: ignore[arg-type]
        outcomes,
        [p.id for p in plans],
        explainer(frame, plans, source, sheet.derived, lookups, kinds),
        rows,
    )
    return SheetCheck(table, (*screened, *reviewed), stand_in_notes(chosen, mapped))


def _outcomes(
    frame: pl.DataFrame, plans: Sequence[RulePlan], kinds: Mapping[str, Kind], as_of: dt.date | None
) -> pl.DataFrame:
    if not plans:
        return pl.DataFrame(schema=RULE_OUTCOMES_SCHEMA)
    lazy = frame.lazy()
    parts = [rule_outcomes(lazy, frame.columns, p, kinds, as_of=as_of) for p in plans]
    # A small sheet's query is mostly the engine's start: the in-memory engine's is cheaper.
    if frame.height <= SMALL_SHEET:
        return pl.concat(parts).collect(engine=ENGINE)
    return pl.concat(parts).collect()


def _rows(
    sheet: SheetFrame, records: SheetFrame | None, screened: Sequence[DataProblem]
) -> SheetRows:
    """The reader's rows, and the values the screen emptied."""
    emptied: dict[int, tuple[str, ...]] = {}
    for p in screened:
        if p.row is not None and p.field is not None:
            emptied[p.row] = (*emptied.get(p.row, ()), p.field)
    return SheetRows(sheet if records is None else records, emptied)


def evaluate_frame(
    sheet: SheetFrame,
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    *,
    as_of: dt.date | None = None,
) -> FindingsTable:
    """The findings table of ``sheet`` (see :func:`check_sheet`)."""
    return check_sheet(sheet, ruleset, rules, as_of=as_of).table


def evaluate(
    data: SheetFrame,
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    *,
    as_of: dt.date | None = None,
    options: Mapping[str, Any] | None = None,
    subdistricts: SheetFrame | None = None,
) -> CheckResult:
    """Evaluate every record of ``data`` and collect the result.

    Rules with level "subdistrict" are evaluated once per sub-district, from
    the ``subdistricts`` sheet if given, else from ``data``'s own columns (see
    :mod:`compliance.subdistricts`), into a findings table of their own.
    """
    from compliance.subdistricts import is_group_rule, subdistrict_sheet

    chosen = tuple(rules if rules is not None else ruleset.rules)
    sheet, workers = engine_sheet(data)
    community = [r for r in chosen if r.level == "community"]
    done = check_sheet(sheet, ruleset, community, as_of=as_of, records=data, workers=workers)
    problems = (*sheet.problems, *done.problems)
    source: SourceInfo = sheet.source
    zh, en = done.notes
    if zh:
        source = replace(source, notes_zh=(*source.notes_zh, *zh), notes_en=(*source.notes_en, *en))
    groups, extra, note = subdistrict_sheet(data, chosen, subdistricts)
    group_table = None
    if groups is not None:
        # Like a community sheet, but without consistency checks; a sub-district
        # figure the screen empties is unknown without a data problem of its own.
        group_rules = [r for r in chosen if is_group_rule(r)]
        group_table = check_sheet(groups, ruleset, group_rules, as_of=as_of, checks=False).table
        problems += extra
    if note is not None:
        source = replace(
            source, notes_zh=(*source.notes_zh, note[0]), notes_en=(*source.notes_en, note[1])
        )
    return CheckResult(
        source=source,
        ruleset=ruleset,
        table=done.table,
        problems=tuple(problems),
        rules=chosen,
        options=dict(options or {}),
        groups=group_table,
        group_sheet=groups.source.sheet if groups is not None else "",
    )
