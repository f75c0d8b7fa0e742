"""A table the caller already holds (polars, pandas, Arrow) as a :class:`SheetFrame`.

Columns are matched by field id ("households") or by a header the catalogue
recognises ("户数"), and parsed by the workbook reader's own column parser
(:func:`~compliance.reading.values.parse_fields`: text numbers, units, yes/no
flags, negative or fractional counts); a value it refuses becomes empty with a
data problem naming its row and column. A monthly pay column stands in for the
annual one, multiplied by 12, with the same note as for a sheet.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from compliance.catalogue import Catalogue, default_catalogue
from compliance.model import DataProblem, SourceInfo
from compliance.reading import cells
from compliance.reading.build import Notes, annualise_plan
from compliance.reading.frame import ROW, SheetFrame
from compliance.reading.header import Header
from compliance.reading.raw import RawColumns, _as_text, _number
from compliance.reading.values import parse_fields


def as_polars(table: Any) -> pl.DataFrame:
    """A polars DataFrame from polars, pandas or anything Arrow."""
    if isinstance(table, pl.DataFrame):
        return table
    if isinstance(table, pl.LazyFrame):
        return table.collect()
    if type(table).__module__.startswith("pandas"):
        try:
            return pl.from_pandas(table)
        except (TypeError, ValueError, ArithmeticError):
            # A column mixing numbers and text ("2,001户" under 100), as a sheet's do:
            # keep each such column's values as they are, to be parsed cell by cell.
            return pl.DataFrame([_pandas_column(table[c], str(c)) for c in table.columns])
    try:
        out = pl.from_arrow(table)
    except (TypeError, ValueError):
        out = pl.DataFrame(table)
    if isinstance(out, pl.Series):
        return out.to_frame()
    return out


def _pandas_column(column: Any, name: str) -> pl.Series:
    try:
        series = pl.from_pandas(column)
        assert isinstance(series, pl.Series)
        return series.alias(name)
    except (TypeError, ValueError, ArithmeticError):
        values = [None if _is_missing(v) else v for v in column.tolist()]
        return pl.Series(name, values, dtype=pl.Object)


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def _raw_column(series: pl.Series, numeric: bool) -> tuple[pl.Series | None, pl.Series]:
    """A table column as a sheet's raw column: (clean numbers or None, the other cells as
    text), so that its cells are parsed exactly as a workbook's are."""
    if series.dtype.is_float():
        # pandas writes a missing number as NaN: it is an empty cell, not a value.
        series = series.fill_nan(None)
    if series.dtype.is_numeric() and numeric:
        empty = pl.Series(values=[None] * series.len(), dtype=pl.String)
        return series.cast(pl.Float64), empty
    if series.dtype == pl.String:
        return None, series.replace("", None)
    values = series.to_list()
    nums = [_number(v) if numeric else None for v in values]
    texts = [None if n is not None else _as_text(v) for n, v in zip(nums, values, strict=True)]
    num = pl.Series(values=nums, dtype=pl.Float64) if numeric else None
    return num, pl.Series(values=texts, dtype=pl.String)


def sheet_from_table(
    table: Any, *, name: str = "<frame>", catalogue: Catalogue | None = None
) -> SheetFrame:
    """``table`` as the engine's input: one row per community, rows numbered from 1.
    Columns are read as a sheet's are: the same header matching, cell parsing and
    problems, and a monthly pay column annualised with the same note."""
    cat = catalogue or default_catalogue()
    df = as_polars(table)
    mapped: dict[str, tuple[int, str]] = {}
    unmatched: list[str] = []
    for i, col in enumerate(df.columns):
        fid = col if col in cat else cat.match(col)
        if fid is None or fid in mapped:
            unmatched.append(str(col))
        else:
            mapped[fid] = (i, str(col))
    raw = RawColumns(df.height)
    for fid, (i, _) in mapped.items():
        num, text = _raw_column(df.to_series(i), cat[fid].is_numeric)
        if num is not None:
            raw.num[i] = num
        raw.text[i] = text
    notes: Notes = []
    plan = annualise_plan(Header((), mapped, tuple(unmatched)), cat, notes, letters=False)
    values, found = parse_fields(raw, {f: i for f, (i, _) in mapped.items()}, cat, (), 0)
    derived: dict[str, str] = {}
    for src, into, factor in plan:
        values[into] = (values[src] * factor).alias(into)
        derived[into] = f"{src} × {factor:g}"
    problems: list[DataProblem] = []
    for fid, probs in found.items():
        col = mapped[fid][1]
        for i, code, shown in probs:
            zh, en = cells.message(code, raw=shown)
            problems.append(DataProblem(code, f"{col}[{i + 1}]", zh, en, fid, shown, i + 1))
    problems.sort(key=lambda p: p.row or 0)
    source = SourceInfo(
        path=name,
        sha256="",
        format="frame",
        sheet="",
        header_rows=(),
        columns={fid: ("", col) for fid, (_, col) in mapped.items()},
        unmatched_headers=tuple(unmatched),
        notes_zh=tuple(zh for zh, _ in notes),
        notes_en=tuple(en for _, en in notes),
    )
    rows = pl.Series(ROW, range(1, df.height + 1), dtype=pl.Int64)
    return SheetFrame(source, pl.DataFrame([rows, *values.values()]), tuple(problems), derived)
