"""Which data rows are communities: row masks over the raw columns.

Rows that are not communities are left out and counted: blank spacers,
合计/小计 subtotals, and notes or other rows with neither a community name nor
figures. Each test is a boolean column; only the few rows that have no
figures are looked at one by one (to tell a note from a blank row).

Duplicate policy: the first row with a community id (or, without ids, the
first row with a name within the same sub-district, district or city) is
checked; a later row with the same key is reported as a ``duplicate`` data
problem that names the first row, and is not checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl

from compliance.catalogue import Catalogue
from compliance.reading import cells
from compliance.reading.raw import RawColumns

_SUBTOTAL = re.compile(
    r"^(合\s*计|小\s*计|总\s*计|共\s*计|累\s*计|全市|全区|全县|全省)|(合计|小计|总计)$|"
    r"^(sub)?totals?$",
    re.IGNORECASE,
)
_NOTE = re.compile(
    r"^(注|说明|备注|填表|制表|审核|负责人|联系|单位负责人|统计负责人|数据来源|note)", re.IGNORECASE
)
#: Region columns from finest to coarsest, for the duplicate-name key.
_REGIONS = ("subdistrict", "district", "city")
_LABELS = ("name", "id", "subdistrict", "district", "city")


@dataclass(frozen=True, slots=True)
class RowSort:
    """The rows kept, and those left out (row indices within the data rows)."""

    kept: list[int]
    subtotals: list[tuple[int, int]]  # (row, column of its label)
    blank: int
    others: list[tuple[int, int]]  # (row, its first non-empty column)


#: What every text naming a subtotal row holds (one of them).
_MAYBE_SUBTOTAL = ["计", "全", "total"]


def _truthy(raw: RawColumns, col: int) -> pl.Expr:
    """A cell that counts as a figure or a name (zero and empty text do not)."""
    text = pl.lit(raw.text_of(col))
    out = text.is_not_null() & (text != "")
    if col in raw.num:
        num = pl.lit(raw.num[col])
        out = out | (num.is_not_null() & (num != 0.0))
    return out


def _subtotal_column(raw: RawColumns, label_cols: list[int]) -> pl.Series:
    """Per row, the first of ``label_cols`` (in that order) whose text names a subtotal row.

    The label columns are looked at end to end in one native pass (one expression per
    column cost seconds on a sheet 65,000 columns wide); only the distinct texts that
    may name a subtotal reach the regular expression.
    """
    n = raw.height
    cols = [c for c in label_cols if c in raw.text and raw.text[c].null_count() < n]
    if not cols:
        return pl.Series(values=[None] * n, dtype=pl.Int64)
    every = pl.concat([raw.text[c] for c in cols])
    # One native look (a substring search, no hashing of every text) rules out most texts.
    texts = (
        every.filter(every.str.contains_any(_MAYBE_SUBTOTAL, ascii_case_insensitive=True))
        .unique()
        .to_list()
    )
    hits = [v for v in texts if _SUBTOTAL.search("".join(v.split()))]
    if not hits:
        return pl.Series(values=[None] * n, dtype=pl.Int64)
    grid = every.is_in(hits).fill_null(False).to_numpy().reshape(len(cols), n)
    first = grid.argmax(axis=0)
    label = np.where(grid.any(axis=0), np.asarray(cols)[first], -1)
    return pl.Series(values=label, dtype=pl.Int64).replace(-1, None)


def sort_rows(raw: RawColumns, mapping: Mapping[str, int], cat: Catalogue) -> RowSort:
    """Tell communities from subtotal, blank and note rows."""
    n = raw.height
    if n == 0:
        return RowSort([], [], 0, [])
    numeric = [mapping[f] for f in mapping if cat[f].is_numeric]
    identity = [mapping[f] for f in ("name", "id") if f in mapping]
    label_cols = [mapping[f] for f in _LABELS if f in mapping]
    first_numeric = min(numeric, default=0)
    label_cols += [c for c in range(first_numeric) if c not in label_cols]
    false = pl.repeat(False, n, eager=False)
    figs = pl.any_horizontal([_truthy(raw, c) for c in numeric]) if numeric else false
    named = pl.any_horizontal([_truthy(raw, c) for c in identity]) if identity else false
    sub = _subtotal_column(raw, label_cols)
    cols = sorted(set(raw.text) | set(raw.num))
    blank = pl.lit(pl.Series(values=~raw.filled(), dtype=pl.Boolean))
    if raw.blank_before_fill:
        blank = blank | pl.int_range(n).is_in(list(raw.blank_before_fill))
    frame = pl.select(figs=figs, named=named, blank=blank, sub=pl.lit(sub)).with_row_index("i")
    if sub.null_count() == n and frame["figs"].all():
        return RowSort(list(range(n)), [], 0, [])
    subtotals = [
        (i, c) for i, c in frame.filter(pl.col("sub").is_not_null()).select("i", "sub").iter_rows()
    ]
    rest = frame.filter(pl.col("sub").is_null())
    kept_mask = rest["figs"]
    blank_rows = rest.filter(~pl.col("figs") & pl.col("blank")).height
    look = rest.filter(~pl.col("figs") & ~pl.col("blank"))
    others: list[tuple[int, int]] = []
    kept_extra: set[int] = set()
    for i, is_named in look.select("i", "named").iter_rows():
        first_col, first_text = _first_filled(raw, cols, i)
        if not is_named or _NOTE.match(first_text):
            others.append((i, first_col))
        else:
            kept_extra.add(i)
    kept = rest.filter(kept_mask | pl.col("i").is_in(list(kept_extra)))["i"].to_list()
    return RowSort(kept, subtotals, blank_rows, others)


def _first_filled(raw: RawColumns, cols: list[int], i: int) -> tuple[int, str]:
    for c in cols:
        num = raw.num[c][i] if c in raw.num else None
        if num is not None:
            return c, cells.clean_text(num)
        text = raw.text_of(c)[i]
        if text is not None and not cells.is_blank(text):
            return c, cells.clean_text(text)
    return 0, ""


def duplicates(
    kept: list[int], values: Mapping[str, pl.Series]
) -> tuple[list[int], list[tuple[int, int, str, str]], str]:
    """Kept rows without the repeats; (row, first row, key field, key text) per repeat; the key."""
    if "id" in values:
        key_fields = ["id"]
        label = "id"
    elif "name" in values:
        region = next((f for f in _REGIONS if f in values), None)
        key_fields = [region, "name"] if region else ["name"]
        label = f"{region} + name" if region else "name"
    else:
        return kept, [], ""
    idx = pl.Series("i", kept, dtype=pl.UInt32)
    keys = pl.DataFrame({f"k{j}": values[f].gather(idx) for j, f in enumerate(key_fields)})
    last = f"k{len(key_fields) - 1}"
    frame = keys.with_columns(idx).filter(pl.col(last).is_not_null())
    if frame.select(pl.struct(keys.columns).is_unique().all()).item():
        return kept, [], label
    frame = frame.with_columns(first=pl.col("i").first().over(keys.columns))
    repeats = frame.filter(pl.col("i") != pl.col("first"))
    dups = []
    for row in repeats.iter_rows(named=True):
        shown = " / ".join(str(row[k]) for k in keys.columns if row[k] is not None)
        dups.append((row["i"], row["first"], key_fields[-1], shown))
    drop = set(repeats["i"].to_list())
    return [i for i in kept if i not in drop], dups, label
