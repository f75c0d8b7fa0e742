"""Reference tables as joins: a lookup fills a field that a record leaves empty.

Each lookup is asked once per distinct combination of its key values among the
records it may fill (a few districts, not 100,000 rows), and the answers are
joined back. Which key wins and how names are matched stay the lookup's own
business (:meth:`compliance.rules.model.Lookup.find` and ``miss``). A cell that
holds something unreadable, negative or zero is a data problem, not an empty
cell: the lookup leaves it empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet

import polars as pl

from compliance.reading.frame import ROW
from compliance.rules.model import Lookup

#: The column holding the note of the ``i``-th lookup for the rows it was asked for.
NOTE_COLUMN = "_lookup:{}"


def _answer(lk: Lookup, values: dict[str, object]) -> tuple[float | None, str]:
    hit = lk.find_entry(values)
    if hit is None:
        miss = lk.miss(values)
        where = miss.unit if miss.key_field else "(" + ",".join(lk.key) + ")"
        return None, f"{lk.field}=unsourced:{lk.id}[{where}]"
    key, entry = hit
    year = f", {entry.year}" if entry.year else ""
    return entry.value, f"{lk.field}=lookup:{lk.id}[{key}{year}]"


def apply_lookups(
    frame: pl.DataFrame,
    lookups: Iterable[Lookup],
    *,
    blocked: Mapping[str, AbstractSet[int]] | None = None,
) -> pl.DataFrame:
    """``frame`` with looked-up values filled in. Column ``_lookup:<i>`` holds the
    ``i``-th lookup's note ("field=lookup:id[key, year]", or "field=unsourced:id[unit]")
    for the rows it was asked for. ``blocked`` gives, per field, the rows (``_row``)
    whose cell is a data problem (unreadable, negative...): those are never filled."""
    for i, lk in enumerate(lookups):
        note = NOTE_COLUMN.format(i)
        if lk.field not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias(lk.field))
        asked = pl.col(lk.field).is_null()
        bad_rows = (blocked or {}).get(lk.field)
        if bad_rows:
            asked = asked & ~pl.col(ROW).is_in(list(bad_rows))
        frame = frame.with_columns(asked.alias("_asked"))
        keys = [k for k in lk.key if k in frame.columns]
        rows = frame.filter(pl.col("_asked"))
        if rows.height == 0:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(note)).drop("_asked")
            continue
        if not keys:
            _, text = _answer(lk, {})
            frame = frame.with_columns(
                pl.when(pl.col("_asked")).then(pl.lit(text)).alias(note)
            ).drop("_asked")
            continue
        combos = rows.select(keys).unique(maintain_order=True)
        answers = [_answer(lk, row) for row in combos.iter_rows(named=True)]
        table = combos.with_columns(
            pl.Series("_lookup_value", [a[0] for a in answers], dtype=pl.Float64),
            pl.Series("_lookup_note", [a[1] for a in answers], dtype=pl.String),
        )
        frame = (
            frame.join(table, on=keys, how="left", nulls_equal=True, maintain_order="left")
            .with_columns(
                pl.when(pl.col("_asked")).then(pl.col("_lookup_note")).alias(note),
                pl.when(pl.col("_asked"))
                .then(pl.col("_lookup_value"))
                .otherwise(pl.col(lk.field))
                .alias(lk.field),
            )
            .drop("_lookup_value", "_lookup_note", "_asked")
        )
    return frame
