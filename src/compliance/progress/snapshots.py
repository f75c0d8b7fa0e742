"""Matching the communities of two snapshots, and the region levels to group them by.

Used by :mod:`compliance.progress.compare`. A snapshot's communities are the rows
of its checks' findings tables (:func:`communities`: identity and where each was
read, in input order). They are matched by community code, falling back to name
plus sub-district; each current row is used at most once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from compliance.errors import UsageError
from compliance.summary import LEVELS, Level, present_levels

if TYPE_CHECKING:
    import polars as pl

    from compliance.results import Report

__all__ = ["choose_levels", "communities", "match"]

#: The region columns of :func:`communities`, one per level.
REGION = tuple(f"region:{lv.value}" for lv in LEVELS)


def _norm(column: str) -> pl.Expr:
    """A text column as codes and names are compared: NFKC, no white space."""
    import polars as pl

    return pl.col(column).fill_null("").str.normalize("NFKC").str.replace_all(r"\s+", "")


def communities(report: Report) -> pl.DataFrame:
    """Every community of ``report``, in input order: ``_part`` (its check) and
    ``_rec``; ``source``, ``sheet``, ``row`` and ``id``; ``name`` as reports show it
    (its name, else code, else ``#row``); ``code``, ``name_key`` and ``sub_key``
    (as matched); and a ``region:<level>`` column per level (white space runs one space)."""
    import polars as pl

    parts = []
    for i, check in enumerate(report.checks):
        recs = check.table.records.sort("_rec")
        parts.append(
            recs.select(
                pl.lit(i, pl.UInt32).alias("_part"),
                "_rec",
                pl.lit(check.source.path, pl.String).alias("source"),
                pl.lit(check.source.sheet, pl.String).alias("sheet"),
                pl.col("_row").alias("row"),
                "id",
                pl.coalesce(
                    pl.when(pl.col("name") != "").then("name"),
                    pl.when(pl.col("id") != "").then("id"),
                    pl.lit("#") + pl.col("_row").cast(pl.String),
                ).alias("name"),
                _norm("id").alias("code"),
                _norm("name").alias("name_key"),
                _norm("subdistrict").alias("sub_key"),
                *(
                    pl.col(lv.value)
                    .fill_null("")
                    .str.replace_all(r"\s+", " ")
                    .str.strip_chars(" ")
                    .alias(col)
                    for lv, col in zip(LEVELS, REGION, strict=True)
                ),
            )
        )
    schema = {
        "_part": pl.UInt32,
        "_rec": pl.UInt32,
        "source": pl.String,
        "sheet": pl.String,
        "row": pl.Int64,
        **dict.fromkeys(("id", "name", "code", "name_key", "sub_key", *REGION), pl.String),
    }
    if not parts:
        return pl.DataFrame(schema=schema)
    return pl.concat(parts).cast(schema)  # type: ignore[arg-type]


def match(
    baseline: pl.DataFrame, current: pl.DataFrame
) -> tuple[list[tuple[int | None, int | None, str]], list[str]]:
    """Pairs (baseline position, current position, matched_by) of the rows of two
    :func:`communities` frames: by code, then by name and sub-district. Baseline rows
    come in their order, then the current rows no baseline row took."""
    by_id: dict[str, list[int]] = {}
    by_name: dict[tuple[str, str], list[int]] = {}
    duplicates: list[str] = []
    columns = ("code", "name_key", "sub_key")
    for i, (code, name, sub) in enumerate(current.select(columns).iter_rows()):
        if code:
            if code in by_id:
                duplicates.append(code)
            by_id.setdefault(code, []).append(i)
        if name:
            by_name.setdefault((name, sub), []).append(i)
    taken: set[int] = set()

    def take(candidates: list[int] | None) -> int | None:
        for i in candidates or ():
            if i not in taken:
                taken.add(i)
                return i
        return None

    seen: set[str] = set()
    pairs: list[tuple[int | None, int | None, str]] = []
    for b, (code, name, sub) in enumerate(baseline.select(columns).iter_rows()):
        if code:
            if code in seen:
                duplicates.append(code)
            seen.add(code)
        hit = take(by_id.get(code)) if code else None
        how = "id"
        if hit is None:
            hit = take(by_name.get((name, sub)))
            how = "name"
        pairs.append((b, hit, how) if hit is not None else (b, None, ""))
    pairs += [(None, i, "") for i in range(current.height) if i not in taken]
    return pairs, sorted(set(duplicates))


def choose_levels(
    report: Report, found: pl.DataFrame, by: Level | str | None
) -> tuple[Level | None, tuple[Level, ...]]:
    """The level to group by and the levels of a region key, from the current
    snapshot ``report`` and its :func:`communities` ``found``."""
    present = present_levels(report)

    def distinct(level: Level) -> int:
        return found[f"region:{level.value}"].n_unique()

    if by is None:
        if not present:
            return None, ()
        level = next((lv for lv in present if distinct(lv) > 1), present[-1])
    else:
        try:
            level = Level(by)
        except ValueError:
            raise UsageError(
                "by_choice", value=repr(by), choices=", ".join(lv.value for lv in LEVELS)
            ) from None
        if level not in present:
            raise UsageError("by_no_column_current", level=str(level))
    coarser = [lv for lv in present if LEVELS.index(lv) < LEVELS.index(level)]
    return level, (*(lv for lv in coarser if distinct(lv) > 1), level)


def region_keys(found: pl.DataFrame, levels: Sequence[Level]) -> list[tuple[str, ...]]:
    """Each row's region key at ``levels``."""
    if not levels:
        return [()] * found.height
    return [tuple(r) for r in found.select([f"region:{lv.value}" for lv in levels]).iter_rows()]
