"""A findings table cut to some of its communities: the one place a table loses rows.

A community found in two inputs is counted from one of them
(:mod:`compliance.duplicates`): the other copy leaves its input's table, so that
every count, roll-up and renderer sees each community once. The rows kept are
renumbered 0..n-1 (``_rec``), as every table's are; their derivations, cells and
record objects are still made on demand, through the original table's explainer
and records, translated back to the original numbers.

This module belongs with :mod:`compliance.findings` and reads the table's
explainer and record objects, which are otherwise its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from compliance.findings import FindingsTable, RecordObjects
from compliance.model import Record


class _Renumbered:
    """An explainer over kept rows: asks the original one with the original numbers."""

    def __init__(self, explain: Any, old: pl.Series) -> None:
        self.explain = explain
        self.old = old
        self.back = pl.DataFrame(
            {"_rec": old, "_new": pl.int_range(old.len(), dtype=pl.UInt32, eager=True)}
        )

    def __call__(self, rows: pl.DataFrame) -> pl.DataFrame:
        asked = rows.with_columns(_rec=self.old.gather(rows["_rec"]))
        out: pl.DataFrame = self.explain(asked)
        return (
            out.join(self.back, on="_rec", how="left")
            .with_columns(pl.col("_new").alias("_rec"))
            .drop("_new")
        )


class _KeptRecords(RecordObjects):
    """The record objects of the kept rows, made from the original ones when asked."""

    def __init__(self, inner: RecordObjects, keep: Sequence[int]) -> None:
        super().__init__(inner.sheet_frame(), inner.emptied)
        self._inner = inner
        self._keep = list(keep)
        self._kept: tuple[Record, ...] | None = None

    def __call__(self) -> tuple[Record, ...]:
        if self._kept is None:
            self._kept = self._inner.subset(self._keep)
        return self._kept

    def subset(self, recs: Sequence[int]) -> tuple[Record, ...]:
        return self._inner.subset([self._keep[i] for i in recs])

    def field_values(self, fields: Sequence[str], recs: Sequence[int]) -> pl.DataFrame:
        out = self._inner.field_values(fields, [self._keep[i] for i in recs])
        return out.with_columns(pl.Series("_rec", list(recs), dtype=pl.UInt32))


def keep_rows(table: FindingsTable, keep: Sequence[int]) -> FindingsTable:
    """``table`` with only the communities ``keep`` (``_rec`` numbers, in order)."""
    old = pl.Series("_rec", list(keep), dtype=pl.UInt32)
    new = pl.DataFrame({"_rec": old, "_new": pl.int_range(len(keep), dtype=pl.UInt32, eager=True)})

    def renumber(frame: pl.DataFrame) -> pl.DataFrame:
        return (
            frame.join(new, on="_rec", how="inner", maintain_order="left")
            .with_columns(pl.col("_new").alias("_rec"))
            .drop("_new")
            .select(frame.columns)
        )

    return FindingsTable(
        renumber(table.records),
        renumber(table.outcomes),
        table.rules,
        _Renumbered(table._explain, old),
        _KeptRecords(table._record_objects, keep),
    )
