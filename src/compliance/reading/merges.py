"""Merged ranges over the data rows, filled as column operations.

A sub-district or an average wage is often merged down over the rows it
applies to: every blank cell of a range takes the value of the range's
top-left cell. The ranges become (column, first row, last row, value) spans,
the spans are expanded natively into one (row, value) table per column, and
each column takes the filled value where its own cell is blank. Rows that were
blank before the fill are remembered, so that a spacer row inside a merged
sub-district still counts as blank. The work is capped as it always was.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
import polars as pl

from compliance.reading import cells
from compliance.reading.raw import RawColumns, _as_text, _number

Merged = Sequence[tuple[tuple[int, int], tuple[int, int]]]


def touches_data(merged: Merged, start: int) -> bool:
    """Whether any range reaches the data rows (the rows from ``start``, 0-based)."""
    return any(r1 >= start for (_, _), (r1, _) in merged)


def anchors(merged: Merged, start: int) -> set[int]:
    """The columns whose top-left cells give values to the data rows."""
    return {c0 for (_, c0), (r1, _) in merged if r1 >= start}


def _top_value(raw: RawColumns, head: Sequence[Sequence[Any]], start: int, r0: int, c0: int) -> Any:
    if r0 < start:
        row = head[r0] if r0 < len(head) else ()
        return row[c0] if c0 < len(row) else None
    i = r0 - start
    if c0 in raw.num and raw.num[c0][i] is not None:
        return raw.num[c0][i]
    return raw.text[c0][i] if c0 in raw.text else None


def fill(
    raw: RawColumns,
    merged: Merged,
    head: Sequence[Sequence[Any]],
    start: int,
    columns: Collection[int],
) -> None:
    """Fill ``columns`` from the ranges that reach the data rows (in place)."""
    n = raw.height
    loaded = {c for c in columns if c in raw.text or c in raw.num}
    budget = 4 * max(n + start, 1) * max(len(loaded), 1)
    spans: dict[int, list[tuple[int, int, float | None, str | None]]] = {}
    for (r0, c0), (r1, c1) in merged:
        a, b = max(r0, start) - start, min(r1, start + n - 1) - start
        if r1 < start or a > b:
            continue
        targets = [c for c in loaded if c0 <= c <= c1]
        if not targets:
            continue
        value = _top_value(raw, head, start, r0, c0)
        if cells.is_blank(value):
            continue
        for c in targets:
            num = _number(value) if c in raw.num else None
            text = None if num is not None else _as_text(value)
            lo = a + 1 if (r0 >= start and c == c0 and a == r0 - start) else a
            if lo <= b:
                spans.setdefault(c, []).append((lo, b, num, text))
        budget -= (b - a + 1) * len(targets)
        if budget <= 0:
            break
    if not spans:
        return
    raw.blank_before_fill = frozenset(np.flatnonzero(~raw.filled()).tolist())
    for c, items in spans.items():
        _fill_column(raw, c, items)


def _fill_column(
    raw: RawColumns, c: int, items: list[tuple[int, int, float | None, str | None]]
) -> None:
    a, b, num, text = zip(*items, strict=True)
    table = (
        pl.DataFrame(
            {"a": a, "b": b, "num": num, "text": text},
            schema={"a": pl.Int64, "b": pl.Int64, "num": pl.Float64, "text": pl.String},
        )
        .with_columns(row=pl.int_ranges("a", pl.col("b") + 1))
        .explode("row")
        .unique(subset="row", keep="first", maintain_order=True)
        .select("row", "num", "text")
    )
    own = pl.DataFrame(
        {
            "row": pl.int_range(raw.height, eager=True),
            "own_text": raw.text_of(c),
            "own_num": raw.num_of(c),
        }
    ).join(table, on="row", how="left", maintain_order="left")
    blank = (
        own["own_num"].is_null()
        & (own["own_text"].is_null() | (own["own_text"].str.strip_chars() == ""))
        & (own["num"].is_not_null() | own["text"].is_not_null())
    )
    frame = pl.DataFrame({"blank": blank, "on": own["num"], "ot": own["text"]})
    raw.text[c] = frame.select(
        pl.when("blank").then("ot").otherwise(pl.lit(raw.text_of(c)))
    ).to_series()
    if c in raw.num:
        raw.num[c] = frame.select(
            pl.when("blank").then("on").otherwise(pl.lit(raw.num[c]))
        ).to_series()
