"""The data rows of a sheet as raw polars columns, before any cell is parsed.

Each loaded column is a String series of the cells as text (null where the
cell is empty). A column that holds a numeric field also has a Float64 series
of the cells that are already clean numbers; its text series then holds only
the other cells (text numbers, units, placeholders, error values), which are
the only ones the Python cell parser sees.

:func:`from_grid` builds them from a grid loaded whole (CSV, .xls, .xlsb, .ods,
and .xlsx that the native reader does not take); :mod:`~compliance.reading.native`
builds them straight from the file.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from compliance.reading import cells

if TYPE_CHECKING:  # grid loads .xlsx sheets through xlsx_read, which builds on this module
    from compliance.reading.grid import Grid


@dataclass(slots=True)
class RawColumns:
    """``height`` data rows; per 0-based column its text and (numeric fields) numbers."""

    height: int
    text: dict[int, pl.Series] = field(default_factory=dict)
    num: dict[int, pl.Series] = field(default_factory=dict)
    #: Row indices (within the data rows) that were blank before merged cells were filled.
    blank_before_fill: frozenset[int] | None = None

    def text_of(self, col: int) -> pl.Series:
        """A column's text; an all-null series for a column past the sheet's edge."""
        s = self.text.get(col)
        return s if s is not None else pl.Series(values=[None] * self.height, dtype=pl.String)

    def num_of(self, col: int) -> pl.Series:
        s = self.num.get(col)
        return s if s is not None else pl.Series(values=[None] * self.height, dtype=pl.Float64)

    def filled(self) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Per data row, whether any column has a cell in it: a number, or text that is
        not only spaces.

        One native pass over all columns end to end: a test per column (an expression
        each, or-ed together) cost seconds on a sheet 65,000 columns wide.
        """
        out = np.zeros(self.height, dtype=bool)
        texts = [s for s in self.text.values() if s.null_count() < self.height]
        if texts:
            every = pl.concat(texts)
            hit = (every.is_not_null() & (every.str.strip_chars() != "")).fill_null(False)
            out |= hit.to_numpy().reshape(len(texts), self.height).any(axis=0)
        nums = [s for s in self.num.values() if s.null_count() < self.height]
        if nums:
            out |= (
                pl.concat(nums).is_not_null().to_numpy().reshape(len(nums), self.height).any(axis=0)
            )
        return out


def _as_text(v: Any) -> str | None:
    if v.__class__ is str:
        return v or None
    if v is None:
        return None
    return cells.clean_text(v)


def _is_number(v: Any) -> bool:
    return v.__class__ is float or v.__class__ is int


def _number(v: Any) -> float | None:
    return float(v) if v.__class__ is float or v.__class__ is int else None


def from_grid(
    grid: Grid, start: int, numeric_cols: Collection[int], wanted: Collection[int]
) -> RawColumns:
    """The rows under the header of a grid loaded whole, every column of it."""
    data = grid.rows[start:]
    width = max([len(r) for r in data[:1]] + [c + 1 for c in wanted] + [0])
    out = RawColumns(len(data))
    for c in range(width):
        raw = [row[c] if c < len(row) else None for row in data]
        if c in numeric_cols:
            out.num[c] = pl.Series(values=list(map(_number, raw)), dtype=pl.Float64)
            out.text[c] = pl.Series(
                values=[None if _is_number(v) else _as_text(v) for v in raw], dtype=pl.String
            )
        else:
            out.text[c] = pl.Series(values=list(map(_as_text, raw)), dtype=pl.String)
    return out
