"""Rows and wording shared by the progress renderers."""

from __future__ import annotations

from typing import Any

from compliance import labels
from compliance.labels import t
from compliance.progress import Change, Progress, RegionProgress

#: The figure columns of a region row, in order: (label key, kind).
#: kind: "count", "gap" (in the rule's unit), "share" or "met".
COLUMNS: tuple[tuple[str, str], ...] = (
    ("pg_matched", "count"),
    ("pg_baseline_gap", "gap"),
    ("pg_current_gap", "gap"),
    ("pg_closed", "gap"),
    ("pg_closed_share", "share"),
    ("pg_target_col", "share"),
    ("pg_met", "met"),
    ("pg_to_close", "gap"),
    ("pg_newly_compliant", "count"),
    ("pg_newly_failing", "count"),
    ("pg_still_failing", "count"),
    ("pg_appeared", "count"),
    ("pg_disappeared", "count"),
    ("pg_unknown", "count"),
)

#: Changes listed by name under the table (the others are counts only).
LISTED = (Change.NEWLY_FAILING, Change.APPEARED, Change.DISAPPEARED, Change.UNKNOWN)


def unit(progress: Progress, lang: str) -> str:
    return labels.unit(progress.rule.unit, lang)


def headers(progress: Progress, lang: str) -> list[str]:
    """Region-level names, then the figure columns (gap columns carry the unit)."""
    u = unit(progress, lang)
    names = [t(lv.value, lang) for lv in progress.levels] or [t("region", lang)]
    return names + [f"{t(k, lang)} ({u})" if kind == "gap" else t(k, lang) for k, kind in COLUMNS]


def values(region: RegionProgress) -> list[Any]:
    """The figures of one region row as numbers (shares 0..1, met True/False/None)."""
    return [
        region.matched,
        region.baseline_gap,
        region.current_gap,
        region.closed,
        region.closed_share,
        region.target,
        region.met,
        region.still_to_close,
        region.newly_compliant,
        region.newly_failing,
        region.still_failing,
        region.appeared,
        region.disappeared,
        region.unknown,
    ]


def names(progress: Progress, region: RegionProgress, lang: str) -> list[str]:
    """The region's names at each level, or "Total" for the total row."""
    width = max(len(progress.levels), 1)
    if not region.key:
        return [t("total_row", lang), *([""] * (width - 1))]
    return [k or t("not_given", lang) for k in region.key]


def met_mark(met: bool | None) -> str:
    return "–" if met is None else ("✓" if met else "✗")


def text_values(region: RegionProgress) -> list[str]:
    """The figures of a region row as people read them."""
    out: list[str] = []
    for (_, kind), v in zip(COLUMNS, values(region), strict=True):
        if kind == "share":
            out.append(labels.percent(v))
        elif kind == "met":
            out.append(met_mark(v))
        else:
            out.append(labels.number(round(v, 2)))
    return out


def rows(progress: Progress) -> list[RegionProgress]:
    """Every region, then the total."""
    return [*progress.regions, progress.total]


def title(progress: Progress, lang: str) -> str:
    return t("pg_title", lang, rule=progress.rule.title(lang))


def snapshots(progress: Progress, lang: str, *, names: bool = False) -> str:
    """The snapshots' inputs, by path (by file name with ``names``)."""

    def paths(report: Any) -> str:
        said = (
            c.source.path.replace("\\", "/").rsplit("/", 1)[-1] if names else c.source.path
            for c in report.checks
        )
        return ", ".join(said) or "–"

    return t(
        "pg_snapshots", lang, baseline=paths(progress.baseline), current=paths(progress.current)
    )


def target_line(progress: Progress, lang: str) -> str:
    if progress.target_parameter is None:
        source = t("pg_target_option", lang)
    else:
        source = t(
            "pg_target_param",
            lang,
            ruleset=progress.current.ruleset.label,
            parameter=progress.target_parameter,
        )
    return t(
        "pg_target",
        lang,
        share=labels.percent(progress.target),
        due=progress.due or "—",
        source=source,
    )


def verdict(region: RegionProgress, progress: Progress, lang: str) -> str:
    if region.met is None:
        return t("pg_met_none", lang)
    if region.met:
        return t("pg_met_yes", lang)
    gap = labels.number(round(region.still_to_close, 2))
    return t("pg_met_no", lang, gap=gap, unit=unit(progress, lang))


def total_line(progress: Progress, lang: str) -> str:
    """The totals in a sentence whose figures add up: the baseline gap, less what was
    closed, plus (gross) what the gaps that grew added, is the current gap."""
    tot = progress.total
    gross = tot.basis == "gross"
    grown = max(0.0, tot.closed_gross - tot.closed_net) if gross else 0.0
    return t(
        "pg_total_line_gross" if gross else "pg_total_line",
        lang,
        grown=labels.number(round(grown, 2)),
        baseline=labels.number(round(tot.baseline_gap, 2)),
        closed=labels.number(round(tot.closed, 2)),
        current=labels.number(round(tot.current_gap, 2)),
        share=labels.percent(tot.closed_share),
        target=labels.percent(tot.target),
        verdict=verdict(tot, progress, lang),
        unit=unit(progress, lang),
    )


def matching_line(progress: Progress, lang: str) -> str:
    tot = progress.total
    return t(
        "pg_matching",
        lang,
        by_id=progress.matched_by_id,
        by_name=progress.matched_by_name,
        appeared=tot.appeared,
        appeared_gap=labels.number(round(tot.appeared_gap, 2)),
        disappeared=tot.disappeared,
        disappeared_gap=labels.number(round(tot.disappeared_gap, 2)),
        unknown=tot.unknown,
        unit=unit(progress, lang),
    )


def notes(progress: Progress, lang: str) -> list[str]:
    """The lines under the table: total, matching, what the gap is, duplicates."""
    out = [total_line(progress, lang), matching_line(progress, lang), t("pg_gap_note", lang)]
    if progress.duplicates:
        out.append(t("pg_duplicates", lang, codes=", ".join(progress.duplicates)))
    if progress.current.ruleset.illustrative:
        out.append(t("illustrative", lang))
    return out


def change_label(change: Change, lang: str) -> str:
    return t(f"pg_{change.value}", lang)


def listed(progress: Progress, lang: str, limit: int = 20) -> list[str]:
    """One line per kind of change worth naming: newly failing, appeared, disappeared, unknown."""
    out = []
    for kind in LISTED:
        found = [c for c in progress.changes if c.change is kind]
        if not found:
            continue
        shown = [
            (f"{c.name}（{c.region[-1]}）" if lang == "zh" else f"{c.name} ({c.region[-1]})")
            if c.region and c.region[-1]
            else c.name
            for c in found
        ]
        text = "、".join(shown[:limit]) if lang == "zh" else ", ".join(shown[:limit])
        if len(found) > limit:
            text += f" … (+{len(found) - limit})"
        out.append(t("pg_list", lang, kind=change_label(kind, lang), n=len(found), names=text))
    return out
