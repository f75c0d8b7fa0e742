"""A sheet's first rows and merged ranges: what the header search and the sheet choice need.

A head is always read bounded, whatever the format, so that choosing among
many sheets never costs a whole sheet each: for .xlsx/.xlsm the one-pass
reader (:mod:`~compliance.reading.xlsx_read`) stops after the head, and the
data rows are read by it later; for the other formats calamine's grid of the
sheet is turned into Python values only for the first rows, and nothing of it
is kept. Only the chosen sheet is then loaded whole (:func:`whole`), and a CSV
file, already read, is its own grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from compliance.reading.grid import Grid, Merged, Workbook
from compliance.reading.header import SCAN_ROWS

if TYPE_CHECKING:
    from compliance.reading.xlsx_cells import SheetCells

NATIVE_FORMATS = ("xlsx", "xlsm")


@dataclass(slots=True)
class Head:
    """The first rows (row 0 is sheet row 1), the merged ranges, and the whole grid if loaded."""

    name: str
    rows: list[list[Any]]
    merged: Merged = field(default_factory=list)
    uncached: frozenset[tuple[int, int]] = frozenset()
    grid: Grid | None = None
    #: The worksheet part, for the one-pass reader of the data rows.
    part: str | None = None
    #: A small .xlsx sheet's cells, all of them, read with its head (see xlsx_read.load_rows).
    cells: SheetCells | None = None


def load_head(book: Workbook, name: str, want_rows: int = SCAN_ROWS) -> Head:
    """The head of one sheet, after the sheet passed the size checks."""
    if book.format in NATIVE_FORMATS:
        part = book.part(name)
        if part is not None:
            # The same one-pass reader as the data rows, stopped after the head.
            head = book.load_rows(name, max(want_rows, SCAN_ROWS))
            return Head(name, head.rows, head.merged, head.uncached, None, part, head.cells)
    if book.format == "csv":
        grid = book.load(name)
        return Head(grid.name, grid.rows, grid.merged, grid.uncached, grid)
    grid = book.head(name, max(want_rows, SCAN_ROWS))
    return Head(grid.name, grid.rows, grid.merged, grid.uncached)


def whole(book: Workbook, head: Head) -> Head:
    """The same sheet loaded whole (when the native reader cannot be used)."""
    if head.grid is not None:
        return head
    grid = book.load(head.name)
    return Head(grid.name, grid.rows, grid.merged, grid.uncached, grid)
