"""The data rows of an .xlsx sheet as raw columns, built a block of cells at a time.

Each block of kept cells (:func:`~compliance.reading.xlsx_read.typed_blocks`) is
turned into its values as the columns show them and written into dense slices of
its rows, then let go: memory follows the columns and one block, not every cell
of the sheet at once (a million rows held a cell table, its meanings and the
shown values of about a gigabyte each). The last row of a block may go on in the
next one, so it is carried over. Rows come in order in the files people write; a
sheet whose rows go back past a block already written is read again as one block.

The values keep the meanings the reader has always given them: in a numeric
column, clean numbers are numbers and every other cell is text for the cell
parser (a yes/no cell reads "True"/"False", an error value "#N/A", a date
"2007-12-20"); in a text column, numbers read as their shortest decimal text
and error values as empty. Shared strings are looked up once, at the end, for
every column; the errors a sheet's values raise come after those of its reading,
in the order they always came.
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection, Iterable, Iterator

import polars as pl

from compliance.errors import InputError
from compliance.reading import xlsx_read, xlsx_values
from compliance.reading.guards import Limits
from compliance.reading.raw import RawColumns
from compliance.reading.xlsx_cells import concat

#: Cells past which a column at a time costs less than one pivot of all of them.
_PIVOT_CELLS = 50_000
_VALUES = {"num": pl.Float64, "text": pl.String, "si": pl.UInt64}


class _Unordered(Exception):
    """A block's rows go back past rows already written."""


def load_columns(
    zf: zipfile.ZipFile,
    member: str,
    limits: Limits,
    where: str,
    start: int,
    numeric_cols: Collection[int],
    cols: Collection[int],
    *,
    whole: bool = False,
) -> tuple[RawColumns, frozenset[tuple[int, int]]]:
    """Rows ``start`` (0-based) to the end of a sheet, columns ``cols`` only, and the
    formula cells among them saved with no value. With ``whole``, the sheet's cells are
    taken as one block (rows in any order); without, a block at a time, and the sheet is
    read again whole if its rows go back."""
    numeric = sorted(set(numeric_cols))
    blocks, frames = xlsx_read.typed_blocks(zf, member, limits, where, cols, first_row=start)
    if whole:
        frames = iter([concat(blocks, frames).cells])
    dense = _Dense()
    uncached: set[tuple[int, int]] = set()
    # A block's values may be refused; the refusal waits for the reading, whose errors
    # come first, and the shared strings' (a sheet's values were once read whole).
    refused: dict[str, InputError] = {}
    try:
        for done in _rows_in_order(frames):
            hit = done.filter(pl.col("uncached"))
            uncached.update(zip(hit["row"].to_list(), hit["col"].to_list(), strict=True))
            try:
                xlsx_read.check_indices(done)
            except InputError as exc:
                refused.setdefault("indices", exc)
            try:
                # Shared strings, still indices here, are unescaped in their table.
                done = done.with_columns(xlsx_read.unescaped(done.get_column("text")))
            except InputError as exc:
                refused.setdefault("texts", exc)
            dense.add(_shown(done, numeric, start))
    except _Unordered:
        return load_columns(zf, member, limits, where, start, numeric_cols, cols, whole=True)
    height = max(blocks.rows - start, 0)
    with xlsx_read.translated(where, limits):
        if "indices" in refused:
            raise refused["indices"]
        texts = dense.texts(zf, height)
        if "texts" in refused:
            raise refused["texts"]
    out = RawColumns(height)
    for c in sorted(set(cols) & dense.present):
        if c in numeric_cols:
            out.num[c] = dense.column("num", c, height)
        out.text[c] = texts[c] if c in texts else _nulls(height, pl.String)
    return out, frozenset(uncached)


def _rows_in_order(frames: Iterable[pl.DataFrame]) -> Iterator[pl.DataFrame]:
    """The blocks' cells, each block without its last row, which is carried into the
    next (a row may go on there); raises :class:`_Unordered` for rows that go back."""
    carry: pl.DataFrame | None = None
    last = -1
    for frame in frames:
        if carry is not None:
            frame = pl.concat([carry, frame], rechunk=False)
        row = frame.get_column("row")
        if int(row.min()) < last:  # type: ignore[arg-type]
            raise _Unordered
        last = int(row.max())  # type: ignore[arg-type]
        if row.is_sorted():  # as rows are written: the last row is the block's end
            cut = int(row.search_sorted(last, side="left"))
            carry, done = frame.slice(cut), frame.slice(0, cut)
        else:
            at_last = row == last
            carry, done = frame.filter(at_last), frame.filter(~at_last)
        if done.height:
            yield done
    if carry is not None:
        yield carry


def _shown(typed: pl.DataFrame, numeric: list[int], start: int) -> pl.DataFrame:
    """Each cell's place (column, data row ``i``), its number (numeric columns) and its
    text as the columns show them, or its shared string's index ``si``."""
    kind, text, num, numeric_col = pl.col("kind"), pl.col("text"), pl.col("num"), pl.col("_in")
    # Each cell's text is the first of these that it has: as written (not for numbers,
    # dates and shared strings; error values in numeric columns only), a date's or a
    # number's text. Dates and numbers are given as columns null elsewhere, so that only
    # those cells are formatted (every branch is worked out for every cell).
    masked = typed.with_columns(_in=pl.col("col").is_in(numeric)).with_columns(
        _date_n=pl.when((kind == "date") & numeric_col).then(num),
        _date_t=pl.when((kind == "date") & ~numeric_col).then(num),
        _number=pl.when((kind == "num") & ~numeric_col).then(num),
    )
    written = kind.is_in(["text", "bool"]) | ((kind == "error") & numeric_col)

    def date(numeric: bool) -> pl.Expr:
        column = "_date_n" if numeric else "_date_t"
        return xlsx_values.mapped(
            masked.get_column(column),
            lambda v: xlsx_values.date_text(v, numeric=numeric),
            column,
        )

    return masked.select(
        "col",
        i=(pl.col("row") - start).cast(pl.Int64),
        num=pl.when(numeric_col & (kind == "num")).then(num),
        text=pl.coalesce(
            pl.when(written & (text != "")).then(text),
            date(True),
            date(False),
            xlsx_values.shortest_text(masked.get_column("_number"), "_number"),
        ),
        si=pl.when(kind == "s").then(pl.col("si")),
    )


class _Dense:
    """Per column, the slices of its values written so far, by first data row."""

    def __init__(self) -> None:
        self.present: set[int] = set()
        self._slices: dict[tuple[str, int], list[tuple[int, pl.Series]]] = {}

    def add(self, shown: pl.DataFrame) -> None:
        """A block's shown values (rows in any order, of two cells at one place the later)."""
        if not shown.height:
            return
        self.present.update(shown.get_column("col").unique().to_list())
        first = int(shown.get_column("i").min())  # type: ignore[arg-type]
        height = int(shown.get_column("i").max()) + 1 - first  # type: ignore[arg-type]
        shown = shown.with_columns(pl.col("i") - first)
        for value in _VALUES:
            for c, series in _dense(
                shown.select("col", "i", value).drop_nulls(value), value, height
            ).items():
                self._slices.setdefault((value, c), []).append((first, series))

    def column(self, value: str, c: int, height: int) -> pl.Series:
        """Column ``c``'s ``value`` over ``height`` rows (null where nothing was written)."""
        dtype = _VALUES[value]
        parts: list[pl.Series] = []
        at = 0
        for first, series in self._slices.pop((value, c), []):
            if first > at:
                parts.append(_nulls(first - at, dtype))
            parts.append(series)
            at = first + series.len()
        if at < height:
            parts.append(_nulls(height - at, dtype))
        if len(parts) == 1:
            return parts[0].alias("literal")
        return pl.concat(parts).alias("literal")

    def texts(self, zf: zipfile.ZipFile, height: int) -> dict[int, pl.Series]:
        """Per column with any text, its texts, shared strings looked up (all columns'
        indices in one reading of the table)."""
        cols = sorted({c for value, c in self._slices if value in ("text", "si")})
        indices = {c: self.column("si", c, height) for c in cols if ("si", c) in self._slices}
        found = {c: self.column("text", c, height) for c in cols}
        if indices:
            both = pl.concat(list(indices.values()))
            strings = xlsx_read.strings_at(zf, both)
            for k, (c, si) in enumerate(indices.items()):
                s = strings.slice(k * height, height)
                found[c] = pl.select(
                    pl.when(si.is_not_null())
                    .then(pl.when(s != "").then(s))
                    .otherwise(found[c])
                    .alias("literal")
                ).to_series()
        return found


def _dense(cells: pl.DataFrame, value: str, height: int) -> dict[int, pl.Series]:
    """Per column, ``value`` at row ``i`` of ``height`` rows, null elsewhere (of two
    cells at one place, the later one): in one pivot for a small block, where each polars
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
