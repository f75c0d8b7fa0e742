"""Parse raw columns into field values, column by column, with polars.

A numeric column's clean numbers are checked as a whole (negative, not
finite, implausibly large, not whole where a count is expected). Its other
cells, and every cell of a text or yes/no column, are parsed by
:mod:`~compliance.reading.cells` once per distinct value, and the results are
mapped back onto the column.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

import polars as pl

from compliance.catalogue import Catalogue
from compliance.reading import cells
from compliance.reading.columns import _all_clean
from compliance.reading.raw import RawColumns

#: (row index within the data rows, problem code, the cell's text)
Problems = list[tuple[int, str, str]]


def parse_fields(
    raw: RawColumns,
    mapping: Mapping[str, int],
    cat: Catalogue,
    uncached: Collection[tuple[int, int]],
    start: int,
) -> tuple[dict[str, pl.Series], dict[str, Problems]]:
    """Values (Float64 for numeric and yes/no fields, String for text) and problems per field."""
    values: dict[str, pl.Series] = {}
    problems: dict[str, Problems] = {}
    for fid, col in mapping.items():
        blank = sorted(r - start for (r, c) in uncached if c == col and r >= start)
        ftype = cat[fid].type
        if ftype in ("integer", "number"):
            v, p = _numbers(raw.num_of(col), raw.text_of(col), whole=ftype == "integer")
        elif ftype == "flag":
            v, p = _repeated(raw.text_of(col), cells.parse_flag, pl.Float64)
        else:
            v, p = _repeated(raw.text_of(col), cells.parse_text, pl.String)
        if blank:
            p = _uncached(v, p, blank)
        values[fid] = v.alias(fid)
        problems[fid] = p
    return values, problems


def _numbers(num: pl.Series, text: pl.Series, *, whole: bool) -> tuple[pl.Series, Problems]:
    residue = text.drop_nulls().unique().to_list()
    parsed = {t: cells.parse_number(t) for t in residue}
    keys = list(parsed)
    frame = pl.DataFrame({"num": num, "text": text})
    n = pl.col("num")
    native_code = (
        pl.when(n.is_nan())
        .then(pl.lit(cells.NOT_A_NUMBER))
        .when(~n.is_finite() | (n.abs() > cells.MAX_PLAUSIBLE))
        .then(pl.lit(cells.OUT_OF_RANGE))
        .when(n < 0)
        .then(pl.lit(cells.NEGATIVE))
    )
    t = pl.col("text")
    res_value = t.replace_strict(
        keys, [parsed[k][0] for k in keys], default=None, return_dtype=pl.Float64
    )
    res_code = t.replace_strict(
        keys, [parsed[k][1] for k in keys], default=None, return_dtype=pl.String
    )
    out = frame.select(
        value=pl.when(n.is_not_null())
        .then(pl.when(native_code.is_null()).then(n))
        .otherwise(res_value),
        code=pl.when(n.is_not_null()).then(native_code).otherwise(res_code),
    )
    if whole:
        v = pl.col("value")
        out = out.with_columns(
            code=pl.when(pl.col("code").is_null() & (v.is_not_null()) & (v % 1.0 != 0.0))
            .then(pl.lit(cells.NOT_WHOLE))
            .otherwise(pl.col("code"))
        )
    value = out.to_series(0)
    bad = (
        pl.concat([out, frame], how="horizontal")
        .with_row_index("i")
        .filter(pl.col("code").is_not_null() & (pl.col("code") != cells.EMPTY))
    )
    problems: Problems = [
        (i, code, cells.raw_text(txt if txt is not None else _shown(num_v)))
        for i, code, num_v, txt in bad.select("i", "code", "num", "text").iter_rows()
    ]
    return value, problems


def _shown(v: float) -> str | float:
    # 1e+30 rather than its 31 digits; an ordinary number as the cell shows it.
    return f"{v:.6g}" if abs(v) > cells.MAX_PLAUSIBLE else v


def _repeated(
    text: pl.Series, parse: Callable[[Any], tuple[Any, str | None]], dtype: Any
) -> tuple[pl.Series, Problems]:
    distinct = text.drop_nulls().unique().to_list()
    if parse is cells.parse_text and _all_clean(distinct):
        return text, []
    parsed = {v: parse(v) for v in distinct}
    keys = list(parsed)
    mapped = [parsed[k][0] for k in keys]
    if dtype == pl.Float64:
        mapped = [None if m is None else float(m) for m in mapped]
    value = text.replace_strict(keys, mapped, default=None, return_dtype=dtype)
    bad = {k: c for k, (_, c) in parsed.items() if c is not None and c != cells.EMPTY}
    if not bad:
        return value, []
    hits = text.to_frame("t").with_row_index("i").filter(pl.col("t").is_in(list(bad))).iter_rows()
    return value, [(i, bad[t], cells.raw_text(t)) for i, t in hits]


def _uncached(value: pl.Series, problems: Problems, rows: list[int]) -> Problems:
    """Formula cells saved without a value read as empty: say so."""
    had = {i for i, _, _ in problems}
    nulls = value.gather([r for r in rows if r < value.len()]).is_null().to_list()
    extra = [
        (r, cells.FORMULA_NOT_COMPUTED, "")
        for r, is_null in zip(rows, nulls, strict=False)
        if is_null and r not in had
    ]
    return sorted(problems + extra) if extra else problems
