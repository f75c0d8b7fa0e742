"""Writing cells safely, and the number formats and styles the report uses.

Every value goes through :func:`put`: text is stored as a string cell (never a
formula, whatever it starts with), characters xlsx cannot hold are replaced,
and formula-like text also gets Excel's quote prefix so that editing the cell
later does not turn it into a formula either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from rich.cells import cell_len

from compliance.render.safety import is_formula_like, printable

#: Number formats by unit: m² to two decimals, money and people whole, shares in percent.
FORMATS: dict[str, str] = {
    "m2": "#,##0.00",
    "yuan": "#,##0",
    "yuan/worker": "#,##0",
    "yuan/month": "#,##0",
    "workers": "#,##0",
    "households": "#,##0",
}
COUNT = "#,##0"
PERCENT = "0.0%"
AMOUNT = "#,##0.##"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)
LABEL_FONT = Font(bold=True, color="404040")
WARNING_FONT = Font(bold=True, color="9C5700")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
WRAP = Alignment(wrap_text=True, vertical="top")
_THIN = Side(style="thin", color="A6A6A6")
HEADER_BORDER = Border(bottom=_THIN)
TOTAL_BORDER = Border(top=_THIN)

#: Conditional fills, as Excel's own "good", "bad" and "neutral" cell styles.
PASS_FILL = PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE")
FAIL_FILL = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
UNKNOWN_FILL = PatternFill("solid", fgColor="FFEB9C", bgColor="FFEB9C")
PASS_FONT = Font(color="006100")
FAIL_FONT = Font(color="9C0006")
UNKNOWN_FONT = Font(color="9C5700")


def number_format(unit: str | None) -> str:
    return FORMATS.get(unit or "", AMOUNT)


def put(
    ws: Worksheet,
    row: int,
    col: int,
    value: Any,
    *,
    fmt: str | None = None,
    font: Font | None = None,
    align: Alignment | None = None,
) -> Any:
    """Write one cell; text is always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = printable(value)
        cell.value = text
        # openpyxl reads a leading "=" as a formula; store it as a string instead.
        cell.data_type = "s"
        if is_formula_like(text):
            cell.quotePrefix = True
    elif isinstance(value, bool) or value is None or isinstance(value, int | float | dt.date):
        cell.value = value
    else:
        cell.value = printable(str(value))
        cell.data_type = "s"
    if fmt is not None:
        cell.number_format = fmt
    if font is not None:
        cell.font = font
    if align is not None:
        cell.alignment = align
    return cell


def put_row(
    ws: Worksheet,
    row: int,
    values: Sequence[Any],
    *,
    formats: Sequence[str | None] | None = None,
    font: Font | None = None,
    start: int = 1,
) -> None:
    """Write a row of values, each with its number format (None for General)."""
    for i, value in enumerate(values):
        fmt = formats[i] if formats is not None and i < len(formats) else None
        put(ws, row, start + i, value, fmt=fmt, font=font)


def header_row(ws: Worksheet, row: int, headers: Sequence[str], *, start: int = 1) -> None:
    """Bold, shaded, wrapped header cells (bilingual headers have two lines)."""
    for i, text in enumerate(headers):
        cell = put(ws, row, start + i, text, font=HEADER_FONT, align=HEADER_ALIGN)
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER


def finish_table(
    ws: Worksheet,
    header: int,
    last: int,
    columns: int,
    *,
    freeze_columns: int = 0,
    total_row: int | None = None,
) -> None:
    """Freeze the header (and the first ``freeze_columns`` columns), filter the data rows
    and set the total row apart. The autofilter leaves the total row out so that
    sorting keeps it last."""
    ws.freeze_panes = ws.cell(row=header + 1, column=freeze_columns + 1)
    if last > header:
        ws.auto_filter.ref = f"A{header}:{get_column_letter(columns)}{last}"
    if total_row is not None:
        for col in range(1, columns + 1):
            cell = ws.cell(row=total_row, column=col)
            cell.font = TOTAL_FONT
            cell.border = TOTAL_BORDER


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    if isinstance(value, int):
        return len(f"{value:,}")
    return max(cell_len(line) for line in str(value).split("\n"))


def fit_columns(
    ws: Worksheet,
    *,
    header_row: int | None = 1,
    first_row: int = 1,
    minimum: int = 6,
    maximum: int = 40,
    widths: Mapping[int, int] | None = None,
) -> None:
    """Column widths from the widest value (CJK characters count double), within bounds.

    The header row's text may wrap, but never inside a word; its height then
    grows to show every line. ``widths`` adds the widest value per column of rows
    not in the sheet (those written by :mod:`compliance.render.xlsx.stream`).
    """
    widths = dict(widths or {})
    words: dict[int, int] = {}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value is None or not isinstance(cell.column, int):
                continue
            if cell.row == header_row:
                longest = max(cell_len(w) for w in str(cell.value).split() or [""])
                words[cell.column] = max(words.get(cell.column, 0), longest)
            else:
                widths[cell.column] = max(widths.get(cell.column, 0), _width(cell.value))
    for col in set(widths) | set(words):
        width = max(widths.get(col, 0), words.get(col, 0)) + 2
        ws.column_dimensions[get_column_letter(col)].width = max(minimum, min(maximum, width))
    if header_row is not None:
        fit_header_height(ws, header_row)


def fit_header_height(ws: Worksheet, row: int) -> None:
    """Make a header row tall enough for its wrapped lines at the current column widths."""
    lines = 1
    for cell in ws[row]:
        if cell.value is None or not isinstance(cell.column, int):
            continue
        width = (ws.column_dimensions[get_column_letter(cell.column)].width or 8.43) - 1
        count = sum(
            max(1, -(-cell_len(line) // int(width))) for line in str(cell.value).split("\n")
        )
        lines = max(lines, count)
    ws.row_dimensions[row].height = 15 * lines + 4


def print_wide(ws: Worksheet) -> None:
    """Print landscape on A4, one page wide (for the summary sheet)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def print_table(ws: Worksheet, header_rows: int = 1, title_columns: int = 1) -> None:
    """Print landscape on A4 across as many pages as it takes, repeating the header
    rows and the name columns on every page (for wide tables)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = f"1:{header_rows}"
    if title_columns:
        ws.print_title_cols = f"A:{get_column_letter(title_columns)}"
