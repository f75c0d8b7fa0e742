"""The rows a findings table was made from: the reader's frame, kept for the
figures the table does not hold.

A findings table holds each community's identity and outcomes, not its figures.
:class:`SheetRows` keeps the reader's :class:`~compliance.reading.frame.SheetFrame`
(and the values the engine's screen emptied) so that what quotes a figure reads
it for the rows it lists only (:meth:`SheetRows.field_values`), and so that a
worker's reply can send the frame its explanations point into.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

    from compliance.reading.frame import SheetFrame


class SheetRows:
    """The reader's frame of a table's records (``_rec`` is its row number), and per
    sheet row the fields the engine's screen emptied there."""

    def __init__(
        self, sheet: SheetFrame, emptied: Mapping[int, tuple[str, ...]] | None = None
    ) -> None:
        self.sheet = sheet
        self.emptied: Mapping[int, tuple[str, ...]] = dict(emptied or {})

    def field_values(self, fields: Sequence[str], recs: Sequence[int]) -> pl.DataFrame:
        """The rows ``recs`` (``_rec`` numbers, in that order): ``_rec``, each of
        ``fields`` as the reader gave it (yes/no as booleans; null where empty,
        unreadable, emptied by the engine's screen or not a column) and the cell it
        came from in ``_cell:<field>`` ("" where none)."""
        import polars as pl

        from compliance.catalogue import default_catalogue
        from compliance.reading.frame import CELL_PREFIX, ROW, field_cells

        sheet, cat = self.sheet, default_catalogue()
        frame = sheet.frame
        columns: list[pl.Expr] = [pl.col("_rec")]
        for f in fields:
            if f not in frame.columns:
                columns.append(pl.lit(None).alias(f))
            else:
                v = pl.col(f).cast(pl.Boolean) if f in cat and cat[f].type == "flag" else pl.col(f)
                gone = [row for row, names in self.emptied.items() if f in names]
                if gone:
                    v = pl.when(pl.col(ROW).is_in(gone)).then(None).otherwise(v)
                columns.append(v.alias(f))
            columns.append(field_cells(sheet, f).alias(CELL_PREFIX + f))
        rows = frame.with_row_index("_rec")
        picked = rows[list(recs)] if recs else rows.clear()
        return picked.select(columns)
