"""Progress as a workbook: a progress sheet with a chart of closed share against the
target by region, and a sheet with every community's change.

Built from the report workbook's helpers (:mod:`compliance.render.xlsx.cells`),
so that the two look alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, BinaryIO

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import CellIsRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from compliance import labels
from compliance._version import __version__
from compliance.labels import t
from compliance.render.progress import common, standards
from compliance.render.xlsx import cells
from compliance.render.xlsx.sheets import both, sheet_title

if TYPE_CHECKING:
    from compliance.progress import Progress
    from compliance.render import RenderOptions

_FORMATS = {"count": cells.COUNT, "gap": "#,##0.00", "share": cells.PERCENT}


def _cover(ws: Worksheet, progress: Progress, lang: str) -> int:
    cells.put(ws, 1, 1, common.title(progress, lang), font=cells.TITLE_FONT)
    rs = progress.current.ruleset
    lines = [
        (both("cover_ruleset"), f"{rs.title(lang)} · {rs.id} {rs.version}"),
        (both("pg_baseline"), "\n".join(c.source.path for c in progress.baseline.checks)),
        (both("pg_current"), "\n".join(c.source.path for c in progress.current.checks)),
        (both("pg_target_col"), common.target_line(progress, lang)),
        (both("cover_run"), progress.current.started_at.strftime("%Y-%m-%d %H:%M UTC")),
        (both("cover_tool"), f"compliance {__version__}"),
    ]
    row = 2
    for label, value in lines:
        row += 1
        cells.put(ws, row, 1, label, font=cells.LABEL_FONT, align=cells.WRAP)
        cells.put(ws, row, 2, value, align=cells.WRAP)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=9)
        ws.row_dimensions[row].height = 15 * (max(label.count("\n"), value.count("\n")) + 1) + 2
    return row + 2


def _table(ws: Worksheet, progress: Progress, lang: str, top: int) -> tuple[int, int, int]:
    """The region table; returns (header row, last region row, total row)."""
    heads = common.headers(progress, lang)
    width = len(heads) - len(common.COLUMNS)
    cells.header_row(ws, top, heads)
    row = top
    kinds = [k for _, k in common.COLUMNS]
    for region in common.rows(progress):
        row += 1
        values: list[Any] = list(common.names(progress, region, lang))
        for kind, v in zip(kinds, common.values(region), strict=True):
            values.append(common.met_mark(v) if kind == "met" else v)
        formats = [None] * width + [_FORMATS.get(k) for k in kinds]
        cells.put_row(ws, row, values, formats=formats)
    total = row
    last = total - 1
    cells.finish_table(ws, top, last, len(heads), freeze_columns=width, total_row=total)
    # Green ✓ and red ✗ in the met column.
    met_col = get_column_letter(width + [k for k, _ in common.COLUMNS].index("pg_met") + 1)
    ref = f"{met_col}{top + 1}:{met_col}{total}"
    ws.conditional_formatting.add(
        ref,
        CellIsRule(operator="equal", formula=['"✓"'], fill=cells.PASS_FILL, font=cells.PASS_FONT),
    )
    ws.conditional_formatting.add(
        ref,
        CellIsRule(operator="equal", formula=['"✗"'], fill=cells.FAIL_FILL, font=cells.FAIL_FONT),
    )
    return top, last, total


def _chart(ws: Worksheet, progress: Progress, lang: str, top: int, last: int) -> BarChart:
    """Closed share and target per region, side by side."""
    width = len(common.headers(progress, lang)) - len(common.COLUMNS)
    keys = [k for k, _ in common.COLUMNS]
    share_col = width + keys.index("pg_closed_share") + 1
    target_col = width + keys.index("pg_target_col") + 1
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.style = 10
    level = progress.by.value if progress.by else "region"
    chart.title = t(
        "pg_chart", lang, level=t(level, lang) if lang == "zh" else t(level, lang).lower()
    )
    for col in (share_col, target_col):
        chart.add_data(
            Reference(ws, min_col=col, min_row=top, max_row=max(last, top + 1)),
            titles_from_data=True,
        )
    chart.set_categories(Reference(ws, min_col=width, min_row=top + 1, max_row=max(last, top + 1)))
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.numFmt = "0%"
    chart.y_axis.majorGridlines = None
    shares = [r.closed_share for r in progress.regions if r.closed_share is not None]
    if not shares or min(shares) >= 0:
        chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = max(1.0, *shares) if shares else 1.0
    data_labels = DataLabelList()
    data_labels.showVal = True
    data_labels.showSerName = False
    data_labels.showCatName = False
    data_labels.showLegendKey = False
    data_labels.showPercent = False
    data_labels.numFmt = "0%"
    chart.series[0].dLbls = data_labels
    chart.legend.position = "b"
    chart.width = max(16.0, 2.2 * len(progress.regions) + 6)
    chart.height = 9
    return chart


def _changes(wb: Workbook, progress: Progress, lang: str) -> None:
    ws = wb.create_sheet(sheet_title("pg_sheet_changes"))
    u = labels.unit(progress.rule.unit, lang)
    region_heads = [t(lv.value, lang) for lv in progress.levels]
    heads = [
        *region_heads,
        labels.field_label("id", lang),
        labels.field_label("name", lang),
        t("pg_change", lang),
        t("pg_matched_by", lang),
        f"{t('pg_baseline_gap', lang)} ({u})",
        f"{t('pg_current_gap', lang)} ({u})",
        f"{t('pg_baseline', lang)} {t('row', lang)}",
        f"{t('pg_current', lang)} {t('row', lang)}",
    ]
    cells.header_row(ws, 1, heads)
    row = 1
    for c in progress.changes:
        row += 1
        how = {"id": t("pg_by_id", lang), "name": t("pg_by_name", lang)}.get(c.matched_by, "")
        values = [
            *c.region,
            c.id,
            c.name,
            common.change_label(c.change, lang),
            how,
            c.baseline_gap,
            c.current_gap,
            c.baseline.ref if c.baseline else "",
            c.current.ref if c.current else "",
        ]
        n = len(region_heads)
        formats = [None] * (n + 4) + ["#,##0.00", "#,##0.00", None, None]
        cells.put_row(ws, row, values, formats=formats)
    cells.finish_table(ws, 1, row, len(heads), freeze_columns=len(region_heads) + 2)
    cells.fit_columns(ws)


def _standards(wb: Workbook, progress: Progress, lang: str) -> None:
    """The by-standard counts, then one row per matched community and standard."""
    ws = wb.create_sheet(standards.both("sheet_standards"))
    heads = standards.headers(lang)
    cells.header_row(ws, 1, heads)
    row = 1
    for values in standards.rows(progress, lang):
        row += 1
        cells.put_row(ws, row, values, formats=[None] + [cells.COUNT] * (len(heads) - 1))
    row += 2
    top = row
    heads = standards.community_headers(progress, lang)
    cells.header_row(ws, top, heads)
    for values in standards.community_rows(progress, lang):
        row += 1
        cells.put_row(ws, row, values, formats=[None] * (len(heads) - 2) + ["#,##0.00"] * 2)
    cells.finish_table(ws, top, row, len(heads), freeze_columns=0)
    cells.fit_columns(ws)


def _swings(wb: Workbook, progress: Progress, lang: str) -> None:
    ws = wb.create_sheet(standards.both("sheet_swings"))
    cells.put(ws, 1, 1, standards.swing_note(progress, lang))
    heads = [
        standards.text("field", lang),
        f"{t('pg_baseline', lang)} {standards.text('cells', lang)}",
        f"{t('pg_current', lang)} {standards.text('cells', lang)}",
        standards.text("message", lang),
    ]
    cells.header_row(ws, 3, heads)
    row = 3
    for p in progress.swings:
        row += 1
        values = [labels.field_label(p.field or "", lang), p.cells[0], p.cells[1], p.message(lang)]
        cells.put_row(ws, row, values)
    cells.finish_table(ws, 3, row, len(heads), freeze_columns=0)
    cells.fit_columns(ws, header_row=3, first_row=3)


def build_workbook(progress: Progress, lang: str) -> Workbook:
    """The progress workbook: progress by region with its chart, and every community's change."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title("pg_sheet_progress")
    top = _cover(ws, progress, lang)
    header, last, total = _table(ws, progress, lang, top)
    # Widths from the table alone: the long note lines below may run across columns.
    cells.fit_columns(ws, header_row=header, first_row=header)
    # Room for the bilingual cover labels in column A.
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 16)
    row = total + 2
    for line in common.notes(progress, lang) + common.listed(progress, lang):
        cells.put(ws, row, 1, line)
        row += 1
    if progress.regions:
        ws.add_chart(_chart(ws, progress, lang, header, last), f"A{row + 1}")
    cells.print_wide(ws)
    _changes(wb, progress, lang)
    _standards(wb, progress, lang)
    _swings(wb, progress, lang)
    wb.active = 0
    return wb


def render(progress: Progress, options: RenderOptions, out: BinaryIO) -> None:
    build_workbook(progress, options.lang).save(out)
