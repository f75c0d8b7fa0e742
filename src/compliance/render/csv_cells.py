"""Cells of the CSV reports: figures as numbers, codes Excel keeps as text,
formula-like text made inert, and rows (or text columns) written after a BOM.

See :mod:`compliance.render.csv` for why codes are written as ``="…"``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from compliance.render.safety import FORMULA_START, csv_value

if TYPE_CHECKING:
    from typing import TextIO

    import polars as pl

#: Excel takes a UTF-8 file for the local code page (GBK in China) unless it starts with a BOM.
BOM = "\ufeff"


def number(x: float | None) -> float | int | str:
    """A figure for a CSV cell: 350 rather than 350.0, "" for none."""
    if x is None:
        return ""
    return int(x) if float(x).is_integer() else x


class TextCode(str):
    """A code made only of digits, written so that Excel and WPS keep it as text."""

    __slots__ = ()

    @property
    def cell(self) -> str:
        return f'="{self}"'


DIGITS = re.compile(r"[0-9]+")


def code_cell(value: object) -> object:
    """A community code for the wide layout: digits as :class:`TextCode`; anything
    else as given (and then through the injection guard)."""
    text = "" if value is None else str(value)
    return TextCode(text) if DIGITS.fullmatch(text) else text


def inert(v: object) -> object:
    return v.cell if isinstance(v, TextCode) else csv_value(v)


def write_rows(out: TextIO, rows: Iterable[Iterable[Any]], *, bom: bool = True) -> None:
    """Write rows as CSV (after a BOM unless ``bom`` is false), with formula-like
    text made inert."""
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([inert(v) for v in row])


def inert_column(series: pl.Series) -> pl.Series:
    """Each value of a text column as :func:`write_rows` writes it (made inert)."""
    import polars as pl

    if series.dtype != pl.String:  # worked out once per distinct value
        named = {v: str(inert(v)) for v in series.unique().to_list() if v is not None}
        return series.replace_strict(named, default=None, return_dtype=pl.String)
    x = pl.col(series.name)
    guarded = pl.when(x.str.contains(FORMULA_START)).then(pl.lit("'") + x).otherwise(x)
    return series.to_frame().select(guarded).to_series()


def code_column(series: pl.Series) -> pl.Series:
    """A text column of community codes as :func:`code_cell` and :func:`inert` write
    them: digits as ``="…"``, anything else made inert."""
    import polars as pl

    x = pl.col(series.name)
    code = pl.lit('="') + x + pl.lit('"')
    guarded = (
        pl.when(x.str.contains(r"^[0-9]+$"))
        .then(code)
        .when(x.str.contains(FORMULA_START))
        .then(pl.lit("'") + x)
        .otherwise(x)
    )
    return series.to_frame().select(guarded).to_series()


def figure_column(series: pl.Series) -> pl.Series:
    """A figure column as :func:`number` writes it: whole numbers without ".0"."""
    import polars as pl

    x = series.cast(pl.Float64)
    whole = x.is_finite() & (x == x.floor()) & (x.abs() < 2.0**53)
    ints = pl.select(pl.when(whole).then(x.cast(pl.Int64, strict=False))).to_series()
    fractions = x.filter(x.is_not_null() & ~whole.fill_null(False)).unique().to_list()
    texts = {v: str(number(v)) for v in fractions}
    other = x.replace_strict(texts, default=None, return_dtype=pl.String)
    return pl.select(pl.coalesce(ints.cast(pl.String), other)).to_series()


def write_frame(out: TextIO, frame: pl.DataFrame) -> None:
    """Write text columns as CSV rows, quoted as :func:`write_rows` quotes them."""
    for at in range(0, frame.height, 50_000):
        text = frame.slice(at, 50_000).write_csv(
            include_header=False, line_terminator="\r\n", quote_style="necessary"
        )
        out.write(text)
