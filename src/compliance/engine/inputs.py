"""What the engine evaluates: a :class:`SheetFrame` with its cells and roll-ups
in the engine's shape.

A reader's frame names a derived field's cells through its derivation
(``pay_annual`` points at the monthly column); the engine wants that as a
``_cell:`` column. A roster roll-up arrives as a column of per-worker tuples
(``pay_annual@workers``); the engine wants it as a table of its own
(:data:`~compliance.engine.workers.WORKER_SCHEMA`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import polars as pl

from compliance.engine.workers import WORKER_SCHEMA
from compliance.reading.frame import CELL_PREFIX, ROW, SheetFrame, default_cell

#: The record key suffix of per-worker values (see compliance.reading.workers).
PER_WORKER = "@workers"


def engine_sheet(sheet: SheetFrame) -> tuple[SheetFrame, pl.DataFrame | None]:
    """``sheet`` with derived fields' cells as ``_cell:`` columns and roll-ups split
    off as the per-worker table (None without roll-ups)."""
    frame = sheet.frame
    moved = {}
    for f in sheet.fields:
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
