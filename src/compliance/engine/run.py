"""Run the engine: :func:`check_sheet` for a :class:`SheetFrame`, and the
record-object entry points built on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import polars as pl

from compliance.engine.cells import cell_expr
from compliance.engine.explain import explainer
from compliance.engine.lookups import apply_lookups
from compliance.engine.outcomes import rule_outcomes
from compliance.engine.plan import RulePlan, plan
from compliance.engine.review import block, review
from compliance.engine.schema import RULE_OUTCOMES_SCHEMA
from compliance.engine.screen import positive_fields, screen
from compliance.engine.workers import WORKER_SCHEMA, judge_workers
from compliance.findings import IDENTITY, FindingsTable
from compliance.findings_schema import RECORDS_SCHEMA
from compliance.model import DataProblem, Record, RecordResult, SheetData, SourceInfo
from compliance.prepare import stand_in_notes
from compliance.reading.frame import CELL_PREFIX, ROW, SheetFrame, frame_from_sheet_data
from compliance.results import CheckResult
from compliance.rules.expressions import Kind
from compliance.rules.model import Rule, RuleSet

_KIND_OF_TYPE: dict[str, Kind] = {
    "integer": "number",
    "number": "number",
    "flag": "bool",
    "text": "text",
    "date": "text",
}
#: The record key suffix of per-worker values (see compliance.reading.workers).
_PER_WORKER = "@workers"


@cache
def _kinds() -> Mapping[str, Kind]:
    from compliance.catalogue import default_catalogue

    return {fid: _KIND_OF_TYPE[f.type] for fid, f in default_catalogue().fields.items()}


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
    records: Sequence[Record] | None = None,
    workers: pl.DataFrame | None = None,
    checks: bool = True,
) -> SheetCheck:
    """Evaluate ``rules`` (default: the rule set's community rules) over every record
    of ``sheet``. ``records`` are the same rows as objects, for the compatibility
    view (made from the frame when first asked for, without them); ``workers`` holds
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
    objects = _record_objects(sheet, records, screened)
    kinds = _kinds()
    # Consistency checks read the figures as the sheet gives them, before lookups.
    blocked_recs, reviewed = (
        review(frame, ruleset.checks, kinds, objects) if chosen and checks else (None, ())
    )
    problems = (*sheet.problems, *screened)
    blocked = {p.cell for p in problems if p.field is not None}
    lookups = list(ruleset.lookups.values())
    frame = apply_lookups(
        frame, lookups, blocked=blocked, cell=lambda f: cell_expr(source, frame.columns, f)
    )
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
    if blocked_recs is not None:
        outcomes = block(outcomes, blocked_recs)
        frame = frame.join(
            blocked_recs.drop("_review"), on="_rec", how="left", maintain_order="left"
        )
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
        objects,
    )
    return SheetCheck(table, (*screened, *reviewed), stand_in_notes(chosen, mapped))


def _outcomes(
    frame: pl.DataFrame, plans: Sequence[RulePlan], kinds: Mapping[str, Kind], as_of: dt.date | None
) -> pl.DataFrame:
    if not plans:
        return pl.DataFrame(schema=RULE_OUTCOMES_SCHEMA)
    lazy = frame.lazy()
    parts = [rule_outcomes(lazy, frame.columns, p, kinds, as_of=as_of) for p in plans]
    return pl.concat(parts).collect()


def _record_objects(
    sheet: SheetFrame, records: Sequence[Record] | None, screened: Sequence[DataProblem]
) -> Any:
    """The records as objects, with the values the screen emptied emptied."""
    emptied: dict[int, list[str]] = {}
    for p in screened:
        if p.row is not None and p.field is not None:
            emptied.setdefault(p.row, []).append(p.field)

    def build() -> Sequence[Record]:
        objs = records if records is not None else sheet.to_sheet_data().records
        if not emptied:
            return objs
        out = list(objs)
        for i, rec in enumerate(out):
            fields = emptied.get(rec.row)
            if fields:
                out[i] = replace(rec, values={**rec.values, **dict.fromkeys(fields)})
        return out

    return build


def evaluate_frame(
    sheet: SheetFrame,
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    *,
    as_of: dt.date | None = None,
) -> FindingsTable:
    """The findings table of ``sheet`` (see :func:`check_sheet`)."""
    return check_sheet(sheet, ruleset, rules, as_of=as_of).table


def _worker_table(data: SheetData) -> tuple[pl.DataFrame | None, list[str]]:
    """Per-worker values of the records (roster roll-ups), and the keys holding them."""
    keys: dict[str, None] = {}
    rows: dict[str, list[Any]] = {"_rec": [], "value": [], "cell": [], "name": []}
    for i, rec in enumerate(data.records):
        for k, v in rec.values.items():
            if k.endswith(_PER_WORKER) and isinstance(v, tuple):
                keys[k] = None
                for value, cell, name in v:
                    rows["_rec"].append(i)
                    rows["value"].append(float(value))
                    rows["cell"].append(cell)
                    rows["name"].append(name)
    if not keys:
        return None, []
    return pl.DataFrame(rows, schema=WORKER_SCHEMA), list(keys)


def _reader_frame(data: SheetData) -> SheetFrame | None:
    """The frame of records exactly as the sheet reader makes them (values over one
    shared field index, cells over one shared prefix map, one derivation map), a
    column at a time; None for any other records."""
    from compliance.catalogue import default_catalogue
    from compliance.reading.frame import default_cell
    from compliance.reading.records import RowCells, RowValues

    recs = data.records
    if not recs:
        return None
    first = recs[0]
    values, refs = first.values, first.cells
    if type(values) is not RowValues or type(refs) is not RowCells:
        return None
    index, prefixes, derived = values.index, refs.prefixes, first.derived
    for r in recs:
        v, c = r.values, r.cells
        if (
            type(v) is not RowValues
            or v.index is not index
            or type(c) is not RowCells
            or c.prefixes is not prefixes
            or r.derived is not derived
            or c.row != r.row
        ):
            return None
    source = data.source
    # A derived field's cells point elsewhere (pay_annual at the monthly column).
    moved = {
        f: prefixes[f]
        for f in index
        if f in prefixes and prefixes[f] != default_cell(source, f, 1)[:-1]
    }
    if any(f not in prefixes and default_cell(source, f, 1) for f in index):
        return None
    cat = default_catalogue()
    cols = list(zip(*(r.values.data for r in recs), strict=True))  # type: ignore[attr-defined]
    columns: dict[str, pl.Series] = {ROW: pl.Series(ROW, [r.row for r in recs], dtype=pl.Int64)}
    for f, at in index.items():
        numeric = f in cat and cat[f].type in ("integer", "number", "flag")
        try:
            series = pl.Series(f, cols[at], strict=False)
        except (TypeError, ValueError, OverflowError):
            series = pl.Series(f, [None if x is None else str(x) for x in cols[at]])
        ok = series.dtype.is_numeric() or series.dtype in (pl.Boolean, pl.Null)
        if numeric and ok:
            columns[f] = series.cast(pl.Float64)
        elif not numeric and series.dtype in (pl.String, pl.Null):
            columns[f] = series.cast(pl.String)
        else:
            return None
    frame = pl.DataFrame(columns).with_columns(
        (pl.lit(prefix) + pl.col(ROW).cast(pl.String)).alias(CELL_PREFIX + f)
        for f, prefix in moved.items()
    )
    return SheetFrame(source, frame, data.problems, dict(derived))


def _sheet_of(data: SheetData) -> tuple[SheetFrame, pl.DataFrame | None]:
    fast = _reader_frame(data)
    if fast is not None:
        return fast, None
    sheet = frame_from_sheet_data(data)
    if not any(c.endswith(_PER_WORKER) for c in sheet.frame.columns):
        return sheet, None
    workers, keys = _worker_table(data)
    if keys:
        drop = [k for k in keys if k in sheet.frame.columns]
        sheet = replace(sheet, frame=sheet.frame.drop(drop))
    return sheet, workers


def evaluate(
    data: SheetData | SheetFrame,
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    *,
    as_of: dt.date | None = None,
    options: Mapping[str, Any] | None = None,
    subdistricts: SheetData | None = None,
) -> CheckResult:
    """Evaluate every record of ``data`` and collect the result.

    Rules with level "subdistrict" are evaluated once per sub-district, from
    the ``subdistricts`` sheet if given, else from ``data``'s own columns (see
    :mod:`compliance.subdistricts`).
    """
    chosen = tuple(rules if rules is not None else ruleset.rules)
    records: Sequence[Record] | None = None
    workers = None
    if isinstance(data, SheetFrame):
        sheet = data
    else:
        sheet, workers = _sheet_of(data)
        records = data.records
    community = [r for r in chosen if r.level == "community"]
    done = check_sheet(sheet, ruleset, community, as_of=as_of, records=records, workers=workers)
    groups: tuple[RecordResult, ...] = ()
    problems = (*sheet.problems, *done.problems)
    source: SourceInfo = sheet.source
    zh, en = done.notes
    if zh:
        source = replace(source, notes_zh=(*source.notes_zh, *zh), notes_en=(*source.notes_en, *en))
    if len(community) < len(chosen):
        from compliance.subdistricts import evaluate_subdistricts

        groups, extra, note = evaluate_subdistricts(
            data if isinstance(data, SheetData) else sheet.to_sheet_data(),
            ruleset,
            chosen,
            as_of=as_of,
            sheet=subdistricts,
            evaluate=iter_results,
        )
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
        groups=groups,
    )


_NO_SOURCE = SourceInfo("", "", "", "", (), {})


def _records_results(
    records: Sequence[Record],
    ruleset: RuleSet,
    rules: Sequence[Rule],
    as_of: dt.date | None,
    columns: Iterable[str] | None,
) -> tuple[RecordResult, ...]:
    if not records:
        return ()
    first = records[0]
    # A source without column letters: every cell comes from the records themselves.
    # Columns unknown (None): as if the sheet had every field, so no stand-in is used.
    names = columns if columns is not None else [f for r in rules for f in r.stand_in]
    mapped = dict.fromkeys(names, ("", ""))
    source = SourceInfo(first.source, "", "records", first.sheet, (), mapped)
    sheet, workers = _sheet_of(SheetData(source, tuple(records)))
    done = check_sheet(
        sheet, ruleset, rules, as_of=as_of, records=records, workers=workers, checks=False
    )
    return done.table.results


def evaluate_record(
    record: Record,
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    *,
    as_of: dt.date | None = None,
) -> RecordResult:
    """Evaluate one record against the rule set (or the given subset of its rules).
    A stand-in is used for a field the record has neither a value nor a cell for."""
    chosen = tuple(rules if rules is not None else ruleset.rules)
    present = [k for k, v in record.values.items() if v is not None] + list(record.cells)
    return _records_results([record], ruleset, chosen, as_of, present)[0]


def iter_results(
    records: Iterable[Record],
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    *,
    as_of: dt.date | None = None,
    columns: Iterable[str] | None = None,
) -> Iterator[RecordResult]:
    """Evaluate records (all at once, columnar) and yield their results in order.
    ``columns`` are the fields the sheet has a column for (they decide the stand-ins)."""
    chosen = tuple(rules if rules is not None else ruleset.rules)
    yield from _records_results(list(records), ruleset, chosen, as_of, columns)
