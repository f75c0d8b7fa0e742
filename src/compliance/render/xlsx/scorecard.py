"""The scorecard sheet that leads an annotated workbook: what was checked against
what, the outcomes per standard, and what an office does about each shortfall."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, PatternFill
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from rich.cells import cell_len

from compliance import labels
from compliance._version import __version__
from compliance.dates import local_time
from compliance.labels import t
from compliance.model import Outcome
from compliance.render.common import shortfall_totals
from compliance.render.shortfall import remediation
from compliance.render.xlsx import cells
from compliance.results import CheckResult, Report

_TEXT = {
    "title": ("{ruleset}：核查结果", "{ruleset}: check results"),
    "sheet": ("核查结果", "Check results"),
    "legend": ("标注说明", "Marks"),
    "legend_fail": (
        "红色：未达标，批注写明缺口和要求",
        "red: falls short; the comment gives the shortfall and what is required",
    ),
    "legend_unknown": (
        "黄色：无法判断（缺数据或无法读取），批注写明原因",
        "yellow: unknown (data missing or unreadable); the comment says why",
    ),
    "legend_other": ("灰色：已豁免或未到期限", "grey: waived, or not yet due"),
    "legend_column": (
        "核查结果列为每行的结果（合计/小计行已与所含社区之和核对）；"
        "其后的“说明”列供填报单位对提示性审核项逐行说明",
        "The check result column gives each row's result (subtotal rows are checked against "
        "the sum of their communities); the 说明 column beside it is for the district's "
        "explanation of each advisory item",
    ),
    "remediation": ("整改建议", "What to do"),
    "sha256": ("输入文件 SHA-256", "Input SHA-256"),
    "ruleset_sha": ("规则集 SHA-256", "Rule-set SHA-256"),
}

#: The remediation column's width, and the terminal cells (a Chinese character is
#: two) a printed line of it holds; likewise the standard's title in column A.
_FIX_WIDTH = 70
_FIX_CELLS = 66
_TITLE_CELLS = 42
_TOP = Alignment(vertical="top")

#: Fills for the outcomes that are shortfalls but not failures.
OTHER_FILL = PatternFill("solid", fgColor="E7E6E6", bgColor="E7E6E6")


def text(key: str, lang: str, **kwargs: object) -> str:
    zh, en = _TEXT[key]
    out = zh if lang == "zh" else en
    return out.format(**kwargs) if kwargs else out


def scorecard_sheet(wb: Workbook, report: Report, check: CheckResult, lang: str) -> Worksheet:
    """Insert the scorecard as the first sheet and make it the active one."""
    ws = wb.create_sheet(text("sheet", lang), 0)
    wb.active = 0
    rs = report.ruleset
    cells.put(ws, 1, 1, text("title", lang, ruleset=rs.title(lang)), font=cells.TITLE_FONT)
    info: list[tuple[str, Any]] = [
        (t("cover_ruleset", lang), f"{rs.title(lang)} · {rs.label}"),
        (text("ruleset_sha", lang), rs.sha256),
        (t("cover_inputs", lang), Path(check.source.path).name),
        (text("sha256", lang), check.source.sha256),
        (t("cover_run", lang), local_time(report.started_at)),
        (t("cover_tool", lang), f"compliance {__version__}"),
    ]
    if report.as_of is not None:
        info.append((t("as_of", lang), report.as_of.isoformat()))
    info += [(p.label(lang), f"{p.value}: {p.note(lang)}") for p in rs.interpretations]
    row = 2
    for label, value in info:
        row += 1
        cells.put(ws, row, 1, label, font=cells.LABEL_FONT)
        cells.put(ws, row, 2, value, align=cells.WRAP)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=9)
    row += 2
    keys = ("pass", "fail", "unknown", "waived", "not_yet_due", "not_applicable")
    head = [t("rule", lang), *(t(k, lang) for k in keys), t("shortfall", lang)]
    head.append(text("remediation", lang))
    cells.header_row(ws, row, head)
    header = row
    gaps = shortfall_totals(report, [check.table])
    rules = {r.id: r for r in report.rules}
    for count in report.counts():
        row += 1
        rule = rules[count.rule]
        values: list[Any] = [
            rule.title(lang),
            count.passed,
            count.failed,
            count.unknown,
            count.waived,
            count.not_yet_due,
            count.not_applicable,
        ]
        cells.put_row(ws, row, values, formats=[None, *[cells.COUNT] * 6])
        ws.cell(row=row, column=1).alignment = cells.WRAP
        # The shortfall is a number, its unit in the number format: as text with its
        # unit it sat left-aligned against the count before it ("045 人").
        if rule.id in gaps:
            value, unit = gaps[rule.id]
            fmt = f'{cells.number_format(unit)}" {labels.unit(unit, lang)}"' if unit else None
            cells.put(ws, row, 8, value, fmt=fmt)
        fix = remediation(rule, lang)
        cells.put(ws, row, 9, fix, align=cells.WRAP)
        lines = max(cell_len(fix) // _FIX_CELLS + 1, cell_len(rule.title(lang)) // _TITLE_CELLS + 1)
        ws.row_dimensions[row].height = 14 * lines + 4
        for c in range(2, 9):  # the figures at the top, beside the first line of text
            ws.cell(row=row, column=c).alignment = _TOP
        if count.failed:
            ws.cell(row=row, column=3).fill = cells.FAIL_FILL
        if count.unknown:
            ws.cell(row=row, column=4).fill = cells.UNKNOWN_FILL
    row += 2
    cells.put(ws, row, 1, text("legend", lang), font=cells.SECTION_FONT)
    for key, fill in (
        ("legend_fail", cells.FAIL_FILL),
        ("legend_unknown", cells.UNKNOWN_FILL),
        ("legend_other", OTHER_FILL),
        ("legend_column", None),
    ):
        row += 1
        cell = cells.put(ws, row, 1, text(key, lang))
        if fill is not None:
            cell.fill = fill
    o = report.overall()
    row += 2
    cells.put(
        ws,
        row,
        1,
        t(
            "overall",
            lang,
            total=len(check.table),
            passed=o[Outcome.PASS],
            failed=o[Outcome.FAIL],
            unknown=o[Outcome.UNKNOWN],
        ),
        font=cells.TOTAL_FONT,
    )
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 12
    for col in "CDEFG":
        ws.column_dimensions[col].width = 11
    ws.column_dimensions["H"].width = 18
    ws.column_dimensions["I"].width = _FIX_WIDTH
    cells.fit_header_height(ws, header)
    cells.print_wide(ws)
    return ws
