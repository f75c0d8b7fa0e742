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
from typing import TYPE_CHECKING, Any, BinaryIO

from compliance.findings import IDENTITY

if TYPE_CHECKING:
    import polars as pl

    from compliance.render import RenderOptions
    from compliance.results import CheckResult, Report

_FIGURES = ("actual", "required", "shortfall", "total")


#: Communities written per row group: memory follows this, not the sheet's length.
CHUNK = 10_000


def _check_frames(check: CheckResult, report: Report) -> Iterator[pl.DataFrame]:
    """The check's findings, :data:`CHUNK` communities at a time, in community and
    then rule-set order."""
    import polars as pl

    table = check.table
    s = check.source
    for lo in range(0, max(len(table), 1), CHUNK):
        part = table.findings(pl.col("_rec").is_between(lo, lo + CHUNK - 1))
        every = part.join(table.records, on="_rec", how="left", maintain_order="left")
        yield every.select(
            pl.lit(s.path, dtype=pl.String).alias("source"),
            pl.lit(s.sheet, dtype=pl.String).alias("sheet"),
            pl.col("_row").alias("row"),
            *(pl.col(f) for f in IDENTITY),
            pl.lit("community").alias("level"),
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


def _groups_frame(check: CheckResult, report: Report, schema: Any) -> pl.DataFrame:
    import polars as pl

    rows: list[dict[str, Any]] = []
    for rr in check.group_results:
        rec = rr.record
        for f in rr.findings:
            rows.append(
                {
                    "source": rec.source,
                    "sheet": rec.sheet,
                    "row": rec.row,
                    **{k: _text(rec.values.get(k)) for k in IDENTITY},
                    "level": "subdistrict",
                    "ruleset": report.ruleset.id,
                    "ruleset_version": report.ruleset.version,
                    "rule": f.rule,
                    "outcome": f.outcome.value,
                    **{c: getattr(f, c) for c in _FIGURES},
                    "derivation": f.derivation,
                    "reason": f.reason,
                    "cells": list(f.cells),
                    "notes": list(f.notes),
                    "missing": list(f.missing),
                }
            )
    return pl.DataFrame(rows, schema=schema)


def _text(v: object) -> str | None:
    return None if v is None else str(v)


def render(report: Report, options: RenderOptions, out: BinaryIO) -> None:
    """Write every finding of the report as one Parquet table, a row group per
    :data:`CHUNK` communities."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    schema = _empty().schema
    writer = pq.ParquetWriter(out, _empty().to_arrow().schema, compression="zstd")
    try:
        for check in report.checks:
            for frame in _check_frames(check, report):
                writer.write_table(frame.cast(schema).to_arrow())
        for check in report.checks:
            if check.group_results:
                frame = _groups_frame(check, report, schema)
                writer.write_table(frame.to_arrow())
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
