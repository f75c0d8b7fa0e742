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


def _filled(raw: RawColumns, col: int) -> pl.Expr:
    """A cell that is not blank (a number, or text that is not only spaces)."""
    text = pl.lit(raw.text_of(col))
    has_text = text.is_not_null() & (text.str.strip_chars() != "")
    if col in raw.num:
        return has_text | pl.lit(raw.num[col]).is_not_null()
    return has_text


def _truthy(raw: RawColumns, col: int) -> pl.Expr:
    """A cell that counts as a figure or a name (zero and empty text do not)."""
    text = pl.lit(raw.text_of(col))
    out = text.is_not_null() & (text != "")
    if col in raw.num:
        num = pl.lit(raw.num[col])
        out = out | (num.is_not_null() & (num != 0.0))
    return out


def _subtotal_hits(text: pl.Series) -> list[str]:
    """The distinct texts of a label column that name a subtotal row."""
    distinct = text.drop_nulls().unique()
    # One native look at the distinct texts rules out most of them.
    texts = distinct.filter(distinct.str.contains("计|全|otal|OTAL")).to_list()
    return [v for v in texts if _SUBTOTAL.search("".join(v.split()))]


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
    sub_col: list[pl.Expr] = []
    for c in label_cols:
        hits = _subtotal_hits(raw.text_of(c))
        if hits:
            sub_col.append(pl.when(pl.lit(raw.text_of(c)).is_in(hits)).then(pl.lit(c)))
    cols = sorted(set(raw.text) | set(raw.num))
    blank = ~pl.any_horizontal([_filled(raw, c) for c in cols]) if cols else ~false
    if raw.blank_before_fill:
        blank = blank | pl.int_range(n).is_in(list(raw.blank_before_fill))
    frame = pl.select(
        figs=figs,
        named=named,
        blank=blank,
        sub=pl.coalesce(sub_col) if sub_col else pl.repeat(None, n, dtype=pl.Int64),
    ).with_row_index("i")
    if not sub_col and frame["figs"].all():
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
