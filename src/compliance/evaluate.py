"""Evaluate records against a rule set: one :class:`Finding` per (record, rule).

A rule passes when ``measure <compare> require`` holds. A needed field that is
missing, empty or unreadable makes the outcome UNKNOWN, never a pass. Reference
tables (lookups) fill fields a record leaves empty, and the finding says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from compliance.model import CheckResult, Finding, Outcome, Record, RecordResult, SheetData
from compliance.rules.expressions import EvaluationError, Expression
from compliance.rules.model import Lookup, Rule, RuleSet

#: Differences smaller than this are floating-point noise, not a shortfall.
EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class _Plan:
    """A rule prepared for fast repeated evaluation."""

    rule: Rule
    fields: tuple[str, ...]
    measure: Expression
    require: Expression
    applies_if: Expression | None
    scale: Expression | None
    compare: str
    deadline: dt.date | None


def _plans(ruleset: RuleSet, rules: Sequence[Rule]) -> list[_Plan]:
    return [
        _Plan(r, r.fields, r.measure, r.require, r.applies_if, r.scale, r.compare, r.deadline_date)
        for r in rules
    ]


def _compare(op: str, actual: float, required: float) -> tuple[bool, float]:
    """(passes, shortfall in the rule's unit)."""
    diff = required - actual
    if op == ">=":
        return diff <= EPSILON, max(diff, 0.0)
    if op == ">":
        return diff < -EPSILON, max(diff, 0.0)
    if op == "<=":
        return diff >= -EPSILON, max(-diff, 0.0)
    if op == "<":
        return diff > EPSILON, max(-diff, 0.0)
    return abs(diff) <= EPSILON, abs(diff)


def _args(expr: Expression, values: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(values[f] for f in expr.fields)


def _clean(x: float) -> float:
    """Round away binary noise so 350 - 349.99 reads 0.01."""
    return round(x, 6) + 0.0


def _fill_lookups(
    record: Record, lookups: Iterable[Lookup]
) -> tuple[Mapping[str, Any], tuple[str, ...]]:
    values: Mapping[str, Any] = record.values
    notes: list[str] = []
    for lk in lookups:
        if values.get(lk.field) is not None:
            continue
        hit = lk.find(values)
        if hit is None:
            continue
        if values is record.values:
            values = dict(values)
        key, value = hit
        values[lk.field] = value  # type: ignore[index]
        year = f", {lk.year}" if lk.year else ""
        notes.append(f"{lk.field}=lookup:{lk.id}[{key}{year}]")
    return values, tuple(notes)


def evaluate_record(
    record: Record,
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    *,
    as_of: dt.date | None = None,
) -> RecordResult:
    """Evaluate one record against the rule set (or the given subset of its rules)."""
    plans = _plans(ruleset, rules if rules is not None else ruleset.rules)
    return _evaluate(record, plans, tuple(ruleset.lookups.values()), as_of)


def _evaluate(
    record: Record,
    plans: Sequence[_Plan],
    lookups: tuple[Lookup, ...],
    as_of: dt.date | None,
) -> RecordResult:
    values, lookup_notes = _fill_lookups(record, lookups) if lookups else (record.values, ())
    cells = record.cells
    derived = record.derived
    findings: list[Finding] = []
    for p in plans:
        rid = p.rule.id
        missing = tuple(f for f in p.fields if values.get(f) is None)
        notes = tuple(n for n in lookup_notes if n.split("=", 1)[0] in p.fields)
        if derived:
            notes += tuple(f"{f}={derived[f]}" for f in p.fields if f in derived)
        if missing:
            findings.append(
                Finding(
                    rid,
                    Outcome.UNKNOWN,
                    None,
                    None,
                    None,
                    None,
                    "",
                    "missing",
                    tuple(cells.get(f, "") for f in missing),
                    notes,
                    missing,
                )
            )
            continue
        try:
            if p.applies_if is not None and not p.applies_if.call(*_args(p.applies_if, values)):
                findings.append(
                    Finding(
                        rid,
                        Outcome.NOT_APPLICABLE,
                        None,
                        None,
                        None,
                        None,
                        p.applies_if.explain_args(_args(p.applies_if, values), False),
                        "not_applicable",
                        (),
                        notes,
                    )
                )
                continue
            actual = float(p.measure.call(*_args(p.measure, values)))
            req_args = _args(p.require, values)
            required = p.require.call(*req_args)
            ok, short = _compare(p.compare, actual, float(required))
            total: float | None = None
            if p.scale is not None:
                scale_args = _args(p.scale, values)
                if None not in scale_args:
                    total = _clean(short * float(p.scale.call(*scale_args)))
        except EvaluationError as exc:
            findings.append(
                Finding(
                    rid,
                    Outcome.UNKNOWN,
                    None,
                    None,
                    None,
                    None,
                    "",
                    f"error:{exc}",
                    tuple(cells.get(f, "") for f in p.fields),
                    notes,
                )
            )
            continue
        derivation = p.require.explain_args(req_args, required)
        measure_cells = tuple(cells.get(f, "") for f in p.measure.fields)
        if ok:
            outcome = Outcome.PASS
        elif p.deadline is not None and as_of is not None and as_of < p.deadline:
            outcome = Outcome.NOT_YET_DUE
        else:
            outcome = Outcome.FAIL
        findings.append(
            Finding(
                rid,
                outcome,
                _clean(actual),
                _clean(float(required)),
                _clean(short),
                total,
                derivation,
                "",
                measure_cells,
                notes,
            )
        )
    return RecordResult(record, tuple(findings))


def iter_results(
    records: Iterable[Record],
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    *,
    as_of: dt.date | None = None,
) -> Iterator[RecordResult]:
    """Evaluate records lazily, for streaming output."""
    plans = _plans(ruleset, rules if rules is not None else ruleset.rules)
    lookups = tuple(ruleset.lookups.values())
    for record in records:
        yield _evaluate(record, plans, lookups, as_of)


def evaluate(
    data: SheetData,
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
    community = tuple(r for r in chosen if r.level == "community")
    results = tuple(iter_results(data.records, ruleset, community, as_of=as_of))
    groups: tuple[RecordResult, ...] = ()
    problems = data.problems
    source = data.source
    if len(community) < len(chosen):
        from dataclasses import replace

        from compliance.subdistricts import evaluate_subdistricts

        groups, extra, note = evaluate_subdistricts(
            data, ruleset, chosen, as_of=as_of, sheet=subdistricts
        )
        problems += extra
        if note is not None:
            source = replace(
                source, notes_zh=(*source.notes_zh, note[0]), notes_en=(*source.notes_en, note[1])
            )
    return CheckResult(
        source=source,
        ruleset=ruleset,
        results=results,
        problems=problems,
        rules=chosen,
        options=dict(options or {}),
        groups=groups,
    )
