"""The by-region table (from :mod:`compliance.summary`), with a bar per row for the
compliance rate and the headline gap, and a bar chart of the largest gaps."""

from __future__ import annotations

from compliance import labels
from compliance.render.html import document
from compliance.render.html.svg import bar_chart, meter
from compliance.render.html.text import esc, h
from compliance.render.summary import common
from compliance.summary import RegionSummary, Summary

#: A chart of more bars than this shows the largest gaps only (the table has them all).
CHART_BARS = 25


def regions(summary: Summary, lang: str) -> str:
    """The by-region section; a line saying so when the data names no region."""
    by = summary.by

    def level(in_lang: str) -> str:
        return common.level_name(by, in_lang)

    if not summary.regions or summary.by is None:
        return document.titled(
            "regions", "regions", lang, f"<p>{h('no_regions', lang)}</p>", level=level
        )
    headline = summary.headline_rule
    gap_max = max((r.rule(headline).gap for r in summary.regions), default=0.0) if headline else 0.0
    head = [esc(t) for t in (common.level_header(summary.by, lang),)] + [
        h(k, lang)
        for k in ("communities", "compliant", "compliance_rate", "failing", "unknown_col")
    ]
    head += [esc(r.short(lang)) for r in summary.rules]
    if headline:
        rt = summary.total.rule(headline)
        head.append(
            f"{esc(summary.rule(headline).short(lang))} {h('gap', lang)}（{esc(common.gap_unit(rt, lang))}）"
        )
    numeric = range(1, len(head))
    body = [_row(r, summary, lang, gap_max) for r in summary.regions]
    body.append(_row(summary.total, summary, lang, gap_max, total=True))
    content = document.table(head, body, numeric=numeric, cls="tight") + _charts(summary, lang)
    return document.titled("regions", "regions", lang, content, level=level)


def _row(
    region: RegionSummary, summary: Summary, lang: str, gap_max: float, *, total: bool = False
) -> str:
    rate = region.compliant_share
    cells = [
        esc(common.region_label(region, lang) if region.key else labels.t("total_row", lang)),
        f"{region.communities:,}",
        f"{region.compliant:,}",
        f"{esc(labels.percent(rate))} {meter(rate, kind='rate', label=labels.percent(rate), width=48)}",
        f"{region.failing:,}",
        f"{region.unknown:,}",
    ]
    cells += [_failed(region, r.id) for r in summary.rules]
    headline = summary.headline_rule
    if headline:
        gap = region.rule(headline).gap
        bar = (
            ""
            if total
            else meter(
                gap / gap_max if gap_max else 0.0,
                kind="gap",
                label=labels.number(round(gap, 2)),
                width=60,
            )
        )
        cells.append(f"{esc(common.gap_number(region.rule(headline)))} {bar}")
    return document.row(cells, numeric=range(1, len(cells)), cls="total" if total else "")


def _failed(region: RegionSummary, rule_id: str) -> str:
    rt = region.rule(rule_id)
    return f'<span class="fail">{rt.failed:,}</span>' if rt.failed else '<span class="mut">0</span>'


def _charts(summary: Summary, lang: str) -> str:
    level = common.level_name(summary.by, lang)
    regions = summary.regions
    rate_items = [
        (common.region_label(r, lang), r.compliant_share or 0.0, labels.percent(r.compliant_share))
        for r in regions[:CHART_BARS]
    ]
    out = bar_chart(
        labels.t("chart_compliance", lang, level=level), rate_items, kind="rate", full=1.0
    )
    rid = summary.headline_rule
    if rid is None:
        return out
    rt = summary.total.rule(rid)
    ranked = summary.ranking(rid, top=CHART_BARS)
    gap_items = [
        (common.region_label(r, lang), r.rule(rid).gap, common.gap_number(r.rule(rid)))
        for r in ranked
    ]
    title = labels.t(
        "chart_gap",
        lang,
        level=level,
        rule=summary.rule(rid).short(lang),
        unit=common.gap_unit(rt, lang),
    )
    return out + bar_chart(title, gap_items, kind="gap")
