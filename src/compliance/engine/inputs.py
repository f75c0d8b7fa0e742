"""What the engine evaluates: a :class:`SheetFrame` with its cells and roll-ups
in the engine's shape.

A reader's frame names a derived field's cells through its derivation
(``pay_annual`` points at the monthly column); the engine wants that as a
``_cell:`` column. A roster roll-up arrives as a column of per-worker tuples
(``pay_annual@workers``); the engine wants it as a table of its own
(:data:`~compliance.engine.workers.WORKER_SCHEMA`). Record objects
(:class:`~compliance.model.SheetData`) are turned into the same frame.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import polars as pl

from compliance.engine.workers import WORKER_SCHEMA
from compliance.model import SheetData
from compliance.reading.frame import (
    CELL_PREFIX,
    ROW,
    SheetFrame,
    default_cell,
    frame_from_sheet_data,
)

#: The record key suffix of per-worker values (see compliance.reading.workers).
PER_WORKER = "@workers"


def engine_sheet(
    sheet: SheetFrame, *, derived_cells: bool = True
) -> tuple[SheetFrame, pl.DataFrame | None]:
    """``sheet`` with derived fields' cells as ``_cell:`` columns (unless
    ``derived_cells`` is false: record objects name every cell themselves) and
    roll-ups split off as the per-worker table (None without roll-ups)."""
    frame = sheet.frame
    moved = {}
    for f in sheet.fields if derived_cells else ():
        how = sheet.derived.get(f)
        if not how or CELL_PREFIX + f in frame.columns:
            continue
        prefix = default_cell(sheet.source, how.split(" ", 1)[0], 1)[:-1]
        if prefix != default_cell(sheet.source, f, 1)[:-1]:
            moved[f] = prefix
    if moved:
        frame = frame.with_columns(
            (pl.lit(prefix) + pl.col(ROW).cast(pl.String)).alias(CELL_PREFIX + f)
            for f, prefix in moved.items()
        )
    keys = [c for c in frame.columns if c.endswith(PER_WORKER)]
    workers = _worker_table(frame, keys) if keys else None
    if keys:
        frame = frame.drop(keys)
    if frame is sheet.frame:
        return sheet, workers
    return replace(sheet, frame=frame), workers


def _worker_table(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame | None:
    """Per-worker values of the roll-up columns ``keys``: (value, cell, name) each."""
    rows: dict[str, list[Any]] = {"_rec": [], "value": [], "cell": [], "name": []}
    for key in keys:
        for i, v in enumerate(frame[key].to_list()):
            if not isinstance(v, tuple | list):
                continue
            for value, cell, name in v:
                rows["_rec"].append(i)
                rows["value"].append(float(value))
                rows["cell"].append(cell)
                rows["name"].append(name)
    if not rows["_rec"]:
        return None
    return pl.DataFrame(rows, schema=WORKER_SCHEMA)


def sheet_of(data: SheetData) -> tuple[SheetFrame, pl.DataFrame | None]:
    """The frame of record objects, and their per-worker table."""
    fast = reader_frame(data)
    if fast is not None:
        return fast, None
    return engine_sheet(frame_from_sheet_data(data), derived_cells=False)


def reader_frame(data: SheetData) -> SheetFrame | None:
    """The frame of records exactly as the sheet reader makes them (values over one
    shared field index, cells over one shared prefix map, one derivation map), a
    column at a time; None for any other records."""
    from compliance.catalogue import default_catalogue
    from compliance.reading.records import RowCells, RowValues

    recs = data.records
    if not recs:
        return None
    first = recs[0]
    values, refs = first.values, first.cells
    if type(values) is not RowValues or type(refs) is not RowCells:
        return None
    index, prefixes, derived = values.index, refs.prefixes, first.derived
    for r in recs:
        v, c = r.values, r.cells
        if (
            type(v) is not RowValues
            or v.index is not index
            or type(c) is not RowCells
            or c.prefixes is not prefixes
            or r.derived is not derived
            or c.row != r.row
        ):
            return None
    source = data.source
    # A derived field's cells point elsewhere (pay_annual at the monthly column).
    moved = {
        f: prefixes[f]
        for f in index
        if f in prefixes and prefixes[f] != default_cell(source, f, 1)[:-1]
    }
    if any(f not in prefixes and default_cell(source, f, 1) for f in index):
        return None
    cat = default_catalogue()
    cols = list(zip(*(r.values.data for r in recs), strict=True))  # type: ignore[attr-defined]
    columns: dict[str, pl.Series] = {ROW: pl.Series(ROW, [r.row for r in recs], dtype=pl.Int64)}
    for f, at in index.items():
        numeric = f in cat and cat[f].type in ("integer", "number", "flag")
        try:
            series = pl.Series(f, cols[at], strict=False)
        except (TypeError, ValueError, OverflowError):
            series = pl.Series(f, [None if x is None else str(x) for x in cols[at]])
        ok = series.dtype.is_numeric() or series.dtype in (pl.Boolean, pl.Null)
        if numeric and ok:
            columns[f] = series.cast(pl.Float64)
        elif not numeric and series.dtype in (pl.String, pl.Null):
            columns[f] = series.cast(pl.String)
        else:
            return None
    frame = pl.DataFrame(columns).with_columns(
        (pl.lit(prefix) + pl.col(ROW).cast(pl.String)).alias(CELL_PREFIX + f)
        for f, prefix in moved.items()
    )
    return SheetFrame(source, frame, data.problems, dict(derived))
