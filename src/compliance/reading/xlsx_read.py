"""Read an .xlsx sheet in one pass: its kept cells a block at a time, or its first rows as a grid.

Both come from one reading of the sheet's XML (:mod:`~compliance.reading.xlsx_cells`),
which bounds the sheet as it tokenises it, and one streaming of the shared
strings the kept cells use (:mod:`~compliance.reading.xlsx_values`). No
separate size check runs before, and no dense grid of the sheet is built. The
data rows' columns are built from the blocks by :mod:`~compliance.reading.xlsx_columns`.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Collection, Iterator
from typing import Any

import polars as pl

from compliance.errors import InputError
from compliance.reading import guards, xlsx_values, xlsx_xml
from compliance.reading.guards import Limits
from compliance.reading.inflate import open_member
from compliance.reading.xlsx_cells import CellBlocks, SheetCells, concat
from compliance.reading.xlsx_meanings import KIND
from compliance.reading.xlsx_tags import BadReference, TooLarge

_HEAD_BLOCK = 256 << 10
_TEXT = pl.lit("text", dtype=KIND)
_STYLE_ERRORS: tuple[type[Exception], ...] = (InputError, *guards.ZIP_ERRORS)


def typed_blocks(
    zf: zipfile.ZipFile,
    member: str,
    limits: Limits,
    where: str,
    columns: Collection[int] | None,
    first_row: int = 0,
    stop_row: int | None = None,
) -> tuple[CellBlocks, Iterator[pl.DataFrame]]:
    """The sheet's kept cells with their meanings, a block at a time: the blocks (how far
    the sheet reaches, once read) and their frames, read with the reader's errors."""
    unread: Exception | None = None
    try:
        # The styles are read up front (the tokeniser decides dates), but refused only
        # where a cell is kept, as when they were read after the cells.
        dates = xlsx_values.date_styles(zf)
    except _STYLE_ERRORS as exc:
        dates, unread = [], exc
    blocks = CellBlocks(
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
    return blocks, _frames(blocks, unread, limits, where)


def _frames(
    blocks: CellBlocks, unread: Exception | None, limits: Limits, where: str
) -> Iterator[pl.DataFrame]:
    with translated(where, limits):
        kept = False
        for frame in blocks:
            kept = True
            yield frame
        if unread is not None and kept:
            raise unread


@contextlib.contextmanager
def translated(where: str, limits: Limits) -> Iterator[None]:
    """The reader's errors as the one-line errors a user reads (naming ``where``)."""
    try:
        yield
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
    from compliance.reading import sheet_tail

    try:
        with open_member(zf, member) as fh:
            return sheet_tail.merged_ranges(iter(lambda: fh.read(1 << 20), b""))
    except guards.ZIP_ERRORS as exc:
        raise InputError(
            "file_damaged_detail", detail=f"{type(exc).__name__}: {exc}", where=where
        ) from None


def _typed(zf: zipfile.ZipFile, typed: pl.DataFrame, where: str) -> pl.DataFrame:
    """The typed cells with their shared strings looked up and their texts unescaped:
    ``kind`` (num, text, bool, error, date, empty), ``num`` (numbers and date serials)
    and ``text`` (strings, unescaped)."""
    kind = pl.col("kind")
    # Texts as written (inline strings, values) are unescaped below; shared strings come
    # unescaped from their table and must not be unescaped twice ("R&amp;D" is "R&D").
    needs = typed.get_column("text").str.contains("&", literal=True).fill_null(False)
    check_indices(typed)
    if (typed.get_column("kind") == "s").any():
        typed = typed.with_columns(
            text=pl.when(kind == "s")
            .then(strings_at(zf, typed.get_column("si")))
            .otherwise(pl.col("text")),
            kind=pl.when(kind == "s").then(_TEXT).otherwise(kind),
        )
    # Only what the columns are built from.
    typed = typed.select("row", "col", "kind", "num", "text")
    return typed.with_columns(unescaped(typed.get_column("text"), needs))


def check_indices(typed: pl.DataFrame) -> None:
    """Refuse a shared-string cell whose index is not a number."""
    si = typed.get_column("si")
    strings = int((typed.get_column("kind") == "s").sum())
    if strings and si.len() - si.null_count() != strings:
        raise InputError("workbook_xml_damaged", detail="a shared-string index is not a number")


def strings_at(zf: zipfile.ZipFile, si: pl.Series) -> pl.Series:
    """The shared string at each index of ``si`` (any string where ``si`` is null)."""
    # Every index is in the table: the strings placed at their indices (no more places
    # than the table has strings), then one gather.
    keys, values = xlsx_values.shared_string_texts(zf, si.drop_nulls())
    if not keys.len():
        return pl.repeat(None, si.len(), dtype=pl.String, eager=True)
    placed = pl.repeat(None, int(keys[-1]) + 1, dtype=pl.String, eager=True)
    return placed.scatter(keys, values).gather(si.fill_null(0))


def unescaped(text: pl.Series, needs: pl.Series | None = None) -> pl.Series:
    """``text`` with the entities of its values unescaped (at ``needs``: those with "&")."""
    if needs is None:
        needs = text.str.contains("&", literal=True).fill_null(False)
    if not needs.any():
        return text
    fixed = [xlsx_xml.unescape(x) for x in text.filter(needs).to_list()]
    return text.scatter(needs.arg_true(), fixed)


def uncached_cells(cells: pl.DataFrame) -> frozenset[tuple[int, int]]:
    """(row, col) of formula cells saved with no value (text formulas may cache "")."""
    hit = cells.filter(pl.col("uncached"))
    return frozenset(zip(hit["row"].to_list(), hit["col"].to_list(), strict=True))


def load_rows(
    zf: zipfile.ZipFile,
    member: str,
    limits: Limits,
    where: str,
    stop_row: int | None = None,
) -> tuple[list[list[Any]], frozenset[tuple[int, int]], SheetCells | None]:
    """The sheet's rows (all of them, or up to ``stop_row``) as Python values padded
    from A1, as calamine's grid gives them: numbers as floats, yes/no cells as
    bools, dates as dates (times of day as times), error values and empty cells as "";
    the formula cells among them saved with no value; and, for a head of a small sheet,
    every cell of the sheet (:func:`whole_if_small`)."""
    sheet = whole_if_small(zf, member, limits, where) if stop_row is not None else None
    if sheet is None:
        head = concat(*typed_blocks(zf, member, limits, where, None, stop_row=stop_row))
    else:
        head = SheetCells(sheet.cells.filter(pl.col("row") < stop_row))
    typed = _meanings(zf, head.cells, where)
    keep = typed.filter(~pl.col("kind").is_in(["empty", "error"]))
    if not keep.height:
        return [], uncached_cells(head.cells), sheet
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
    return rows, uncached_cells(head.cells), sheet


def whole_if_small(
    zf: zipfile.ZipFile, member: str, limits: Limits, where: str
) -> SheetCells | None:
    """Every cell of a sheet whose XML fits in the one block a head is read from (a
    district's return of a few hundred rows), so that its data rows are not read again;
    None for a larger sheet, or one whose reading past its head fails: that is then
    read as always, its head first and its data rows later, with their errors."""
    if zf.getinfo(member).file_size > _HEAD_BLOCK:
        return None
    try:
        return concat(*typed_blocks(zf, member, limits, where, None))
    except InputError:
        return None
