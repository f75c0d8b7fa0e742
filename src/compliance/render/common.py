"""What the table and Markdown reports both show: the cell marks, the order of
communities and the total shortfall per standard."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from compliance import labels

if TYPE_CHECKING:
    import polars as pl

from compliance.model import Finding, Outcome, RecordResult
from compliance.results import CheckResult, Report

_ORDER = {Outcome.FAIL: 0, Outcome.UNKNOWN: 1, Outcome.NOT_YET_DUE: 2, Outcome.PASS: 3}
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
    """The communities a report lists: all, or those that need attention, worst first."""
    return ordered(report.results) if show_all else worst_first(report, None)[0]


def caption(report: Report, shown: int, show_all: bool, lang: str) -> str:
    if show_all:
        return ""
    total = community_count(report)
    if shown:
        return labels.t("failing_only", lang, shown=shown, total=total)
    if not total:
        return no_communities(report, lang)
    return labels.t("all_pass_rows", lang, total=total)


def no_communities(report: Report, lang: str) -> str:
    """What a report says instead of "all 0 communities pass": nothing was checked."""
    return labels.t("no_communities_unreadable" if report.failures else "no_communities", lang)


def shortfall_totals(
    report: Report,
    checks: Iterable[CheckResult] | None = None,
    groups: Iterable[RecordResult] = (),
) -> dict[str, tuple[float, str | None]]:
    """Per rule id, the total shortfall of its failures (rounded to 2 places) and its
    unit: over the communities of ``checks`` (default: every check of the report)
    and the sub-district results ``groups``.

    For a rule with a ``scale`` (pay) the scaled total is given: a per-worker gap
    summed over communities means nothing, the yuan for all workers does.
    """
    totals: dict[str, float] = {}
    scaled: dict[str, float] = {}
    for c in report.checks if checks is None else checks:
        for rule, (short, total) in c.table.shortfalls().items():
            totals[rule] = totals.get(rule, 0.0) + short
            if total is not None:
                scaled[rule] = scaled.get(rule, 0.0) + total
    for rr in groups:
        for f in rr.findings:
            if f.outcome is Outcome.FAIL and f.shortfall:
                totals[f.rule] = totals.get(f.rule, 0.0) + f.shortfall
                if f.total is not None:
                    scaled[f.rule] = scaled.get(f.rule, 0.0) + f.total
    out: dict[str, tuple[float, str | None]] = {}
    for r in report.rules:
        if r.id in scaled:
            out[r.id] = (round(scaled[r.id], 2), r.total_unit)
        elif r.id in totals:
            out[r.id] = (round(totals[r.id], 2), r.unit)
    return out


def shortfall_texts(
    report: Report,
    lang: str,
    checks: Iterable[CheckResult] | None = None,
    groups: Iterable[RecordResult] = (),
) -> dict[str, str]:
    """:func:`shortfall_totals` in words, with the unit ("6,451.51 平方米")."""
    return {
        rule: labels.quantity(value, unit, lang, total=True)
        for rule, (value, unit) in shortfall_totals(report, checks, groups).items()
    }


def community_count(report: Report) -> int:
    """How many communities the report's checks hold."""
    return sum(len(c.table) for c in report.checks)


def _attention(report: Report) -> pl.DataFrame:
    """Every community of the report that needs attention: ``_check`` (its check's
    position), ``_rec``, ``fails`` and ``unknowns``."""
    import polars as pl

    parts = [
        c.table.attention().with_columns(pl.lit(i, dtype=pl.UInt32).alias("_check"))
        for i, c in enumerate(report.checks)
    ]
    schema = {"_rec": pl.UInt32, "fails": pl.UInt32, "unknowns": pl.UInt32, "_check": pl.UInt32}
    if not parts:
        return pl.DataFrame(schema=schema)
    return pl.concat([p.cast(schema) for p in parts])  # type: ignore[arg-type]


def chosen_results(report: Report, chosen: pl.DataFrame) -> list[RecordResult]:
    """The chosen (``_check``, ``_rec``) rows as record results, in their order,
    made for those rows only."""
    keys = list(zip(chosen["_check"].to_list(), chosen["_rec"].to_list(), strict=True))
    wanted: dict[int, list[int]] = {}
    for ci, rec in keys:
        wanted.setdefault(ci, []).append(rec)
    made = {
        (ci, rec): rr
        for ci, recs in wanted.items()
        for rec, rr in zip(recs, report.checks[ci].table.results_for(recs), strict=True)
    }
    return [made[k] for k in keys]


def worst_first(report: Report, limit: int | None) -> tuple[list[RecordResult], int]:
    """The communities that need attention, the most failures first (then the most
    unknowns, then input order), up to ``limit``; and how many more there are."""
    frame = _attention(report).sort(
        ["fails", "unknowns", "_check", "_rec"], descending=[True, True, False, False]
    )
    if limit is not None and limit > 0 and frame.height > limit:
        return chosen_results(report, frame.head(limit)), frame.height - limit
    return chosen_results(report, frame), 0


def needing_attention(report: Report) -> list[RecordResult]:
    """The communities that need attention: failing first, then unknown, then the
    rest (waived or not yet due); input order within each (as :func:`ordered`)."""
    import polars as pl

    frame = _attention(report)
    rank = pl.when(pl.col("fails") > 0).then(0).when(pl.col("unknowns") > 0).then(1).otherwise(2)
    return chosen_results(report, frame.sort(rank, "_check", "_rec"))


def row_names(check: CheckResult) -> dict[int, str]:
    """Sheet row -> community name, for naming the rows of data problems."""
    records = check.table.records
    return {
        row: name or ""
        for row, name in zip(records["_row"].to_list(), records["name"].to_list(), strict=True)
    }
