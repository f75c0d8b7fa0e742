"""The rows of a report's findings tables, as renderers read them.

A report holds one findings table per input (its communities) and, where rules
are checked per sub-district, one more per input (its sub-districts). A
:class:`Part` is one such table with where its rows came from. Renderers choose
communities as key frames (``_part``, ``_rec``: a part's position and a row of
its table, in the order they are shown) and read those rows from the tables:
:func:`marks` for a community's outcome and shortfall per rule, :func:`shown`
for its findings in full. Nothing here makes a Python object per finding.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from compliance import labels
from compliance.findings import IDENTITY, FindingsTable

if TYPE_CHECKING:
    from compliance.model import SourceInfo
    from compliance.results import CheckResult, Report

#: The outcomes a detail line, the HTML list and a test's failure show.
SHOWN = ("fail", "unknown", "not_yet_due", "waived")
#: How a community's worst outcome orders it: failing, then unknown, then not yet due.
RANK = {"fail": 0, "unknown": 1, "not_yet_due": 2, "pass": 3}
KEYS = {"_part": pl.UInt32, "_rec": pl.UInt32}


@dataclass(frozen=True)
class Part:
    """One findings table of a report: the communities (or sub-districts) of an input."""

    table: FindingsTable
    #: The input's path.
    source: str
    #: The sheet the rows were read from ("" for a CSV file).
    sheet: str
    #: The sheet as the input names it (a CSV file's too), for the JSON reports.
    given_sheet: str


def sheet_of(source: SourceInfo) -> str:
    """The sheet a row reference names: none for a CSV file."""
    return "" if source.format.startswith("csv") else source.sheet


def communities(report: Report) -> list[Part]:
    """The communities of each input, in input order."""
    return [Part(c.table, c.source.path, sheet_of(c.source), c.source.sheet) for c in report.checks]


def subdistricts(report: Report) -> list[Part]:
    """The sub-districts of each input that has rules checked per sub-district."""
    return [p for c in report.checks if (p := subdistrict_part(c)) is not None]


def subdistrict_part(check: CheckResult) -> Part | None:
    """The sub-districts of ``check``; None where it has no rules checked per sub-district."""
    groups = check.groups
    if groups is None or not len(groups):
        return None
    return Part(groups, check.source.path, check.group_sheet, check.group_sheet)


def empty_keys() -> pl.DataFrame:
    return pl.DataFrame(schema=KEYS)


def in_order(parts: Sequence[Part], *, worst_first: bool = False) -> pl.DataFrame:
    """Every row of ``parts`` as keys, in input order; with ``worst_first`` failing
    ones first, then unknown, then not yet due, then the rest (input order within each)."""
    frames = []
    for i, p in enumerate(parts):
        keys = p.table.records.select(pl.lit(i, dtype=pl.UInt32).alias("_part"), "_rec")
        if worst_first:
            keys = keys.with_columns(p.table.worst().replace_strict(RANK).alias("_rank"))
        frames.append(keys.cast({"_rec": pl.UInt32}))
    if not frames:
        return empty_keys()
    out = pl.concat(frames)
    return out.sort("_rank", maintain_order=True).drop("_rank") if worst_first else out


def attention(parts: Sequence[Part]) -> pl.DataFrame:
    """The rows of ``parts`` that need attention, as keys with ``fails`` and ``unknowns``."""
    schema = {**KEYS, "fails": pl.UInt32, "unknowns": pl.UInt32}
    frames = [
        p.table.attention().with_columns(pl.lit(i, dtype=pl.UInt32).alias("_part"))
        for i, p in enumerate(parts)
    ]
    if not frames:
        return pl.DataFrame(schema=schema)
    return pl.concat([f.select(list(schema)).cast(schema) for f in frames])  # type: ignore[arg-type]


def _display_name() -> pl.Expr:
    """A community's name as people see it: its name, else its code, else "#row"."""
    name, code = pl.col("name"), pl.col("id")
    return (
        pl.when(name.is_not_null() & (name != ""))
        .then(name)
        .when(code.is_not_null() & (code != ""))
        .then(code)
        .otherwise(pl.lit("#") + pl.col("_row").cast(pl.String))
        .alias("display")
    )


def records(parts: Sequence[Part], keys: pl.DataFrame) -> pl.DataFrame:
    """The rows ``keys`` names, in its order: ``_part``, ``_rec``, ``_row``, the
    identity fields, ``display`` (the name shown), ``source``, ``sheet`` and ``worst``."""
    frames = []
    order = keys.select("_part", "_rec").with_row_index("_at")
    for i, p in enumerate(parts):
        mine = order.filter(pl.col("_part") == i)
        if not mine.height:
            continue
        # Only the rows asked for; a table's rows are numbered 0..n-1 (``_rec``).
        rec = mine.join(p.table.records.cast({"_rec": pl.UInt32}), on="_rec", how="left")
        for f in IDENTITY:
            if f not in rec.columns:
                rec = rec.with_columns(pl.lit(None, dtype=pl.String).alias(f))
        frames.append(
            rec.with_columns(
                p.table.worst().gather(rec["_rec"]).alias("worst"),
                _display_name(),
                pl.lit(p.source, dtype=pl.String).alias("source"),
                pl.lit(p.sheet, dtype=pl.String).alias("sheet"),
            )
        )
    if not frames:
        return pl.DataFrame()
    return pl.concat(frames, how="diagonal_relaxed").sort("_at").drop("_at")


def marks(parts: Sequence[Part], keys: pl.DataFrame, rules: Sequence[str]) -> pl.DataFrame:
    """:func:`records` of ``keys`` with, per rule ``rules[i]``, its outcome (``o{i}``)
    and shortfall (``s{i}``), null where the row has no finding of that rule."""
    frames = []
    for i, p in enumerate(parts):
        recs = keys.filter(pl.col("_part") == i)["_rec"]
        if not recs.len():
            continue
        found = p.table.outcomes.filter(
            pl.col("_rec").is_in(recs.implode()) & pl.col("rule").is_in(list(rules))
        )
        wide = pl.DataFrame({"_rec": recs.unique()}, schema={"_rec": pl.UInt32})
        for at, rule in enumerate(rules):
            one = found.filter(pl.col("rule") == rule).select(
                pl.col("_rec").cast(pl.UInt32),
                pl.col("outcome").alias(f"o{at}"),
                pl.col("shortfall").alias(f"s{at}"),
            )
            wide = wide.join(one, on="_rec", how="left")
        frames.append(wide.with_columns(pl.lit(i, dtype=pl.UInt32).alias("_part")))
    base = records(parts, keys)
    if not frames:
        return base
    return base.join(pl.concat(frames), on=["_part", "_rec"], how="left", maintain_order="left")


def shown(
    parts: Sequence[Part], keys: pl.DataFrame, which: pl.Expr | None = None, chunk: int = 10_000
) -> Iterator[pl.DataFrame]:
    """The findings (those ``which`` selects, default all) of the rows ``keys`` names,
    in its order and then rule-set order, with the rows' :func:`records` columns;
    :data:`chunk` rows of ``keys`` at a time, so that memory follows the chunk."""
    for at in range(0, keys.height, chunk):
        rows = records(parts, keys.slice(at, chunk)).with_row_index("_at")
        found = []
        for i, p in enumerate(parts):
            recs = rows.filter(pl.col("_part") == i)["_rec"]
            if not recs.len():
                continue
            chosen = pl.col("_rec").is_in(recs.implode())
            got = p.table.findings(chosen if which is None else chosen & which)
            found.append(
                got.with_columns(
                    pl.col("_rec").cast(pl.UInt32), pl.lit(i, dtype=pl.UInt32).alias("_part")
                ).with_row_index("_in")
            )
        if found:
            joined = pl.concat(found, how="diagonal_relaxed").join(
                rows, on=["_part", "_rec"], how="left"
            )
            yield joined.sort("_at", "_in").drop("_at", "_in")


def number_texts(values: pl.Series) -> pl.Series:
    """Each figure as people write it (:func:`compliance.labels.number`), made once
    per distinct value."""
    said = {v: labels.number(v) for v in values.drop_nulls().unique().to_list()}
    return values.replace_strict(said, default="", return_dtype=pl.String)
