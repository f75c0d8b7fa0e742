"""The summary as Markdown, for pasting into a written report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compliance import labels
from compliance.labels import t
from compliance.render.markdown import banner, cover, office, table
from compliance.render.safety import markdown_text
from compliance.render.summary import common
from compliance.summary import RegionSummary, RuleTotals, Summary, gap_shares

if TYPE_CHECKING:
    from typing import TextIO

    from compliance.render import RenderOptions
    from compliance.results import Report

#: Regions listed in the ranking.
TOP = 10


def by_rule(summary: Summary, lang: str) -> str:
    pending = common.any_pending(summary)
    keys = ["rule", "failing", "fail_share", "unknown_col", "gap"]
    if pending:
        keys.insert(3, "not_yet_due_col")
    rows = [
        [
            common.rule_name(summary, rt.rule, lang),
            str(rt.failed),
            labels.percent(rt.fail_share),
            *([str(rt.not_yet_due)] if pending else []),
            str(rt.unknown),
            common.gap_text(rt, lang),
        ]
        for rt in summary.total.rules
    ]
    return table([t(k, lang) for k in keys], rows, right=range(1, len(keys)))


def _rule_cell(rt: RuleTotals) -> str:
    """ "1,516.51 (19✗ 1?)": the gap, the failing, not-yet-due and unknown communities."""
    return f"{common.gap_number(rt) if rt.short else '–'} ({common.counts(rt)})"


def _region_row(summary: Summary, region: RegionSummary, lang: str) -> list[str]:
    names = (
        common.region_names(region, lang)
        if region.key
        else [t("total_row", lang), *([""] * (len(summary.levels) - 1))]
    )
    row = [
        *names,
        str(region.communities),
        str(region.compliant),
        labels.percent(region.compliant_share),
        str(region.unknown),
        *([str(region.pending)] if common.any_pending(summary) else []),
    ]
    for rt in region.rules:
        row.append(_rule_cell(rt))
        if summary.cost is not None and rt.rule == summary.cost.rule:
            row.append(labels.number(round(region.cost or 0)))
    return row


def by_region(summary: Summary, lang: str) -> str:
    headers = [common.level_header(lv, lang) for lv in summary.levels]
    headers += [t(k, lang) for k in ("communities", "compliant", "compliance_rate", "unknown_col")]
    if common.any_pending(summary):
        headers.append(t("not_yet_due_col", lang))
    for rule in summary.rules:
        headers.append(f"{rule.short(lang)} ({common.gap_unit(summary.total.rule(rule.id), lang)})")
        if summary.cost is not None and rule.id == summary.cost.rule:
            headers.append(t("cost", lang))
    rows = [_region_row(summary, r, lang) for r in (*summary.regions, summary.total)]
    first_number = len(summary.levels)
    return table(headers, rows, right=range(first_number, len(headers)))


def ranking(summary: Summary, lang: str) -> tuple[str, str] | None:
    """(title, table) of the regions with the largest headline gap."""
    rid = summary.headline_rule
    ranked = summary.ranking(top=TOP)
    if rid is None or not ranked or summary.by is None:
        return None
    name = common.in_sentence(common.rule_name(summary, rid, lang, short=True), lang)
    title = t("ranking_title", lang, rule=name, level=common.level_name(summary.by, lang))
    unit = common.gap_unit(summary.total.rule(rid), lang)
    headers = [
        t("rank", lang),
        t("region", lang),
        f"{t('gap', lang)} ({unit})",
        t("short_communities", lang),
        t("gap_share", lang),
    ]
    shares = gap_shares(summary)
    rows = [
        [
            str(i),
            common.region_label(r, lang),
            common.gap_number(r.rule(rid)),
            str(r.rule(rid).short),
            labels.percent(shares.get(r.key)),
        ]
        for i, r in enumerate(ranked, 1)
    ]
    return title, table(headers, rows, right=(0, 2, 3, 4))


def render(summary: Summary, report: Report, options: RenderOptions, out: TextIO) -> None:
    """Write the summary as Markdown."""
    lang = options.lang
    rs = report.ruleset
    heading = t("summary_heading", lang, ruleset=f"{rs.title(lang)} ({rs.label})")
    lines = [f"# {markdown_text(heading)}", "", *banner(report, lang)]
    lines += [*cover(report, lang, options.attestation), ""]
    lines += [f"## {t('by_rule_title', lang)}", "", by_rule(summary, lang)]
    lines += [markdown_text(common.compliant_line(summary.total, lang)), ""]
    if summary.regions:
        title = t("by_region_title", lang, level=common.level_name(summary.by, lang))
        lines += [f"## {title}", "", by_region(summary, lang)]
        lines += [markdown_text(t("summary_legend", lang)), ""]
    ranked = ranking(summary, lang)
    if ranked is not None:
        lines += [f"## {ranked[0]}", "", ranked[1]]
    lines += office(report, lang)
    lines += ["", f"## {t('notes', lang)}", ""]
    lines += [f"- {markdown_text(n)}" for n in common.notes(summary, report, lang)]
    if report.failures:
        lines += ["", f"## {t('unreadable', lang)}", ""]
        lines += [f"- {markdown_text(f.text(lang))}" for f in report.failures]
    out.write("\n".join(lines).rstrip("\n") + "\n")
