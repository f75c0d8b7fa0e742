"""The summary as CSV, UTF-8 with a BOM.

``wide`` (the default): one row per region and a total row, with a group of
columns per standard. ``long`` (for machines): one row per (region, standard).
Shares are percentages with one decimal (40.5), figures plain numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from compliance.labels import t
from compliance.render.csv import number, write_rows
from compliance.render.summary import common
from compliance.summary import RegionSummary, Summary

if TYPE_CHECKING:
    from typing import TextIO

    from compliance.render import RenderOptions
    from compliance.results import Report


def percent(x: float | None) -> float | str:
    return "" if x is None else round(x * 100, 1)


def header(summary: Summary, lang: str) -> list[str]:
    cols = [common.level_header(lv, lang) for lv in summary.levels]
    cols += [
        t("communities", lang),
        t("compliant", lang),
        f"{t('compliance_rate', lang)} (%)",
        t("failing", lang),
        t("unknown_col", lang),
    ]
    if common.any_pending(summary):
        cols.append(t("not_yet_due_col", lang))
    for rule in summary.rules:
        name = rule.short(lang)
        unit = common.gap_unit(summary.total.rule(rule.id), lang)
        cols += [f"{name} {t('failing', lang)}", f"{name} {t('fail_share', lang)} (%)"]
        if common.any_pending(summary):
            cols.append(f"{name} {t('not_yet_due_col', lang)}")
        cols += [f"{name} {t('unknown_col', lang)}", f"{name} {t('gap', lang)} ({unit})"]
    if summary.cost is not None:
        cols.append(t("cost", lang))
    return cols


def region_row(summary: Summary, region: RegionSummary, lang: str) -> list[Any]:
    names = (
        common.region_names(region, lang)
        if region.key
        else [t("total_row", lang), *([""] * (len(summary.levels) - 1))]
    )
    pending = common.any_pending(summary)
    row: list[Any] = [
        *names,
        region.communities,
        region.compliant,
        percent(region.compliant_share),
        region.failing,
        region.unknown,
        *([region.pending] if pending else []),
    ]
    for rt in region.rules:
        row += [rt.failed, percent(rt.fail_share)]
        if pending:
            row.append(rt.not_yet_due)
        row += [rt.unknown, number(round(rt.gap, 2))]
    if summary.cost is not None:
        row.append(number(round(region.cost or 0, 2)))
    return row


def long_header(summary: Summary, lang: str) -> list[str]:
    return [
        *(common.level_header(lv, lang) for lv in summary.levels),
        t("rule_id", lang),
        t("rule", lang),
        t("communities", lang),
        t("failing", lang),
        f"{t('fail_share', lang)} (%)",
        t("not_yet_due_col", lang),
        t("unknown_col", lang),
        t("gap", lang),
        t("unit", lang),
    ]


def long_rows(summary: Summary, region: RegionSummary, lang: str) -> Iterable[list[Any]]:
    names = (
        common.region_names(region, lang)
        if region.key
        else [t("total_row", lang), *([""] * (len(summary.levels) - 1))]
    )
    for rule, rt in zip(summary.rules, region.rules, strict=True):
        yield [
            *names,
            rule.id,
            rule.title(lang),
            region.communities,
            rt.failed,
            percent(rt.fail_share),
            rt.not_yet_due,
            rt.unknown,
            number(round(rt.gap, 2)),
            common.gap_unit(rt, lang),
        ]


def render(summary: Summary, report: Report, options: RenderOptions, out: TextIO) -> None:
    """Write the per-region table; the last row is the total."""
    lang = options.lang
    if options.csv_layout == "long":

        def long() -> Iterable[list[Any]]:
            yield long_header(summary, lang)
            for region in (*summary.regions, summary.total):
                yield from long_rows(summary, region, lang)

        write_rows(out, long())
        return

    def rows() -> Iterable[list[Any]]:
        yield header(summary, lang)
        for region in summary.regions:
            yield region_row(summary, region, lang)
        yield region_row(summary, summary.total, lang)

    write_rows(out, rows())
