"""What an .xlsx cell's ``t``, ``s``, ``v`` and inline text mean: its kind, number and text.

The rules are calamine's: ``t="s"`` is a shared-string index, ``t="inlineStr"`` an
inline string, ``t="b"`` a yes/no cell, ``t="e"`` an error value (``#N/A``), a
number whose style is a date format is a date, any other value that is not a
number is text, and a formula saved with no value reads as empty (and is noted:
``uncached``). The native tokeniser decides the same meanings as it reads a cell
(``src/native/typed.rs``); :func:`typed_block` decides them with polars for the
cells it leaves.
"""

from __future__ import annotations

import polars as pl

#: A cell's kind, one byte a cell (a string column of kinds cost 16 bytes a cell, in
#: every branch of the expressions that compute it). The order is the native codes'.
KIND = pl.Enum(["empty", "s", "text", "bool", "error", "date", "num"])
_K = {k: pl.lit(k, dtype=KIND) for k in KIND.categories}
#: The typed cells: shared strings (kind "s") are still indices ``si``.
TYPED: dict[str, pl.DataType] = {
    "row": pl.UInt32(),
    "col": pl.UInt32(),
    "kind": KIND,
    "num": pl.Float64(),
    "text": pl.String(),
    "si": pl.UInt64(),
    "uncached": pl.Boolean(),
}
_KINDS = pl.Series(KIND.categories, dtype=KIND)


def _expressions() -> tuple[pl.Expr, pl.Expr, pl.Expr, pl.Expr, pl.Expr]:
    """A cell's kind, number, text, shared-string index and whether it is a formula saved
    with no value (built once: building them cost more than running them on a small sheet)."""
    t, v = pl.col("t"), pl.col("v")
    number = v.cast(pl.Float64, strict=False)
    blank = v.is_null() | (v == "")
    kind = (
        pl.when(t == "s")
        .then(pl.when(v.str.strip_chars() == "").then(_K["empty"]).otherwise(_K["s"]))
        .when(t == "inlineStr")
        .then(_K["text"])
        .when(t == "b")
        .then(pl.when(blank).then(_K["empty"]).otherwise(_K["bool"]))
        .when(t == "e")
        .then(pl.when(blank).then(_K["empty"]).otherwise(_K["error"]))
        .when((t.is_null() | (t == "n")) & number.is_not_null())
        .then(pl.when(pl.col("_date")).then(_K["date"]).otherwise(_K["num"]))
        .when(blank)
        .then(_K["empty"])
        .otherwise(_K["text"])
    )
    k = pl.col("kind")
    text = (
        pl.when(t == "inlineStr")
        .then(pl.col("inline").fill_null(""))
        .when(k.is_in(["text", "error"]))
        .then(v)
        .when(k == "bool")
        .then(pl.when(v == "0").then(pl.lit("False")).otherwise(pl.lit("True")))
    )
    index = pl.when(k == "s").then(v.str.strip_chars().cast(pl.UInt64, strict=False))
    uncached = pl.col("f") & blank & (t.is_null() | (t != "str"))
    return kind, number, text, index, uncached


_KIND, _NUMBER, _TEXT, _INDEX, _UNCACHED = _expressions()


def typed_block(cells: pl.DataFrame, dates: list[str]) -> pl.DataFrame:
    """The meanings (:data:`TYPED`) of cells as written (``xlsx_tags.SCHEMA``), given the
    style indices (as written in ``s="…"``) that are date styles."""
    return (
        cells.lazy()
        .with_columns(_date=pl.col("s").is_in(dates))
        .with_columns(kind=_KIND, num=_NUMBER)
        .select(
            "row",
            "col",
            "kind",
            "num",
            text=_TEXT,
            si=_INDEX,
            uncached=_UNCACHED.fill_null(False),
        )
        .collect()
    )


def from_codes(native: pl.DataFrame) -> pl.DataFrame:
    """The native tokeniser's typed cells (kind as a byte code) as :data:`TYPED`."""
    return native.with_columns(kind=_KINDS.gather(native.get_column("kind")))


def date_mask(dates: list[str]) -> bytes:
    """The date styles as one byte per style index (1: a date), for the native tokeniser."""
    indices = [int(d) for d in dates]
    mask = bytearray(max(indices, default=-1) + 1)
    for i in indices:
        mask[i] = 1
    return bytes(mask)
