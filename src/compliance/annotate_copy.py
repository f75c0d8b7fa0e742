"""The copy of the user's workbook that ``compliance annotate`` marks, and how it prints.

An ``.xlsx`` or ``.xlsm`` is loaded as it is (values, formulas, layout, merges and
widths). An ``.xls``, ``.ods`` or ``.csv`` is rebuilt from its values with the
merges it records, every sheet of it in its order, a hidden sheet staying hidden
(the office's old figures are often kept there). The checked sheet prints
landscape on A4, one page wide, with its header rows on every page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance.errors import InputError

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from compliance.reading.grid import Grid
    from compliance.results import CheckResult

__all__ = ["open_copy", "print_fitted"]


def open_copy(check: CheckResult) -> tuple[Workbook, Worksheet]:
    """The user's workbook as openpyxl holds it, and the checked sheet."""
    from openpyxl import Workbook, load_workbook

    source = check.source
    path = Path(source.path)
    if source.format.startswith(("xlsx", "xlsm")):
        # Not read_only: the copy is edited. Formulas are kept as formulas (no data_only).
        wb = load_workbook(path, keep_links=False)
        return wb, wb[source.sheet]
    from compliance.reading.grid import open_workbook

    book = open_workbook(path)
    csv = source.format.startswith("csv")
    wb = Workbook()
    wb.remove(wb.active)
    checked: Worksheet | None = None
    for info in book.sheets:
        is_checked = info.name == source.sheet or (csv and checked is None)
        try:
            grid = book.load(info.name)
        except InputError:
            if is_checked:
                raise
            continue  # a sheet the reader cannot load (a chart sheet): not copied
        ws = wb.create_sheet(_sheet_title(info.name or path.stem))
        _fill(ws, grid, csv)
        if is_checked:
            checked = ws
        elif not info.visible:
            ws.sheet_state = "hidden"
    if checked is None:  # the checked sheet is always among them; be safe all the same
        checked = wb.create_sheet(_sheet_title(source.sheet or path.stem))
        _fill(checked, book.load(source.sheet), csv)
    wb.active = wb.index(checked)
    return wb, checked


def _fill(ws: Worksheet, grid: Grid, csv: bool) -> None:
    from compliance.render.xlsx import cells

    for r, values in enumerate(grid.rows, 1):
        for c, value in enumerate(values, 1):
            if value is not None and value != "":
                cells.put(ws, r, c, _csv_number(value) if csv else value)
    for (r0, c0), (r1, c1) in grid.merged:
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    cells.fit_columns(ws, header_row=None, minimum=6, maximum=30)


def print_fitted(ws: Worksheet, header_row: int) -> None:
    """Landscape A4, one page wide and as many long as it takes, the rows down to
    the header repeated on every page: a return of 200 communities and 16 columns
    printed split across 20 pages (six columns a page) before."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if header_row >= 1:
        ws.print_title_rows = f"1:{header_row}"


#: A CSV figure as Excel would read it; longer digit runs (12-digit community codes)
#: and leading zeros stay text, so a code survives.
_PLAIN_NUMBER = re.compile(r"^-?(0|[1-9]\d{0,10})(\.\d+)?$")


def _csv_number(value: Any) -> Any:
    if isinstance(value, str) and _PLAIN_NUMBER.match(value):
        return float(value) if "." in value else int(value)
    return value


def _sheet_title(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Sheet1"
