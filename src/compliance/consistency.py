"""Run a rule set's consistency checks (审核) on evaluated records.

Each check of :mod:`compliance.rules.checks` is a formula between a record's
figures that should be true. A false one becomes a :class:`DataProblem` with
code ``review``, naming every cell the check reads, so every format that lists
data problems shows it, apart from the standards:

- an ``advisory`` check (提示性) only reports; it never changes an outcome or
  the exit code;
- a ``blocking`` check (强制性) also makes every community standard of that
  record ``unknown``, with the reason ``review:<check id>``: figures that
  contradict each other cannot vouch for a pass or a failure.

A check whose fields are not all present on the record (empty, unreadable or
not a column of the sheet) is not evaluated: missing data already makes the
standards that need it unknown, and a check says nothing about a column the
sheet does not have.

:func:`failed_checks` is a plain function of a record's values, so that an
engine working on columns can compute the same verdicts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import compress
from operator import itemgetter
from typing import Any

from compliance._perf import gc_paused
from compliance.model import DataProblem, Finding, Outcome, Record, RecordResult
from compliance.rules.checks import ConsistencyCheck
from compliance.rules.expressions import EvaluationError

__all__ = ["REVIEW", "failed_checks", "problem", "review_results"]

#: The DataProblem code of a failed consistency check.
REVIEW = "review"
#: The prefix of a finding's reason when a blocking check made it unknown.
REASON = "review:"

_LABELS = {
    ("blocking", "zh"): "强制性审核",
    ("advisory", "zh"): "提示性审核",
    ("blocking", "en"): "Blocking check",
    ("advisory", "en"): "Advisory check",
}


def verdict(check: ConsistencyCheck, values: Mapping[str, Any]) -> bool | None:
    """True when the check holds, False when it fails, None when a field it reads is
    missing or the expression cannot be computed (nothing to say)."""
    return _verdict(check, tuple(values.get(f) for f in check.expression.fields))


def failed_checks(
    values: Mapping[str, Any], checks: Sequence[ConsistencyCheck]
) -> tuple[ConsistencyCheck, ...]:
    """The checks a record's values fail, in rule-set order."""
    return tuple(c for c in checks if verdict(c, values) is False)


def problem(check: ConsistencyCheck, record: Record) -> DataProblem:
    """The data problem of one failed check on one record, naming its cells."""
    cells = tuple(dict.fromkeys(c for f in check.fields if (c := record.cells.get(f, ""))))
    values = record.values

    def text(lang: str) -> str:
        sep = "、" if lang == "zh" else ", "
        where = sep.join(cells)
        label = _LABELS[(check.severity, lang)]
        body = check.message(lang, values)
        if lang == "zh":
            return f"{label}“{check.title_zh}”未通过：{body}" + (f"（{where}）" if where else "")
        return f"{label} '{check.title_en}' failed: {body}" + (f" ({where})" if where else "")

    first = check.fields[0] if check.fields else None
    raw = values.get(first) if first else None
    return DataProblem(
        code=REVIEW,
        cell=cells[0] if cells else "",
        message_zh=text("zh"),
        message_en=text("en"),
        field=first,
        raw=None if raw is None else str(raw),
        row=record.row,
        severity=check.severity,
        check=check.id,
        cells=cells,
    )


def _blocked(
    rr: RecordResult, failed: Sequence[ConsistencyCheck], cells: tuple[str, ...]
) -> RecordResult:
    reason = REASON + ",".join(c.id for c in failed)
    findings = tuple(
        Finding(f.rule, Outcome.UNKNOWN, None, None, None, None, "", reason, cells, f.notes)
        for f in rr.findings
    )
    return RecordResult(rr.record, findings)


def _columns(records: Sequence[Record]) -> Callable[[str], list[Any]]:
    """A function giving one field's value for every record (None where absent)."""
    values = [r.values for r in records]
    first = values[0]
    index = getattr(first, "index", None)
    shared = (
        isinstance(index, Mapping)
        and all(type(v) is type(first) for v in values)
        and all(
            getattr(v, "index", None) is index or getattr(v, "index", None) == index for v in values
        )
    )
    cache: dict[str, list[Any]] = {}
    data = [v.data for v in values] if shared else []  # type: ignore[attr-defined]

    def column(field_id: str) -> list[Any]:
        col = cache.get(field_id)
        if col is None:
            if shared:
                # The reader's records: one tuple per record over a shared field index.
                at = index.get(field_id)  # type: ignore[union-attr]
                col = [None] * len(values) if at is None else list(map(itemgetter(at), data))
            else:
                col = [v.get(field_id) for v in values]
            cache[field_id] = col
        return col

    return column


def _failing(check: ConsistencyCheck, column: Callable[[str], list[Any]], n: int) -> list[int]:
    """The positions of the records that fail ``check``, judging each distinct set of
    values once (thousands of records share them)."""
    fields = check.expression.fields
    keys: list[tuple[Any, ...]] = (
        list(zip(*map(column, fields), strict=True)) if fields else [()] * n
    )
    try:
        distinct = set(keys)
    except TypeError:  # a value that cannot be a key
        return [i for i, k in enumerate(keys) if _verdict(check, k) is False]
    bad = {k for k in distinct if _verdict(check, k) is False}
    if not bad:
        return []
    return list(compress(range(n), map(bad.__contains__, keys)))


def _verdict(check: ConsistencyCheck, args: tuple[Any, ...]) -> bool | None:
    if None in args:
        return None
    try:
        return bool(check.expression.call(*args))
    except EvaluationError:
        return None


def review_results(
    results: Sequence[RecordResult], checks: Sequence[ConsistencyCheck]
) -> tuple[tuple[RecordResult, ...], tuple[DataProblem, ...]]:
    """Run ``checks`` on every record: the results (with blocked records' standards
    unknown) and one data problem per failed check, in record order.

    Works a check at a time over all records (as a columnar engine would): only
    records that fail a check cost anything per record.
    """
    if not checks or not results:
        return tuple(results), ()
    n = len(results)
    failed: dict[int, list[ConsistencyCheck]] = {}
    # Many short-lived tuples, none in a cycle: the collector would only slow this down.
    with gc_paused():
        column = _columns([rr.record for rr in results])
        for check in checks:
            for i in _failing(check, column, n):
                failed.setdefault(i, []).append(check)
    if not failed:
        return tuple(results), ()
    out = list(results)
    problems: list[DataProblem] = []
    for i in sorted(failed):
        rr = results[i]
        # In rule-set order, whatever order the checks were run in.
        found = [problem(c, rr.record) for c in failed[i]]
        problems += found
        blocking = [
            (c, p) for c, p in zip(failed[i], found, strict=True) if c.severity == "blocking"
        ]
        if blocking:
            cells = tuple(dict.fromkeys(cell for _, p in blocking for cell in p.cells))
            out[i] = _blocked(rr, [c for c, _ in blocking], cells)
    return tuple(out), tuple(problems)
