"""JSON text of findings-table rows, built by polars (no Python object per finding).

Used by the JSON report (one object per community) and JSON Lines (one object
per finding). Figures that are not finite become ``null``: a report never holds
``NaN`` or ``Infinity``.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from compliance.findings import ENGINE, IDENTITY
from compliance.results import CheckResult

#: The keys of a finding object, in order.
FINDING_KEYS = (
    "rule",
    "outcome",
    "actual",
    "required",
    "shortfall",
    "total",
    "derivation",
    "reason",
    "cells",
    "missing",
    "notes",
)
_FIGURES = ("actual", "required", "shortfall", "total")
#: Communities explained and encoded at a time.
CHUNK = 25_000


def _finite(name: str) -> pl.Expr:
    x = pl.col(name)
    return pl.when(x.is_finite()).then(x).alias(name)


def _finding_struct() -> pl.Expr:
    return pl.struct([pl.col(k) if k not in _FIGURES else _finite(k) for k in FINDING_KEYS]).alias(
        "finding"
    )


def _record_columns(check: CheckResult) -> list[pl.Expr]:
    s = check.source
    return [
        pl.lit(s.path, dtype=pl.String).alias("source"),
        pl.lit(s.sheet, dtype=pl.String).alias("sheet"),
        pl.col("_row").alias("row"),
        *(pl.col(f) for f in IDENTITY),
    ]


def record_texts(
    check: CheckResult, separator: str, *, all_findings: bool = False, utf8: bool = False
) -> Iterator[str | bytes]:
    """One JSON object per community, in input order, as texts of :data:`CHUNK`
    objects each, joined by ``separator`` (no Python object per community):
    ``source``, ``sheet``, ``row``, the identity fields, ``worst``, ``passed`` (the
    ids of the rules it passes) and ``findings`` (every other finding in full; with
    ``all_findings`` every finding).

    Findings are explained :data:`CHUNK` communities at a time, so memory follows
    the chunk, not the sheet (with ``all_findings``, nine findings a community). With
    ``utf8`` the texts are UTF-8 bytes."""
    table = check.table
    # Passes in rule-set order: one sort key, the community then the rule's place.
    place = pl.col("rule").replace_strict(
        {r: i for i, r in enumerate(table.rules)}, return_dtype=pl.UInt64
    )
    in_order = pl.col("_rec").cast(pl.UInt64) * len(table.rules) + place
    records = table.records.lazy().with_columns(table.worst().alias("worst"))
    empty_str = pl.lit([], dtype=pl.List(pl.String))
    # Each chunk is one query (a small input pays per query, not per row).
    for at, rows in table.chunks(CHUNK):
        shown = table.explained(rows if all_findings else rows.filter(pl.col("outcome") != "pass"))
        findings = (
            shown.lazy()
            .select("_rec", _finding_struct())
            .group_by("_rec", maintain_order=True)
            .agg(pl.col("finding").alias("findings"))
        )
        passed = (
            rows.lazy()
            .filter(pl.col("outcome") == "pass")
            .select("_rec", "rule", _at=in_order)
            .sort("_at")
            .group_by("_rec", maintain_order=True)
            .agg(pl.col("rule").alias("passed"))
        )
        no_findings = pl.lit([], dtype=findings.collect_schema()["findings"])
        texts = (
            records.slice(at, CHUNK)
            .join(passed, on="_rec", how="left", maintain_order="left")
            .join(findings, on="_rec", how="left", maintain_order="left")
            .select(
                pl.struct(
                    *_record_columns(check),
                    pl.col("worst"),
                    pl.col("passed").fill_null(empty_str),
                    pl.col("findings").fill_null(no_findings),
                )
                .struct.json_encode()
                .str.join(separator)
            )
        )
        joined = texts.collect(engine=ENGINE).to_series()
        yield joined.cast(pl.Binary).item() if utf8 else joined.item()


def finding_lines(check: CheckResult) -> Iterator[str]:
    """One JSON object per (community, rule), ``type`` "finding" first, in input
    order and rule-set order: the record's keys, then the finding's. Explained
    :data:`CHUNK` communities at a time, each chunk one text of lines (each line
    ending in a line feed)."""
    table = check.table
    for at, rows in table.chunks(CHUNK):
        part = table.explained(rows).join(
            table.records.slice(at, CHUNK), on="_rec", how="left", maintain_order="left"
        )
        texts = part.select(
            pl.struct(
                pl.lit("finding").alias("type"),
                *_record_columns(check),
                *(pl.col(k) if k not in _FIGURES else _finite(k) for k in FINDING_KEYS),
            ).struct.json_encode()
        ).to_series()
        if len(texts):
            yield texts.str.join("\n").item() + "\n"
