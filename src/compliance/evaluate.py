"""Evaluate records against a rule set: one :class:`Finding` per (record, rule).

A rule passes when ``measure <compare> require`` holds (or falls short by no more
than its ``tolerance``). A needed field that is missing, empty or unreadable makes
the outcome UNKNOWN, never a pass. Before that, :mod:`compliance.prepare` screens
values that must be positive, fills empty cells from reference tables and says
which stand-ins a sheet uses. A rule with ``per_worker`` is judged worker by worker
where a roster gives each worker's value; an ``applies_if`` that is false gives NOT
APPLICABLE with the rule set's reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from itertools import repeat
from operator import add, attrgetter, itemgetter
from typing import Any

from compliance import labels
from compliance._perf import gc_paused
from compliance.model import (
    CheckResult,
    Finding,
    Outcome,
    Record,
    RecordResult,
    SheetData,
)
from compliance.prepare import (
    NO_SOURCE,
    fill_lookups,
    positive_fields,
    problem_cells,
    screen,
    stand_in_notes,
)
from compliance.reading.records import RowCells, RowValues
from compliance.reading.workers import per_worker_key
from compliance.rules.expressions import EvaluationError, Expression
from compliance.rules.model import Lookup, Rule, RuleSet

#: Differences smaller than this are floating-point noise, not a shortfall.
EPSILON = 1e-9


#: A rule's outcome for some field values, without the cells and notes of a record:
#: (outcome, actual, required, shortfall, total, derivation, reason, fields whose cells to name).
_Decision = tuple[
    Outcome, float | None, float | None, float | None, float | None, str, str, tuple[str, ...]
]
#: Decisions kept per rule and run; past this many distinct inputs new ones are not kept.
_MEMO_LIMIT = 1 << 15


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
    #: ``fields``, then the fields only ``scale`` reads: everything the decision depends on.
    key_fields: tuple[str, ...] = ()
    #: The reason of a not-applicable finding: "not_applicable" or, where the rule says
    #: why, "not_applicable:<Chinese>|<English>".
    na_reason: str = "not_applicable"
    #: For a rule judged per worker: the record key holding each worker's measure.
    per_worker: str | None = None
    #: field -> the field standing in for it (the sheet has no column for the first).
    rename: Mapping[str, str] = field(default_factory=dict)
    #: Notes every finding of the rule carries on this sheet ("female_workers=stand_in:…").
    static_notes: tuple[str, ...] = ()
    #: Decisions already made, by the values of ``key_fields``. A decision is a pure
    #: function of those values (and of ``as_of``, fixed for a run), and thousands of
    #: communities share them (the same worker count, the same wage), so each distinct
    #: set of values is computed, explained and rounded once per run.
    memo: dict[tuple[Any, ...], _Decision] = field(default_factory=dict)


def _plans(
    ruleset: RuleSet, rules: Sequence[Rule], columns: AbstractSet[str] | None = None
) -> list[_Plan]:
    """Rules prepared for a sheet whose mapped fields are ``columns`` (None: unknown, and
    no stand-in is used)."""
    plans = []
    for r in rules:
        rename = r.stand_ins(columns)
        fields = r.fields_for(columns)
        extra = tuple(f for f in (r.scale.fields if r.scale else ()) if f not in fields)
        plans.append(
            _Plan(
                r,
                fields,
                r.measure,
                r.require,
                r.applies_if,
                r.scale,
                r.compare,
                r.deadline_date,
                fields + tuple(dict.fromkeys(extra)),
                (
                    f"not_applicable:{r.not_applicable_zh}|{r.not_applicable_en}"
                    if r.not_applicable_zh or r.not_applicable_en
                    else "not_applicable"
                ),
                per_worker_key(r.measure.fields[0]) if r.per_worker else None,
                rename,
                tuple(f"{f}=stand_in:{sub}" for f, sub in rename.items()),
            )
        )
    return plans


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


def evaluate_record(
    record: Record,
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    *,
    as_of: dt.date | None = None,
) -> RecordResult:
    """Evaluate one record against the rule set (or the given subset of its rules)."""
    chosen = rules if rules is not None else ruleset.rules
    plans = _plans(
        ruleset,
        chosen,
        frozenset(k for k, v in record.values.items() if v is not None) | frozenset(record.cells),
    )
    data = screen(SheetData(NO_SOURCE, (record,)), positive_fields(chosen))
    return _evaluate(
        data.records[0],
        plans,
        tuple(ruleset.lookups.values()),
        as_of,
        blocked=problem_cells(data.problems),
    )


def _decide(p: _Plan, values: Mapping[str, Any], as_of: dt.date | None) -> _Decision:
    """The outcome and figures of one rule for a record's values (all present)."""
    if p.rename:
        values = {**values, **{f: values.get(sub) for f, sub in p.rename.items()}}
    try:
        if p.applies_if is not None and not p.applies_if.call(*_args(p.applies_if, values)):
            derivation = p.applies_if.explain_args(_args(p.applies_if, values), False)
            return (
                Outcome.NOT_APPLICABLE,
                None,
                None,
                None,
                None,
                derivation,
                p.na_reason,
                (),
            )
        actual = float(p.measure.call(*_args(p.measure, values)))
        req_args = _args(p.require, values)
        required = p.require.call(*req_args)
        ok, short = _compare(p.compare, actual, float(required))
        within = not ok and 0 < short <= p.rule.tolerance + EPSILON
        if within:
            ok, short = True, 0.0
        total: float | None = None
        if p.scale is not None:
            scale_args = _args(p.scale, values)
            if None not in scale_args:
                total = _clean(short * float(p.scale.call(*scale_args)))
    except EvaluationError as exc:
        return (Outcome.UNKNOWN, None, None, None, None, "", f"error:{exc}", p.fields)
    derivation = p.require.explain_args(req_args, required)
    for f, sub in p.rename.items():
        # The requirement was computed from the stand-in: say so in its derivation.
        derivation = re.sub(rf"\b{f}\b", sub, derivation)
    if p.rule.tolerance:
        derivation += f"; tolerance {labels.number(p.rule.tolerance)}" + (
            " (within it)" if within else ""
        )
    if ok:
        outcome = Outcome.PASS
    elif p.deadline is not None and as_of is not None and as_of < p.deadline:
        outcome = Outcome.NOT_YET_DUE
    else:
        outcome = Outcome.FAIL
    return (
        outcome,
        _clean(actual),
        _clean(float(required)),
        _clean(short),
        total,
        derivation,
        "",
        p.measure.fields,
    )


def _per_worker(
    p: _Plan,
    values: Mapping[str, Any],
    workers: tuple[tuple[float, str, str], ...],
    as_of: dt.date | None,
    notes: tuple[str, ...],
    cells: Mapping[str, str],
) -> Finding:
    """A rule judged worker by worker (``per_worker``): each worker's value against the
    requirement. It fails if any worker falls short; ``actual`` is the worst-placed
    worker's value, ``shortfall`` that worker's shortfall, ``total`` the sum of every
    worker's shortfall, and the cells and a note name each worker who falls short."""
    head = _decide(p, values, as_of)
    outcome, _, required, _, _, derivation, reason, _ = head
    if outcome in (Outcome.NOT_APPLICABLE, Outcome.UNKNOWN) or required is None or not workers:
        return Finding(p.rule.id, *head[:7], tuple(cells.get(f, "") for f in head[7]), notes)
    judged = [(*_compare(p.compare, v, required), v, cell, name) for v, cell, name in workers]
    short = [j for j in judged if not j[0]]
    worst = max(judged, key=lambda j: j[1])
    total = _clean(sum(j[1] for j in judged))
    if not short:
        outcome = Outcome.PASS
    elif p.deadline is not None and as_of is not None and as_of < p.deadline:
        outcome = Outcome.NOT_YET_DUE
    else:
        outcome = Outcome.FAIL
    field_id = p.measure.fields[0]
    extra: tuple[str, ...] = ()
    if short:
        listed = "|".join(f"{cell} ({name}) {labels.number(v)}" for _, _, v, cell, name in short)
        extra = (f"{field_id}=below:{len(short)}/{len(judged)}|{listed}",)
    return Finding(
        p.rule.id,
        outcome,
        _clean(worst[2]),
        required,
        _clean(worst[1]),
        total if p.scale is not None else None,
        derivation,
        reason,
        tuple(cell for _, _, _, cell, _ in short) or (worst[3],),
        (*notes, *extra),
    )


def _notes(
    plans: Sequence[_Plan], lookup_notes: tuple[str, ...], derived: Mapping[str, str]
) -> list[tuple[str, ...]]:
    """Per rule, where its derived inputs came from."""
    out = []
    for p in plans:
        notes = tuple(n for n in lookup_notes if n.split("=", 1)[0] in p.fields)
        if derived:
            notes += tuple(f"{f}={derived[f]}" for f in p.fields if f in derived)
        out.append(notes)
    return out


def _evaluate(
    record: Record,
    plans: Sequence[_Plan],
    lookups: tuple[Lookup, ...],
    as_of: dt.date | None,
    notes_memo: dict[Any, list[tuple[str, ...]]] | None = None,
    blocked: AbstractSet[str] = frozenset(),
) -> RecordResult:
    values, lookup_notes = (
        fill_lookups(record, lookups, blocked) if lookups else (record.values, ())
    )
    cells = record.cells
    derived = record.derived
    all_notes: list[tuple[str, ...]] | None = None
    if lookup_notes or derived:
        # The same notes for every record of a sheet, as a rule: computed once.
        nkey = (lookup_notes, tuple(derived.items()))
        all_notes = notes_memo.get(nkey) if notes_memo is not None else None
        if all_notes is None:
            all_notes = _notes(plans, lookup_notes, derived)
            if notes_memo is not None and len(notes_memo) < _MEMO_LIMIT:
                notes_memo[nkey] = all_notes
    findings: list[Finding] = []
    get = values.get
    for i, p in enumerate(plans):
        rid = p.rule.id
        notes = all_notes[i] if all_notes is not None else ()
        if p.static_notes:
            notes += p.static_notes
        kf = p.key_fields
        key = (get(kf[0]),) if len(kf) == 1 else tuple([get(f) for f in kf])
        if None in (key if len(kf) == len(p.fields) else key[: len(p.fields)]):
            missing = tuple(f for f in p.fields if get(f) is None)
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
        each = get(p.per_worker) if p.per_worker is not None else None
        if isinstance(each, tuple):
            findings.append(_per_worker(p, values, each, as_of, notes, cells))
            continue
        try:
            decision = p.memo.get(key)
        except TypeError:  # a value that cannot be a key: decide, don't keep
            decision = _decide(p, values, as_of)
        else:
            if decision is None:
                decision = _decide(p, values, as_of)
                if len(p.memo) < _MEMO_LIMIT:
                    p.memo[key] = decision
        outcome, actual, required, short, total, derivation, reason, named = decision
        if len(named) == 1:
            try:
                used: tuple[str, ...] = (cells[named[0]],)
            except KeyError:
                used = ("",)
        else:
            used = tuple([cells.get(f, "") for f in named])
        findings.append(
            Finding(rid, outcome, actual, required, short, total, derivation, reason, used, notes)
        )
    return RecordResult(record, tuple(findings))


def _cell_columns(cells: Sequence[Mapping[str, str]]) -> Callable[[str], list[str]]:
    """A function giving every record's cell for one field, as ``cells.get(field_id, "")``."""
    first = cells[0]
    if type(first) is RowCells:
        prefixes = first.prefixes
        if set(map(type, cells)) == {RowCells} and all(
            map(prefixes.__eq__, map(attrgetter("prefixes"), cells))
        ):
            # The reader's records share one prefix map: "Sheet!E" + the row,
            # without a Python call per record.
            rows = list(map(str, map(attrgetter("row"), cells)))

            def shared(field_id: str) -> list[str]:
                prefix = prefixes.get(field_id)
                return [""] * len(rows) if prefix is None else list(map(prefix.__add__, rows))

            return shared

    def each(field_id: str) -> list[str]:
        return [c.get(field_id, "") for c in cells]

    return each


def _results(
    records: Sequence[Record],
    plans: Sequence[_Plan],
    lookups: tuple[Lookup, ...],
    as_of: dt.date | None,
    blocked: AbstractSet[str] = frozenset(),
) -> list[RecordResult]:
    """Evaluate every record, rule by rule over all of them: the same results as
    :func:`_evaluate` per record, with the per-record work done by C loops.

    A rule's distinct input values are decided once (as in :func:`_evaluate`),
    and each finding is put together from its decision and its cell. Records a
    reference table may fill, whose derived inputs differ from the first
    record's, or that lack a needed value go through :func:`_evaluate`.
    """
    n = len(records)
    notes_memo: dict[Any, list[tuple[str, ...]]] = {}
    if n < 32 or not plans:
        return [_evaluate(r, plans, lookups, as_of, notes_memo, blocked) for r in records]
    values = list(map(attrgetter("values"), records))
    cell_column = _cell_columns(list(map(attrgetter("cells"), records)))
    columns: dict[str, list[Any]] = {}
    kinds = set(map(type, values))
    plain = kinds == {dict}
    # The reader's records: one tuple of values per record over a shared field index.
    index = values[0].index if kinds == {RowValues} else None
    rows = (
        list(map(attrgetter("data"), values))
        if index is not None and all(map(index.__eq__, map(attrgetter("index"), values)))
        else None
    )

    def column(field_id: str) -> list[Any]:
        col = columns.get(field_id)
        if col is None:
            if rows is not None:
                at = index.get(field_id)  # type: ignore[union-attr]
                col = [None] * n if at is None else list(map(itemgetter(at), rows))
            elif plain:
                col = list(map(dict.get, values, repeat(field_id)))
            else:
                col = [v.get(field_id) for v in values]
            columns[field_id] = col
        return col

    # Records that take the per-record path.
    slow: set[int] = set()
    for lk in lookups:
        col = column(lk.field)
        if None in col:
            slow.update(i for i, v in enumerate(col) if v is None)
    for p in plans:
        if p.per_worker is not None:
            key = p.per_worker
            slow.update(i for i, v in enumerate(values) if isinstance(v.get(key), tuple))
    derived = records[0].derived
    slow.update(
        i for i, r in enumerate(records) if r.derived is not derived and r.derived != derived
    )
    all_notes = _notes(plans, (), derived) if derived else None

    by_rule: list[list[Finding]] = []
    for i, p in enumerate(plans):
        rid = p.rule.id
        notes = (all_notes[i] if all_notes is not None else ()) + p.static_notes
        kf = p.key_fields
        nf = len(p.fields)
        keys: list[tuple[Any, ...]] = list(zip(*map(column, kf), strict=True)) if kf else [()] * n
        try:
            distinct = set(keys)
        except TypeError:  # a value that cannot be a key: record by record
            return [_evaluate(r, plans, lookups, as_of, notes_memo, blocked) for r in records]
        # Per distinct key: the finding without its cells, or None to go record by record.
        heads: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        named_default = p.measure.fields
        odd: set[tuple[Any, ...]] = set()
        # A stand-in for findings made record by record below.
        stand_in = (rid, Outcome.UNKNOWN, None, None, None, None, "", "missing")
        for k in distinct:
            if None in k[:nf]:
                heads[k] = stand_in
                odd.add(k)
                continue
            decision = p.memo.get(k)
            if decision is None:
                decision = _decide(p, dict(zip(kf, k, strict=True)), as_of)
                if len(p.memo) < _MEMO_LIMIT:
                    p.memo[k] = decision
            heads[k] = (rid, *decision[:7])
            if decision[7] != named_default or len(named_default) != 1:
                odd.add(k)
        cell_col = cell_column(named_default[0]) if len(named_default) == 1 else [""] * n
        # Finding(*head, (cell,), notes, ()) for each record, in C loops.
        findings: list[Finding] = list(
            map(
                tuple.__new__,
                repeat(Finding),
                map(
                    add,
                    map(heads.__getitem__, keys),
                    zip(zip(cell_col), repeat(notes), repeat(())),
                ),
            )
        )
        if odd:
            slow.update(j for j, k in enumerate(keys) if k in odd)
        by_rule.append(findings)
    results = list(map(RecordResult, records, zip(*by_rule, strict=True)))
    for j in sorted(slow):
        results[j] = _evaluate(records[j], plans, lookups, as_of, notes_memo, blocked)
    return results


def iter_results(
    records: Iterable[Record],
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    *,
    as_of: dt.date | None = None,
    columns: AbstractSet[str] | None = None,
) -> Iterator[RecordResult]:
    """Evaluate records lazily, for streaming output. ``columns`` are the fields the
    sheet has a column for (they decide the stand-ins, as in :func:`evaluate`)."""
    plans = _plans(ruleset, rules if rules is not None else ruleset.rules, columns)
    lookups = tuple(ruleset.lookups.values())
    notes_memo: dict[Any, list[tuple[str, ...]]] = {}
    positive = positive_fields(rules if rules is not None else ruleset.rules)
    for record in records:
        data = screen(SheetData(NO_SOURCE, (record,)), positive)
        yield _evaluate(
            data.records[0],
            plans,
            lookups,
            as_of,
            notes_memo,
            problem_cells(data.problems),
        )


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
    data = screen(data, positive_fields(community))
    with gc_paused():
        results = tuple(
            _results(
                data.records,
                _plans(ruleset, community, frozenset(data.source.columns)),
                tuple(ruleset.lookups.values()),
                as_of,
                problem_cells(data.problems),
            )
        )
    groups: tuple[RecordResult, ...] = ()
    problems = data.problems
    if ruleset.checks and community:
        from compliance.consistency import review_results

        results, review = review_results(results, ruleset.checks)
        problems += review
    source = data.source
    zh, en = stand_in_notes(community, frozenset(source.columns))
    if zh:
        source = replace(source, notes_zh=(*source.notes_zh, *zh), notes_en=(*source.notes_en, *en))
    if len(community) < len(chosen):
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
