"""What the table and Markdown reports both show: the cell marks, the order of
communities and the total shortfall per standard."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from compliance import labels
from compliance.model import Finding, Outcome, RecordResult
from compliance.results import Report

_ORDER = {Outcome.FAIL: 0, Outcome.UNKNOWN: 1, Outcome.PASS: 2}
_PLAIN = {Outcome.PASS: "✓", Outcome.UNKNOWN: "?", Outcome.NOT_APPLICABLE: "–", Outcome.WAIVED: "W"}
_WITH_GAP = {Outcome.FAIL: "✗", Outcome.NOT_YET_DUE: "⏳"}
#: The outcomes whose mark carries the shortfall.
GAP_OUTCOMES = frozenset(_WITH_GAP)


def mark(f: Finding | None) -> str:
    """✓, ✗ with the shortfall, ? for unknown, – for not applicable, ⏳ not yet due, W waived."""
    if f is None:
        return ""
    prefix = _WITH_GAP.get(f.outcome)
    if prefix is not None:
        return f"{prefix} {labels.number(f.shortfall)}"
    return _PLAIN[f.outcome]


def ordered(results: Sequence[RecordResult]) -> list[RecordResult]:
    """Failing communities first, then unknowns, then passes; input order within each."""
    return sorted(results, key=lambda rr: _ORDER[rr.worst])


def listed(report: Report, show_all: bool) -> list[RecordResult]:
    """The communities a report lists: all, or those that need attention."""
    rows = ordered(report.results)
    return rows if show_all else [rr for rr in rows if rr.needs_attention]


def caption(report: Report, shown: int, show_all: bool, lang: str) -> str:
    if show_all:
        return ""
    total = len(report.results)
    if shown:
        return labels.t("failing_only", lang, shown=shown, total=total)
    return labels.t("all_pass_rows", lang, total=total)


def shortfall_texts(report: Report, lang: str, results: Iterable[RecordResult]) -> dict[str, str]:
    """Per rule id, the total shortfall of its failures, with its unit.

    For a rule with a ``scale`` (pay) the scaled total is shown: a per-worker gap
    summed over communities means nothing, the yuan for all workers does.
    """
    totals: dict[str, float] = {}
    scaled: dict[str, float] = {}
    for rr in results:
        for f in rr.findings:
            if f.outcome is Outcome.FAIL and f.shortfall:
                totals[f.rule] = totals.get(f.rule, 0.0) + f.shortfall
                if f.total is not None:
                    scaled[f.rule] = scaled.get(f.rule, 0.0) + f.total
    out: dict[str, str] = {}
    for r in report.rules:
        if r.id in scaled:
            out[r.id] = labels.quantity(round(scaled[r.id], 2), r.total_unit, lang, total=True)
        elif r.id in totals:
            out[r.id] = labels.quantity(round(totals[r.id], 2), r.unit, lang, total=True)
    return out
