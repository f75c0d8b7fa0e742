"""A table the caller already holds (polars, pandas, Arrow) as a :class:`SheetFrame`.

Columns are matched by field id ("households") or by a header the catalogue
recognises ("户数"). Each distinct cell value goes through the same cell parsers
as a workbook's (text numbers, units, yes/no flags), once; a value they refuse
becomes empty with a data problem naming its row and column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from compliance.catalogue import Catalogue, default_catalogue
from compliance.model import DataProblem, SourceInfo
from compliance.reading import cells
from compliance.reading.frame import ROW, SheetFrame


def as_polars(table: Any) -> pl.DataFrame:
    """A polars DataFrame from polars, pandas or anything Arrow."""
    if isinstance(table, pl.DataFrame):
        return table
    if isinstance(table, pl.LazyFrame):
        return table.collect()
    if type(table).__module__.startswith("pandas"):
        return pl.from_pandas(table)
    try:
        out = pl.from_arrow(table)
    except (TypeError, ValueError):
        out = pl.DataFrame(table)
    if isinstance(out, pl.Series):
        return out.to_frame()
    return out


def _parser(ftype: str) -> Callable[[Any], tuple[Any, str | None]]:
    if ftype in ("integer", "number"):
        return cells.parse_number
    if ftype == "flag":

        def flag(v: Any) -> tuple[Any, str | None]:
            value, code = cells.parse_flag(v)
            return (None if value is None else float(value)), code

        return flag
    return cells.parse_text


def sheet_from_table(
    table: Any, *, name: str = "<frame>", catalogue: Catalogue | None = None
) -> SheetFrame:
    """``table`` as the engine's input: one row per community, rows numbered from 1."""
    cat = catalogue or default_catalogue()
    df = as_polars(table)
    mapped: dict[str, str] = {}
    unmatched: list[str] = []
    for col in df.columns:
        fid = col if col in cat else cat.match(col)
        if fid is None or fid in mapped:
            unmatched.append(str(col))
        else:
            mapped[fid] = col
    out: dict[str, pl.Series] = {ROW: pl.Series(ROW, range(1, df.height + 1), dtype=pl.Int64)}
    problems: list[DataProblem] = []
    for fid, col in mapped.items():
        ftype = cat[fid].type
        numeric = ftype in ("integer", "number", "flag")
        series = df[col]
        parse = _parser(ftype)
        distinct = series.drop_nulls().unique(maintain_order=True).to_list()
        parsed = {v: parse(v) for v in distinct}
        values = {v: p[0] for v, p in parsed.items()}
        dtype = pl.Float64 if numeric else pl.String
        key = series if series.dtype != pl.Object else series.cast(pl.String)
        out[fid] = key.replace_strict(
            list(values), list(values.values()), default=None, return_dtype=dtype
        ).alias(fid)
        bad = {v for v, (_, code) in parsed.items() if code not in (None, cells.EMPTY)}
        if bad:
            rows = pl.DataFrame({"v": key}).with_row_index("i").filter(pl.col("v").is_in(list(bad)))
            for i, v in rows.iter_rows():
                code = parsed[v][1]
                assert code is not None
                raw = cells.raw_text(v)
                zh, en = cells.message(code, raw=raw)
                problems.append(DataProblem(code, f"{col}[{i + 1}]", zh, en, fid, raw, i + 1))
    problems.sort(key=lambda p: p.row or 0)
    source = SourceInfo(
        path=name,
        sha256="",
        format="frame",
        sheet="",
        header_rows=(),
        columns={fid: ("", str(col)) for fid, col in mapped.items()},
        unmatched_headers=tuple(unmatched),
    )
    return SheetFrame(source, pl.DataFrame(out), tuple(problems))
