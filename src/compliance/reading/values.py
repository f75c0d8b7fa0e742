"""Parse raw columns into field values with polars.

The numeric columns' clean numbers are checked as whole columns (negative, not
finite, implausibly large, not whole where a count is expected), all of a sheet's
numeric columns in one query. Their other cells, and every cell of a text or
yes/no column, are parsed by :mod:`~compliance.reading.cells` once per distinct
value, and the results are mapped back onto the columns.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

import numpy as np
import polars as pl

from compliance.catalogue import Catalogue
from compliance.reading import cells
from compliance.reading.columns import _all_clean
from compliance.reading.raw import RawColumns

#: (row index within the data rows, problem code, the cell's text)
Problems = list[tuple[int, str, str]]
#: Cells of numeric columns parsed in one query (past it, a few columns at a time).
_STACKED = 4_000_000


def parse_fields(
    raw: RawColumns,
    mapping: Mapping[str, int],
    cat: Catalogue,
    uncached: Collection[tuple[int, int]],
    start: int,
) -> tuple[dict[str, pl.Series], dict[str, Problems]]:
    """Values (Float64 for numeric and yes/no fields, String for text) and problems per field.

    The numeric columns of the sheet are parsed by one polars query (a sheet's fixed cost
    is per sheet, not per column; on a long sheet, by one query per few columns): the
    clean numbers are checked as whole columns, and the other cells' distinct texts, taken
    across the columns, are parsed once each."""
    values: dict[str, pl.Series] = {}
    problems: dict[str, Problems] = {}
    numeric = [f for f in mapping if cat[f].type in ("integer", "number")]
    whole = {f for f in numeric if cat[f].type == "integer"}
    # A few columns at a time on a long sheet: the columns stacked end to end are a
    # copy of them (a million rows of 14 columns: 350 MB at once).
    per = max(1, _STACKED // max(raw.height, 1))
    for at in range(0, len(numeric), per):
        group = numeric[at : at + per]
        found = _numbers(raw, {f: mapping[f] for f in group}, whole)
        for fid in group:
            values[fid], problems[fid] = found[fid]
    for fid, col in mapping.items():
        if fid in values:
            continue
        if cat[fid].type == "flag":
            v, p = _repeated(raw.text_of(col), cells.parse_flag, pl.Float64)
        else:
            v, p = _repeated(raw.text_of(col), cells.parse_text, pl.String)
        values[fid], problems[fid] = v.alias(fid), p
    for fid, col in mapping.items():
        blank = sorted(r - start for (r, c) in uncached if c == col and r >= start)
        if blank:
            problems[fid] = _uncached(values[fid], problems[fid], blank)
    return {f: values[f] for f in mapping}, {f: problems[f] for f in mapping}


def _numbers(
    raw: RawColumns, columns: Mapping[str, int], whole: Collection[str]
) -> dict[str, tuple[pl.Series, Problems]]:
    """Values and problems of the numeric fields, all in one query over the columns
    stacked end to end (the query is the same whatever the number of columns). The
    cells held as text are parsed once per distinct text and placed where they are."""
    names = list(columns)
    height = raw.height
    frame = pl.DataFrame(
        {
            "n": pl.concat([raw.num_of(columns[f]) for f in names]),
            "t": pl.concat([raw.text_of(columns[f]) for f in names]),
            "whole": pl.Series([f in whole for f in names]).gather(
                np.repeat(np.arange(len(names)), height)
            ),
        }
    )
    # The cells held as text, each distinct text parsed once.
    texts = frame.get_column("n").is_null() & frame.get_column("t").is_not_null()
    at = texts.arg_true()
    written = frame.get_column("t").gather(at)
    parsed = {x: cells.parse_number(x) for x in distinct_texts(written)}
    keys = list(parsed)
    # Codes as an enum (a small integer a cell), turned into text only where a cell has one.
    named = {cells.NOT_A_NUMBER, cells.OUT_OF_RANGE, cells.NEGATIVE, cells.NOT_WHOLE, cells.EMPTY}
    codes = pl.Enum(sorted(named | {c for _, c in parsed.values() if c is not None}))
    n = pl.col("n")
    native_code = (
        pl.when(n.is_nan())
        .then(pl.lit(cells.NOT_A_NUMBER, codes))
        .when(~n.is_finite() | (n.abs() > cells.MAX_PLAUSIBLE))
        .then(pl.lit(cells.OUT_OF_RANGE, codes))
        .when(n < 0)
        .then(pl.lit(cells.NEGATIVE, codes))
    )
    out = frame.select(
        "n",
        "t",
        "whole",
        value=pl.when(native_code.is_null()).then(n),
        code=native_code,
    )
    del frame
    values, code_of = out.get_column("value"), out.get_column("code")
    out = out.select("n", "t", "whole")  # the values and codes are then placed into, not copied
    if keys:
        values = values.scatter(
            at,
            written.replace_strict(
                keys, [v for v, _ in parsed.values()], default=None, return_dtype=pl.Float64
            ),
        )
        code_of = code_of.scatter(
            at,
            written.replace_strict(
                keys, [c for _, c in parsed.values()], default=None, return_dtype=codes
            ),
        )
    value, code = pl.col("value"), pl.col("code")
    code = (
        pl.when(code.is_null() & pl.col("whole") & (value % 1.0 != 0.0))
        .then(pl.lit(cells.NOT_WHOLE, codes))
        .otherwise(code)
    )
    bad = (
        out.lazy()
        .with_columns(values, code_of)
        .with_row_index("at")
        .select("at", "n", "t", code=code)
        .filter(pl.col("code").is_not_null() & (pl.col("code") != cells.EMPTY))
        .with_columns(pl.col("code").cast(pl.String))
        .collect(engine="in-memory")
    )
    found: dict[str, tuple[pl.Series, Problems]] = {
        fid: (values.slice(k * height, height).alias(fid), []) for k, fid in enumerate(names)
    }
    for at_k, code_k, num_v, txt in bad.select("at", "code", "n", "t").iter_rows():
        k, i = divmod(at_k, height)
        found[names[k]][1].append(
            (i, code_k, cells.raw_text(txt if txt is not None else _shown(num_v)))
        )
    return found


#: Values up to which a column's distinct texts are found in Python: two queries cost
#: a small sheet's column more than the set does.
_SMALL = 10_000


def distinct_texts(text: pl.Series) -> list[str]:
    """The distinct non-null texts of ``text``, in no particular order."""
    if text.len() <= _SMALL:
        return list({v for v in text.to_list() if v is not None})
    return text.drop_nulls().unique().to_list()


def _shown(v: float) -> str | float:
    # 1e+30 rather than its 31 digits; an ordinary number as the cell shows it.
    return f"{v:.6g}" if abs(v) > cells.MAX_PLAUSIBLE else v


def _repeated(
    text: pl.Series, parse: Callable[[Any], tuple[Any, str | None]], dtype: Any
) -> tuple[pl.Series, Problems]:
    distinct = distinct_texts(text)
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
