"""Read an .xlsx sheet in one pass: its data rows as raw columns, or its first rows as a grid.

Both come from one reading of the sheet's XML (:mod:`~compliance.reading.xlsx_cells`),
which bounds the sheet as it tokenises it, and one streaming of the shared
strings the kept cells use (:mod:`~compliance.reading.xlsx_values`). No
separate size check runs before, and no dense grid of the sheet is built.

The values keep the meanings the reader has always given them: in a numeric
column, clean numbers are numbers and every other cell is text for the cell
parser (a yes/no cell reads "True"/"False", an error value "#N/A", a date
"2007-12-20"); in a text column, numbers read as their shortest decimal text
and error values as empty.
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from typing import Any

import polars as pl

from compliance.errors import InputError
from compliance.reading import guards, xlsx_values, xlsx_xml
from compliance.reading.guards import Limits
from compliance.reading.raw import RawColumns
from compliance.reading.xlsx_cells import SheetCells, read_cells
from compliance.reading.xlsx_meanings import KIND
from compliance.reading.xlsx_tags import BadReference, TooLarge

_HEAD_BLOCK = 256 << 10
_TEXT = pl.lit("text", dtype=KIND)
_STYLE_ERRORS: tuple[type[Exception], ...] = (InputError, *guards.ZIP_ERRORS)


def _cells(
    zf: zipfile.ZipFile,
    member: str,
    limits: Limits,
    where: str,
    columns: Collection[int] | None,
    first_row: int = 0,
    stop_row: int | None = None,
) -> SheetCells:
    """The sheet's kept cells with their meanings (:data:`~.xlsx_meanings.TYPED`)."""
    unread: Exception | None = None
    try:
        # The styles are read up front (the tokeniser decides dates), but refused only
        # where a cell is kept, as when they were read after the cells.
        dates = xlsx_values.date_styles(zf)
    except _STYLE_ERRORS as exc:
        dates, unread = [], exc
    try:
        sheet = read_cells(
            zf,
            member,
            max_cells=limits.max_cells,
            columns=columns,
            first_row=first_row,
            stop_row=stop_row,
            # A head stops after its rows: small blocks inflate little past them.
            block=_HEAD_BLOCK if stop_row is not None else xlsx_xml.BLOCK,
            dates=dates,
        )
        if unread is not None and sheet.cells.height:
            raise unread
        return sheet
    except TooLarge as big:
        raise guards.too_many_cells(big.rows, big.cols, limits, where) from None
    except BadReference:
        raise InputError("sheet_bad_reference", where=where) from None
    except InputError as exc:
        raise InputError(exc.msg, where=where) from None
    except guards.ZIP_ERRORS as exc:
        raise InputError(
            "file_damaged_detail", detail=f"{type(exc).__name__}: {exc}", where=where
        ) from None


def _meanings(zf: zipfile.ZipFile, cells: pl.DataFrame, where: str) -> pl.DataFrame:
    try:
        return _typed(zf, cells, where)
    except InputError as exc:
        raise InputError(exc.msg, where=where) from None
    except guards.ZIP_ERRORS as exc:
        raise InputError(
            "file_damaged_detail", detail=f"{type(exc).__name__}: {exc}", where=where
        ) from None


def merged_ranges(
    zf: zipfile.ZipFile, member: str, where: str
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The sheet's merged ranges (``<mergeCell>`` after ``</sheetData>``), streamed."""
    from compliance.reading.sheet_tail import SheetTail

    tail = SheetTail()
    try:
        with zf.open(member) as fh:
            while block := fh.read(1 << 20):
                tail.feed(block)
    except guards.ZIP_ERRORS as exc:
        raise InputError(
            "file_damaged_detail", detail=f"{type(exc).__name__}: {exc}", where=where
        ) from None
    found = tail.result()
    return found[0] if found is not None else []


def _typed(zf: zipfile.ZipFile, typed: pl.DataFrame, where: str) -> pl.DataFrame:
    """The typed cells with their shared strings looked up and their texts unescaped:
    ``kind`` (num, text, bool, error, date, empty), ``num`` (numbers and date serials)
    and ``text`` (strings, unescaped)."""
    kind = pl.col("kind")
    # Texts as written (inline strings, values) are unescaped below; shared strings come
    # unescaped from their table and must not be unescaped twice ("R&amp;D" is "R&D").
    needs = typed.get_column("text").str.contains("&", literal=True).fill_null(False)
    si = typed.get_column("si")
    strings = int((typed.get_column("kind") == "s").sum())
    if strings:
        if si.len() - si.null_count() != strings:
            raise InputError("workbook_xml_damaged", detail="a shared-string index is not a number")
        # Every index is in the table: the strings placed at their indices (no more
        # places than the table has strings), then one gather.
        keys, values = xlsx_values.shared_string_texts(zf, si.drop_nulls())
        placed = pl.repeat(None, int(keys[-1]) + 1, dtype=pl.String, eager=True)
        found = placed.scatter(keys, values).gather(si.fill_null(0))
        typed = typed.with_columns(
            text=pl.when(kind == "s").then(found).otherwise(pl.col("text")),
            kind=pl.when(kind == "s").then(_TEXT).otherwise(kind),
        )
    # Only what the columns are built from.
    typed = typed.select("row", "col", "kind", "num", "text")
    if needs.any():
        at = needs.arg_true()
        fixed = [xlsx_xml.unescape(x) for x in typed.get_column("text").filter(needs).to_list()]
        typed = typed.with_columns(typed.get_column("text").scatter(at, fixed))
    return typed


def uncached_cells(cells: pl.DataFrame) -> frozenset[tuple[int, int]]:
    """(row, col) of formula cells saved with no value (text formulas may cache "")."""
    hit = cells.filter(pl.col("uncached"))
    return frozenset(zip(hit["row"].to_list(), hit["col"].to_list(), strict=True))


def load_columns(
    zf: zipfile.ZipFile,
    member: str,
    limits: Limits,
    where: str,
    start: int,
    numeric_cols: Collection[int],
    cols: Collection[int],
) -> tuple[RawColumns, frozenset[tuple[int, int]]]:
    """Rows ``start`` (0-based) to the end of a sheet, columns ``cols`` only, and the
    formula cells among them saved with no value."""
    sheet = _cells(zf, member, limits, where, cols, first_row=start)
    uncached = uncached_cells(sheet.cells)
    height = max(sheet.rows - start, 0)
    # Each step lets go of what the next no longer needs: at a million rows the cell
    # table, its meanings and the shown values are each about a gigabyte.
    typed = _meanings(zf, sheet.cells, where)
    del sheet
    out = RawColumns(height)
    numeric = sorted(set(numeric_cols))
    in_numeric = pl.col("col").is_in(numeric)
    kind, text = pl.col("kind"), pl.col("text")
    # One query over every column (a few per column cost more than the reading itself).
    dates = typed.filter(kind == "date")
    shown = typed.select(
        "col",
        i=(pl.col("row") - start).cast(pl.Int64),
        num=pl.when(in_numeric & (kind == "num")).then(pl.col("num")),
        text=pl.when(in_numeric)
        .then(
            pl.when(kind == "date")
            .then(
                xlsx_values.mapped(dates, "date", lambda v: xlsx_values.date_text(v, numeric=True))
            )
            .when(kind.is_in(["num", "empty"]) | (text == ""))
            .then(pl.lit(None, pl.String))
            .otherwise(text)
        )
        .when(kind == "num")
        .then(xlsx_values.shortest_text(typed.filter(~in_numeric)))
        .when(kind == "date")
        .then(xlsx_values.mapped(dates, "date", lambda v: xlsx_values.date_text(v, numeric=False)))
        .when(kind.is_in(["error", "empty"]) | (text == ""))
        .then(pl.lit(None, pl.String))
        .otherwise(text),
    )
    del typed, dates
    present = set(shown.get_column("col").unique().to_list())
    nums = _dense(shown.select("col", "i", "num").drop_nulls("num"), "num", height)
    shown = shown.drop("num").drop_nulls("text")
    texts = _dense(shown, "text", height)
    del shown
    for c in sorted(set(cols) & present):
        if c in numeric_cols:
            out.num[c] = nums[c] if c in nums else _nulls(height, pl.Float64)
        out.text[c] = texts[c] if c in texts else _nulls(height, pl.String)
    return out, uncached


#: Cells past which a column at a time costs less than one pivot of all of them.
_PIVOT_CELLS = 50_000


def _dense(cells: pl.DataFrame, value: str, height: int) -> dict[int, pl.Series]:
    """Per column, ``value`` at row ``i`` of ``height`` rows, null elsewhere (of two
    cells at one place, the later one): in one pivot for a small sheet, where each polars
    call's fixed cost counts, a column at a time for a large one."""
    if not cells.height:
        return {}
    if cells.height > _PIVOT_CELLS:
        dtype = cells.schema[value]
        parts = cells.partition_by("col", as_dict=True, maintain_order=True)
        del cells
        out = {}
        for k in list(parts):
            part = parts.pop(k)  # each part let go once its column is built
            out[int(k[0])] = _nulls(height, dtype).scatter(part["i"], part[value])
        return out
    key = pl.col("i") * (int(cells["col"].max()) + 1) + pl.col("col")  # type: ignore[arg-type]
    ordered = cells.select(key.diff().min()).item()
    if ordered is not None and ordered <= 0:  # out of order: maybe two cells at one place
        cells = cells.unique(["col", "i"], keep="last", maintain_order=True)
    wide = cells.select("i", "col", value).pivot(on="col", index="i", values=value)
    rows = pl.int_range(0, height, dtype=pl.Int64, eager=True).to_frame("i")
    full = rows.join(wide, on="i", how="left", maintain_order="left")
    return {int(n): full.get_column(n).alias("literal") for n in wide.columns if n != "i"}


def _nulls(height: int, dtype: pl.DataType | type[pl.DataType]) -> pl.Series:
    """A new all-null column (scatter writes into the series it is given)."""
    return pl.repeat(None, height, dtype=dtype, eager=True)


def load_rows(
    zf: zipfile.ZipFile,
    member: str,
    limits: Limits,
    where: str,
    stop_row: int | None = None,
) -> tuple[list[list[Any]], frozenset[tuple[int, int]]]:
    """The sheet's rows (all of them, or up to ``stop_row``) as Python values padded
    from A1, as calamine's grid gives them: numbers as floats, yes/no cells as
    bools, dates as dates (times of day as times), error values and empty cells as ""."""
    sheet = _cells(zf, member, limits, where, None, stop_row=stop_row)
    typed = _meanings(zf, sheet.cells, where)
    keep = typed.filter(~pl.col("kind").is_in(["empty", "error"]))
    if not keep.height:
        return [], uncached_cells(sheet.cells)
    height = int(keep["row"].max()) + 1  # type: ignore[arg-type]
    width = int(keep["col"].max()) + 1  # type: ignore[arg-type]
    if stop_row is not None:
        height = min(height, stop_row)
    rows: list[list[Any]] = [[""] * width for _ in range(height)]
    for r, c, kind, num, text in keep.select("row", "col", "kind", "num", "text").iter_rows():
        if r >= height:
            continue
        if kind == "num":
            rows[r][c] = num
        elif kind == "bool":
            rows[r][c] = text == "True"
        elif kind == "date":
            rows[r][c] = xlsx_values.grid_date(num)
        else:
            rows[r][c] = text if text is not None else ""
    return rows, uncached_cells(sheet.cells)
