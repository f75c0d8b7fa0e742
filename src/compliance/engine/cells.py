"""Cell references as columns: "社区情况!E12" for a field of a sheet row."""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from compliance.model import SourceInfo
from compliance.reading.frame import CELL_PREFIX, ROW, default_cell


def cell_expr(source: SourceInfo, columns: Collection[str], field_id: str) -> pl.Expr:
    """The cell a field's value came from, per row: a ``_cell:<field>`` override where
    there is one, else the field's column letter and the row ("" without a column)."""
    prefix = default_cell(source, field_id, 1)[:-1]
    default = pl.lit(prefix) + pl.col(ROW).cast(pl.String) if prefix else pl.lit("")
    if CELL_PREFIX + field_id in columns:
        return pl.coalesce(pl.col(CELL_PREFIX + field_id), default)
    return default


def record_ref(source: SourceInfo, row: int) -> str:
    """A row as :attr:`compliance.model.Record.ref` names it ("社区情况!12")."""
    return f"{source.sheet}!{row}" if source.sheet else f"row {row}"
