"""What the table and Markdown reports both show: the cell marks, the order of
communities and the total shortfall per standard."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from compliance import labels
from compliance.render import rows
from compliance.results import CheckResult, Report

if TYPE_CHECKING:
    import polars as pl

    from compliance.findings import FindingsTable

_PLAIN = {"pass": "✓", "unknown": "?", "not_applicable": "–", "waived": "W"}
_WITH_GAP = {"fail": "✗", "not_yet_due": "⏳"}
#: The outcomes whose mark carries the shortfall.
GAP_OUTCOMES = frozenset(_WITH_GAP)


def mark(outcome: str | None, shortfall: float | None) -> str:
    """✓, ✗ with the shortfall, ? for unknown, – for not applicable, ⏳ not yet due, W
    waived ("" for no finding)."""
    if outcome is None:
        return ""
    prefix = _WITH_GAP.get(outcome)
    if prefix is not None:
        return f"{prefix} {labels.number(shortfall)}"
    return _PLAIN[outcome]


def marks_column(frame: pl.DataFrame, outcome: str, shortfall: str) -> pl.Expr:
    """:func:`mark` of each row of ``frame``'s columns ``outcome`` and ``shortfall``."""
    import polars as pl

    o = pl.col(outcome)
    number = pl.lit(rows.number_texts(frame[shortfall]))
    plain = o.replace_strict(_PLAIN, default="", return_dtype=pl.String)
    return (
        pl.when(o.is_null())
        .then(pl.lit(""))
        .when(o == "fail")
        .then(pl.lit("✗ ") + number)
        .when(o == "not_yet_due")
        .then(pl.lit("⏳ ") + number)
        .otherwise(plain)
    )


def listed(report: Report, show_all: bool) -> pl.DataFrame:
    """The communities a report lists (keys, see :mod:`compliance.render.rows`): all,
    failing first, or those that need attention, the most failures first."""
    parts = rows.communities(report)
    return rows.in_order(parts, worst_first=True) if show_all else worst_first(report, None)[0]


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
    report: Report, tables: Iterable[FindingsTable] | None = None
) -> dict[str, tuple[float, str | None]]:
    """Per rule id, the total shortfall of its failures (rounded to 2 places) and its
    unit, over ``tables`` (default: the communities of every check of the report).

    For a rule with a ``scale`` (pay) the scaled total is given: a per-worker gap
    summed over communities means nothing, the yuan for all workers does.
    """
    totals: dict[str, float] = {}
    scaled: dict[str, float] = {}
    for table in (c.table for c in report.checks) if tables is None else tables:
        for rule, (short, total) in table.shortfalls().items():
            totals[rule] = totals.get(rule, 0.0) + short
            if total is not None:
                scaled[rule] = scaled.get(rule, 0.0) + total
    out: dict[str, tuple[float, str | None]] = {}
    for r in report.rules:
        if r.id in scaled:
            out[r.id] = (round(scaled[r.id], 2), r.total_unit)
        elif r.id in totals:
            out[r.id] = (round(totals[r.id], 2), r.unit)
    return out


def shortfall_texts(
    report: Report, lang: str, tables: Iterable[FindingsTable] | None = None
) -> dict[str, str]:
    """:func:`shortfall_totals` in words, with the unit ("6,451.51 平方米")."""
    return {
        rule: labels.quantity(value, unit, lang, total=True)
        for rule, (value, unit) in shortfall_totals(report, tables).items()
    }


def group_tables(report: Report) -> list[FindingsTable]:
    """The sub-district tables of the report's checks."""
    return [p.table for p in rows.subdistricts(report)]


def community_count(report: Report) -> int:
    """How many communities the report's checks hold."""
    return sum(len(c.table) for c in report.checks)


def worst_first(report: Report, limit: int | None) -> tuple[pl.DataFrame, int]:
    """The communities that need attention (keys), the most failures first (then the
    most unknowns, then input order), up to ``limit``; and how many more there are."""
    frame = rows.attention(rows.communities(report)).sort(
        ["fails", "unknowns", "_part", "_rec"], descending=[True, True, False, False]
    )
    if limit is not None and limit > 0 and frame.height > limit:
        return frame.head(limit).select(list(rows.KEYS)), frame.height - limit
    return frame.select(list(rows.KEYS)), 0


def needing_attention(report: Report) -> pl.DataFrame:
    """The communities that need attention (keys): failing first, then unknown, then
    the rest (waived or not yet due); input order within each."""
    return attention_ordered(rows.communities(report))


def attention_ordered(parts: Sequence[rows.Part]) -> pl.DataFrame:
    """The rows of ``parts`` that need attention (keys): failing first, then unknown,
    then the rest (waived or not yet due); input order within each."""
    import polars as pl

    frame = rows.attention(parts)
    rank = pl.when(pl.col("fails") > 0).then(0).when(pl.col("unknowns") > 0).then(1).otherwise(2)
    return frame.sort(rank, "_part", "_rec").select(list(rows.KEYS))


def row_names(check: CheckResult) -> dict[int, str]:
    """Sheet row -> community name, for naming the rows of data problems."""
    records = check.table.records
    return {
        row: name or ""
        for row, name in zip(records["_row"].to_list(), records["name"].to_list(), strict=True)
    }
