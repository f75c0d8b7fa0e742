"""Run the engine: :func:`evaluate_frame` for a :class:`SheetFrame`, and the
record-object entry points built on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

import polars as pl

from compliance.engine.explain import explainer
from compliance.engine.lookups import apply_lookups
from compliance.engine.outcomes import rule_outcomes
from compliance.engine.schema import OUTCOMES_SCHEMA, RECORDS_SCHEMA
from compliance.findings import IDENTITY, FindingsTable
from compliance.model import CheckResult, Record, RecordResult, SheetData, SourceInfo
from compliance.reading.frame import ROW, SheetFrame, frame_from_sheet_data
from compliance.rules.expressions import Kind
from compliance.rules.model import Rule, RuleSet

#: Plans are wide and shallow (one branch per rule): optimising them costs more
#: than it saves on small inputs, and little on large ones.
_OPT = pl.QueryOptFlags.none()

_KIND_OF_TYPE: dict[str, Kind] = {
    "integer": "number",
    "number": "number",
    "flag": "bool",
    "text": "text",
    "date": "text",
}


@cache
def _kinds() -> Mapping[str, Kind]:
    from compliance.catalogue import default_catalogue

    return {fid: _KIND_OF_TYPE[f.type] for fid, f in default_catalogue().fields.items()}


def evaluate_frame(
    sheet: SheetFrame,
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    *,
    as_of: dt.date | None = None,
    records: Sequence[Record] | None = None,
) -> FindingsTable:
    """Evaluate ``rules`` (default: the rule set's community rules) over every
    record of ``sheet``. ``records`` are the same rows as objects, for the compatibility
    view; without them they are made from the frame when first asked for."""
    chosen = (
        list(rules) if rules is not None else [r for r in ruleset.rules if r.level == "community"]
    )
    frame = sheet.frame.with_row_index("_rec")
    frame, used = apply_lookups(frame, ruleset.lookups.values())
    kinds = _kinds()
    lazy = frame.lazy()
    parts = [rule_outcomes(lazy, frame.columns, r, kinds, as_of=as_of) for r in chosen]
    outcomes = (
        pl.concat(parts).collect(optimizations=_OPT)
        if parts
        else pl.DataFrame(schema=OUTCOMES_SCHEMA)
    )
    ident = [
        pl.col(f).cast(pl.String) if f in frame.columns else pl.lit(None, pl.String).alias(f)
        for f in IDENTITY
    ]
    table_records = frame.select(pl.col("_rec"), pl.col(ROW).cast(pl.Int64), *ident)
    if records is not None:
        objects: Sequence[Record] = records

        def record_objects() -> Sequence[Record]:
            return objects
    else:

        def record_objects() -> Sequence[Record]:
            return sheet.to_sheet_data().records

    return FindingsTable(
        table_records.cast(RECORDS_SCHEMA),  # type: ignore[arg-type]
        outcomes,
        [r.id for r in chosen],
        explainer(frame, chosen, sheet.source, sheet.derived, used, kinds),
        record_objects,
    )


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
    if isinstance(data, SheetFrame):
        sheet = data
        records: Sequence[Record] | None = None
    else:
        sheet = frame_from_sheet_data(data)
        records = data.records
    community = [r for r in chosen if r.level == "community"]
    table = evaluate_frame(sheet, ruleset, community, as_of=as_of, records=records)
    groups: tuple[RecordResult, ...] = ()
    problems = sheet.problems
    source: SourceInfo = sheet.source
    if any(r.level != "community" for r in chosen):
        from compliance.subdistricts import evaluate_subdistricts

        groups, extra, note = evaluate_subdistricts(
            data if isinstance(data, SheetData) else sheet.to_sheet_data(),
            ruleset,
            chosen,
            as_of=as_of,
            sheet=subdistricts,
        )
        problems += extra
        if note is not None:
            source = replace(
                source, notes_zh=(*source.notes_zh, note[0]), notes_en=(*source.notes_en, note[1])
            )
    return CheckResult(
        source=source,
        ruleset=ruleset,
        table=table,
        problems=problems,
        rules=chosen,
        options=dict(options or {}),
        groups=groups,
    )


def _records_table(
    records: Sequence[Record], ruleset: RuleSet, rules: Sequence[Rule], as_of: dt.date | None
) -> tuple[RecordResult, ...]:
    if not records:
        return ()
    first = records[0]
    source = SourceInfo(first.source, "", "records", first.sheet, (), {})
    # A source without columns: every cell comes from the records themselves.
    data = SheetData(source, tuple(records))
    table = evaluate_frame(
        frame_from_sheet_data(data), ruleset, rules, as_of=as_of, records=records
    )
    return table.results


def evaluate_record(
    record: Record,
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    *,
    as_of: dt.date | None = None,
) -> RecordResult:
    """Evaluate one record against the rule set (or the given subset of its rules)."""
    chosen = tuple(rules if rules is not None else ruleset.rules)
    return _records_table([record], ruleset, chosen, as_of)[0]


def iter_results(
    records: Iterable[Record],
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    *,
    as_of: dt.date | None = None,
) -> Iterator[RecordResult]:
    """Evaluate records (all at once, columnar) and yield their results in order."""
    chosen = tuple(rules if rules is not None else ruleset.rules)
    yield from _records_table(list(records), ruleset, chosen, as_of)
