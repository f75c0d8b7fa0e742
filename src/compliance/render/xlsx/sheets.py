"""The four sheets of the xlsx report: summary, by region, findings and data problems."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from rich.cells import cell_len

from compliance import labels
from compliance._version import __version__
from compliance.labels import t
from compliance.render.shortfall import remediation
from compliance.render.summary import common
from compliance.render.xlsx import cells, office
from compliance.render.xlsx.charts import bar_chart
from compliance.render.xlsx.cover import cover
from compliance.render.xlsx.stream import Rows
from compliance.render.xlsx.tables import findings_sheet, problems_sheet
from compliance.render.xlsx.words import both, sheet_title
from compliance.results import Report
from compliance.summary import RegionSummary, Summary

if TYPE_CHECKING:
    from compliance.attestation import Attestation

#: The heading of the remediation block on the summary sheet.
REMEDIATION = ("整改建议", "What to do")

# The progress workbook takes its headers from here too.
__all__ = ["RegionSheet", "both", "build_workbook", "regions_sheet", "sheet_title", "summary_sheet"]


class RegionSheet:
    """The by-region sheet, and where its columns are (for the charts)."""

    def __init__(self, ws: Worksheet, first: int, last: int, label_col: int) -> None:
        self.ws = ws
        self.first = first
        self.last = last
        self.label_col = label_col
        self.columns: dict[str, int] = {}


def regions_sheet(wb: Workbook, summary: Summary, lang: str) -> RegionSheet:
    """One row per region and a total row: communities, compliance, and per standard
    the failing and unknown communities and the shortfall in its unit."""
    ws = wb.create_sheet(sheet_title("sheet_regions"))
    levels = summary.levels
    headers = [f"{t(lv.value, 'zh')}\n{t(lv.value, 'en')}" for lv in levels]
    combined = len(levels) > 1
    if combined:
        headers.append(both("region"))
    formats: list[str | None] = [None] * len(headers)
    base = len(headers)
    headers += [both(k) for k in ("communities", "compliant", "compliance_rate", "failing")]
    headers.append(both("unknown_col"))
    formats += [cells.COUNT, cells.COUNT, cells.PERCENT, cells.COUNT, cells.COUNT]
    columns = {"compliance_rate": base + 3}
    pending = common.any_pending(summary)
    if pending:
        headers.append(both("not_yet_due_col"))
        formats.append(cells.COUNT)
    per_rule = [("failing", cells.COUNT), ("fail_share", cells.PERCENT)]
    if pending:
        per_rule.append(("not_yet_due_col", cells.COUNT))
    per_rule.append(("unknown_col", cells.COUNT))
    for rule in summary.rules:
        rt = summary.total.rule(rule.id)
        zh_unit, en_unit = labels.unit(rt.gap_unit, "zh"), labels.unit(rt.gap_unit, "en")
        for key, fmt in per_rule:
            headers.append(
                f"{rule.short_zh} {t(key, 'zh')}\n{rule.short('en')} {t(key, 'en').lower()}"
            )
            formats.append(fmt)
        headers.append(
            f"{rule.short_zh} {t('gap', 'zh')}（{zh_unit}）\n{rule.short('en')} shortfall ({en_unit})"
        )
        formats.append(cells.number_format(rt.gap_unit))
        columns[rule.id] = len(headers)
        if summary.cost is not None and rule.id == summary.cost.rule:
            headers.append(both("cost"))
            formats.append(cells.FORMATS["yuan"])
            columns["cost"] = len(headers)
    cells.header_row(ws, 1, headers)

    def values(region: RegionSummary) -> list[Any]:
        names = common.region_names(region, lang) if region.key else [t("total_row", lang)]
        names += [""] * (len(levels) - len(names))
        if combined:
            names.append(common.region_label(region, lang))
        row: list[Any] = [
            *names,
            region.communities,
            region.compliant,
            region.compliant_share,
            region.failing,
            region.unknown,
            *([region.pending] if pending else []),
        ]
        for rt in region.rules:
            row += [rt.failed, rt.fail_share, *([rt.not_yet_due] if pending else [])]
            row += [rt.unknown, round(rt.gap, 2)]
            if summary.cost is not None and rt.rule == summary.cost.rule:
                row.append(region.cost)
        return row

    r = 1
    for region in summary.regions:
        r += 1
        cells.put_row(ws, r, values(region), formats=formats)
    last = r
    r += 1
    cells.put_row(ws, r, values(summary.total), formats=formats)
    cells.finish_table(
        ws, 1, last, len(headers), freeze_columns=base, total_row=r if summary.regions else None
    )
    cells.fit_columns(ws, minimum=10, maximum=24)
    cells.print_table(ws, title_columns=base)
    sheet = RegionSheet(ws, 2, last, base if combined else len(levels))
    sheet.columns = columns
    return sheet


def summary_sheet(
    wb: Workbook,
    summary: Summary,
    report: Report,
    regions: RegionSheet,
    lang: str,
    attestation: Attestation | None = None,
) -> Worksheet:
    """Title, banner and cover block, shortfall per standard, notes, the verdicts,
    duplicates and coverage, and the two charts by region."""
    ws = wb.active
    ws.title = sheet_title("sheet_summary")
    row = cover(ws, summary, report, lang, attestation) + 2
    cells.put(ws, row, 1, t("by_rule_title", lang), font=cells.SECTION_FONT)
    row += 1
    table_header = row
    pending = common.any_pending(summary)
    keys = ["rule", "communities", "failing", "fail_share", "unknown_col", "gap", "unit"]
    formats: list[str | None] = [None, cells.COUNT, cells.COUNT, cells.PERCENT, cells.COUNT]
    if pending:
        keys.insert(4, "not_yet_due_col")
        formats.append(cells.COUNT)
    gap_col = keys.index("gap") + 1
    cells.header_row(ws, row, [both(k) for k in keys])
    for rt in summary.total.rules:
        row += 1
        values: list[Any] = [
            common.rule_name(summary, rt.rule, lang),
            rt.communities,
            rt.failed,
            rt.fail_share,
            *([rt.not_yet_due] if pending else []),
            rt.unknown,
            round(rt.gap, 2),
            labels.unit(rt.gap_unit, lang),
        ]
        cells.put_row(ws, row, values, formats=[*formats, cells.number_format(rt.gap_unit), None])
        ws.cell(row=row, column=1).alignment = cells.WRAP
    row += 1
    total = summary.total
    cells.put_row(
        ws,
        row,
        [t("compliant", lang), total.communities, total.compliant, total.compliant_share],
        formats=[None, cells.COUNT, cells.COUNT, cells.PERCENT],
        font=cells.TOTAL_FONT,
    )
    for col in range(1, len(keys) + 1):
        ws.cell(row=row, column=col).border = cells.TOTAL_BORDER
    if summary.cost is not None and total.cost is not None:
        row += 1
        cells.put(ws, row, 1, t("cost", lang), font=cells.TOTAL_FONT)
        cells.put(ws, row, gap_col, total.cost, fmt=cells.FORMATS["yuan"], font=cells.TOTAL_FONT)
        cells.put(ws, row, gap_col + 1, labels.unit("yuan", lang))
    row += 1
    for note in common.notes(summary, report, lang):
        row += 1
        cells.put(ws, row, 1, note)
    row = _remediation(ws, summary, lang, row, last_col=len(keys))
    row = office.sections(ws, report, lang, row, last_col=len(keys))
    titles = [cell_len(common.rule_name(summary, r.id, lang)) for r in summary.rules]
    ws.column_dimensions["A"].width = min(72, max(30, *titles) + 2)
    widths = [14, 12, 16, *([12] if pending else []), 12, 16, 10]
    for col, width in enumerate(widths, 2):
        ws.column_dimensions[get_column_letter(col)].width = width
    cells.fit_header_height(ws, table_header)
    row += 2
    # Charts start on a new printed page rather than split across two.
    ws.row_breaks.append(Break(id=row - 1))
    _charts(ws, summary, regions, lang, row)
    cells.print_wide(ws)
    return ws


def _remediation(ws: Worksheet, summary: Summary, lang: str, row: int, *, last_col: int) -> int:
    """What an office does about each standard that some community falls short of."""
    short = [r for r in summary.rules if summary.total.rule(r.id).short and remediation(r, lang)]
    if not short:
        return row
    row += 2
    cells.put(ws, row, 1, REMEDIATION[0 if lang == "zh" else 1], font=cells.SECTION_FONT)
    for rule in short:
        row += 1
        cells.put(ws, row, 1, rule.short(lang), font=cells.LABEL_FONT, align=cells.WRAP)
        text = remediation(rule, lang)
        cells.put(ws, row, 2, text, align=cells.WRAP)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=last_col)
        ws.row_dimensions[row].height = 15 * (cell_len(text) // 90 + 1) + 4
    return row


def _charts(ws: Worksheet, summary: Summary, regions: RegionSheet, lang: str, row: int) -> None:
    """Compliance rate and the headline gap by region, as native bar charts."""
    if not summary.regions or summary.by is None:
        return
    level = common.level_name(summary.by, lang)
    rate = bar_chart(
        t("chart_compliance", lang, level=level),
        regions.ws,
        value_column=regions.columns["compliance_rate"],
        category_column=regions.label_col,
        header_row=1,
        first_row=regions.first,
        last_row=regions.last,
        number_format="0%",
        percent=True,
    )
    ws.add_chart(rate, f"A{row}")
    rid = summary.headline_rule
    if rid is None:
        return
    rt = summary.total.rule(rid)
    gap = bar_chart(
        t(
            "chart_gap",
            lang,
            level=level,
            rule=summary.rule(rid).short(lang),
            unit=labels.unit(rt.gap_unit, lang),
        ),
        regions.ws,
        value_column=regions.columns[rid],
        category_column=regions.label_col,
        header_row=1,
        first_row=regions.first,
        last_row=regions.last,
        number_format="#,##0",
    )
    # Stacked, so that the sheet prints one page wide; a default row is about 0.53 cm.
    ws.add_chart(gap, f"A{row + math.ceil(rate.height / 0.53) + 2}")


def build_workbook(
    summary: Summary, report: Report, lang: str, attestation: Attestation | None = None
) -> tuple[Workbook, list[Rows]]:
    """The whole report as an openpyxl workbook, and the rows of its long sheets, which
    :func:`compliance.render.xlsx.splice.save` writes into it."""
    wb = Workbook()
    regions = regions_sheet(wb, summary, lang)
    summary_sheet(wb, summary, report, regions, lang, attestation)
    streams = [findings_sheet(wb, report, lang), problems_sheet(wb, report, lang)]
    wb.properties.creator = f"compliance {__version__}"
    wb.properties.title = t("summary_heading", lang, ruleset=report.ruleset.title(lang))
    return wb, streams
