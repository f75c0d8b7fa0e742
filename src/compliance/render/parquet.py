"""Parquet: the whole findings table, one row per (community, rule), passes included.

For analysts: open it with ``polars.read_parquet``, DuckDB (``SELECT * FROM
'report.parquet'``) or ``pandas.read_parquet``. Every row names its source
file, sheet and row, the community's identity fields, the rule set (id and
version) and the rule, then the outcome and figures (``actual``, ``required``,
``shortfall``, ``total``), ``derivation``, ``reason``, and ``cells``, ``notes``
and ``missing`` as lists of text. Sub-district results (rules checked per
sub-district) are rows too, with ``level`` "subdistrict".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from compliance.findings import IDENTITY
from compliance.render import rows

if TYPE_CHECKING:
    import polars as pl

    from compliance.render import RenderOptions
    from compliance.render.rows import Part
    from compliance.results import Report

_FIGURES = ("actual", "required", "shortfall", "total")


#: Communities written per row group: memory follows this, not the sheet's length.
CHUNK = 10_000


def _frames(part: Part, report: Report, level: str) -> Iterator[pl.DataFrame]:
    """The part's findings, :data:`CHUNK` communities (or sub-districts) at a time, in
    community and then rule-set order."""
    import polars as pl

    table = part.table
    # An empty table still gives one (empty) frame: the file has its columns.
    parts = table.chunks(CHUNK) if len(table) else iter([(0, table.outcomes)])
    for _, outcomes in parts:
        chunk = table.explained(outcomes)
        every = chunk.join(table.records, on="_rec", how="left", maintain_order="left")
        yield every.select(
            pl.lit(part.source, dtype=pl.String).alias("source"),
            pl.lit(part.given_sheet, dtype=pl.String).alias("sheet"),
            pl.col("_row").alias("row"),
            *(pl.col(f) for f in IDENTITY),
            pl.lit(level).alias("level"),
            pl.lit(report.ruleset.id).alias("ruleset"),
            pl.lit(report.ruleset.version).alias("ruleset_version"),
            pl.col("rule"),
            pl.col("outcome"),
            *(pl.when(pl.col(c).is_finite()).then(pl.col(c)).alias(c) for c in _FIGURES),
            pl.col("derivation"),
            pl.col("reason"),
            pl.col("cells"),
            pl.col("notes"),
            pl.col("missing"),
        )


def render(report: Report, options: RenderOptions, out: BinaryIO) -> None:
    """Write every finding of the report as one Parquet table, a row group per
    :data:`CHUNK` communities."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    schema = _empty().schema
    writer = pq.ParquetWriter(out, _empty().to_arrow().schema, compression="zstd")
    try:
        for part in rows.communities(report):
            for frame in _frames(part, report, "community"):
                writer.write_table(frame.cast(schema).to_arrow())
        for part in rows.subdistricts(report):
            for frame in _frames(part, report, "subdistrict"):
                writer.write_table(frame.cast(schema).to_arrow())
    finally:
        writer.close()


def _empty() -> pl.DataFrame:
    import polars as pl

    text = pl.String
    return pl.DataFrame(
        schema={
            "source": text,
            "sheet": text,
            "row": pl.Int64,
            **dict.fromkeys(IDENTITY, text),
            "level": text,
            "ruleset": text,
            "ruleset_version": text,
            "rule": text,
            "outcome": text,
            **dict.fromkeys(_FIGURES, pl.Float64),
            "derivation": text,
            "reason": text,
            "cells": pl.List(text),
            "notes": pl.List(text),
            "missing": pl.List(text),
        }
    )
