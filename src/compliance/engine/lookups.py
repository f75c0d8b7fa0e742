"""Reference tables as joins: a lookup fills a field that a record leaves empty.

Each lookup is asked once per distinct combination of its key values among the
records it may fill (a few districts, not 100,000 rows); the answers are joined
back. Which key wins and how names are matched stay the lookup's own business
(:meth:`compliance.rules.model.Lookup.find`).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from compliance.rules.model import Lookup

#: The column holding a lookup's note for the rows it filled.
NOTE_COLUMN = "_lookup:{}"


def apply_lookups(
    frame: pl.DataFrame, lookups: Iterable[Lookup]
) -> tuple[pl.DataFrame, list[Lookup]]:
    """``frame`` with looked-up values filled in, and the lookups that filled any.

    For each lookup that filled a row, column ``_lookup:<i>`` (``i`` its place among
    the lookups returned) holds the note "field=lookup:id[key, year]" where it did.
    """
    used: list[Lookup] = []
    for lk in lookups:
        if lk.field not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias(lk.field))
        keys = [k for k in lk.key if k in frame.columns]
        empty = frame.filter(pl.col(lk.field).is_null())
        if empty.height == 0 or not keys:
            continue
        combos = empty.select(keys).unique(maintain_order=True)
        year = f", {lk.year}" if lk.year else ""
        values: list[float | None] = []
        notes: list[str | None] = []
        for row in combos.iter_rows(named=True):
            hit = lk.find(row)
            values.append(None if hit is None else float(hit[1]))
            notes.append(None if hit is None else f"{lk.field}=lookup:{lk.id}[{hit[0]}{year}]")
        if all(v is None for v in values):
            continue
        note = NOTE_COLUMN.format(len(used))
        answers = combos.with_columns(
            pl.Series("_lookup_value", values, dtype=pl.Float64),
            pl.Series("_lookup_note", notes, dtype=pl.String),
        )
        empty_now = pl.col(lk.field).is_null()
        frame = (
            frame.join(answers, on=keys, how="left", nulls_equal=True, maintain_order="left")
            .with_columns(
                pl.when(empty_now).then(pl.col("_lookup_note")).alias(note),
                pl.col(lk.field).fill_null(pl.col("_lookup_value")),
            )
            .drop("_lookup_value", "_lookup_note")
        )
        used.append(lk)
    return frame, used
