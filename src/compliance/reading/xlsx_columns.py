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

import numpy as np
import polars as pl

from compliance.errors import InputError
from compliance.reading import xlsx_read, xlsx_values
from compliance.reading.guards import Limits
from compliance.reading.raw import RawColumns
from compliance.reading.xlsx_cells import CellBlocks, SheetCells, concat

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
    read: SheetCells | None = None,
) -> tuple[RawColumns, frozenset[tuple[int, int]]]:
    """Rows ``start`` (0-based) to the end of a sheet, columns ``cols`` only, and the
    formula cells among them saved with no value. With ``whole``, the sheet's cells are
    taken as one block (rows in any order); without, a block at a time, and the sheet is
    read again whole if its rows go back. ``read``: every cell of the sheet, already
    read (:func:`~compliance.reading.xlsx_read.whole_if_small`)."""
    numeric = sorted(set(numeric_cols))
    blocks: CellBlocks | SheetCells
    if read is not None:
        keep = (pl.col("row") >= start) & pl.col("col").is_in(sorted(set(cols)))
        kept = read.cells.filter(keep)
        blocks, frames = read, iter([kept] if kept.height else [])
    else:
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
            if done.get_column("uncached").any():
                uncached |= xlsx_read.uncached_cells(done)
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
    """The blocks' cells, each block but the last without its last row, which is carried
    into the next (a row may go on there); raises :class:`_Unordered` for rows that go back."""
    carry: pl.DataFrame | None = None
    last = -1
    ahead = iter(frames)
    frame = next(ahead, None)
    while frame is not None:
        following = next(ahead, None)
        if carry is not None:
            frame = pl.concat([carry, frame], rechunk=False)
            carry = None
        row = frame.get_column("row")
        if int(row.min()) < last:  # type: ignore[arg-type]
            raise _Unordered
        last = int(row.max())  # type: ignore[arg-type]
        done = frame
        if following is not None:  # the last block has no row to carry
            if row.is_sorted():  # as rows are written: the last row is the block's end
                cut = int(row.search_sorted(last, side="left"))
                carry, done = frame.slice(cut), frame.slice(0, cut)
            else:
                at_last = row == last
                carry, done = frame.filter(at_last), frame.filter(~at_last)
        if done.height:
            yield done
        frame = following


def _shown(typed: pl.DataFrame, numeric: list[int], start: int) -> pl.DataFrame:
    """Each cell's place (column, data row ``i``), its number (numeric columns) and its
    text as the columns show them, or its shared string's index ``si``."""
    kind, num = pl.col("kind"), pl.col("num")
    in_numeric = pl.col("col").is_in(numeric)
    # A cell's text is one of these, by its kind: as written (not for numbers, dates and
    # shared strings; error values in numeric columns only), a date's or a number's text.
    # Dates and numbers are given as columns null elsewhere, and only the cells that have
    # one are formatted and placed (a sheet's text columns hold few of them).
    written = kind.is_in(["text", "bool"]) | ((kind == "error") & in_numeric)
    shown = typed.select(
        "col",
        i=(pl.col("row") - start).cast(pl.Int64),
        num=pl.when(in_numeric & (kind == "num")).then(num),
        text=pl.when(written & (pl.col("text") != "")).then(pl.col("text")),
        si=pl.when(kind == "s").then(pl.col("si")),
        _date_n=pl.when((kind == "date") & in_numeric).then(num),
        _date_t=pl.when((kind == "date") & ~in_numeric).then(num),
        _number=pl.when((kind == "num") & ~in_numeric).then(num),
    )
    text = shown.get_column("text")
    for column, show in (
        ("_date_n", lambda v: xlsx_values.date_text(v, numeric=True)),
        ("_date_t", lambda v: xlsx_values.date_text(v, numeric=False)),
        ("_number", None),
    ):
        values = shown.get_column(column)
        if values.null_count() == values.len():
            continue
        at = values.is_not_null()
        some = values.filter(at).to_frame(column)
        expr = (
            xlsx_values.shortest_text(some.get_column(column), column)
            if show is None
            else xlsx_values.mapped(some.get_column(column), show, column)
        )
        text = text.scatter(at.arg_true(), some.select(expr).to_series())
    return shown.select("col", "i", "num", "si").with_columns(text=text)


class _Dense:
    """Per column, the slices of its values written so far, by first data row."""

    def __init__(self) -> None:
        self.present: set[int] = set()
        self._slices: dict[tuple[str, int], list[tuple[int, pl.Series]]] = {}

    def add(self, shown: pl.DataFrame) -> None:
        """A block's shown values (rows in any order, of two cells at one place the later)."""
        if not shown.height:
            return
        for part in shown.partition_by("col", maintain_order=True):
            c = int(part.get_column("col")[0])
            self.present.add(c)
            for value in _VALUES:
                values = part.get_column(value)
                if values.null_count() < values.len():
                    at, dense = _dense(part.get_column("i"), values)
                    self._slices.setdefault((value, c), []).append((at, dense))

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
            # A shared string's text where the cell has one (an empty one is no text), in
            # one query for every column.
            parts = pl.DataFrame(
                {
                    **{f"s{c}": strings.slice(k * height, height) for k, c in enumerate(indices)},
                    **{f"i{c}": si for c, si in indices.items()},
                    **{f"t{c}": found[c] for c in indices},
                }
            )
            done = parts.select(
                pl.when(pl.col(f"i{c}").is_not_null())
                .then(pl.when(pl.col(f"s{c}") != "").then(pl.col(f"s{c}")))
                .otherwise(pl.col(f"t{c}"))
                .alias(str(c))
                for c in indices
            )
            found.update({c: done.get_column(str(c)).alias("literal") for c in indices})
        return found


def _dense(i: pl.Series, values: pl.Series) -> tuple[int, pl.Series]:
    """The first row of ``values`` placed at the rows ``i`` (null between them; of two
    values at one row, the later), and the values so placed. Rows written in order, each
    once and with no gap, are already in place; that is every column of most sheets."""
    rows = i.to_numpy()
    first, last = int(rows.min()), int(rows.max())
    steps = np.diff(rows)
    if bool((steps > 0).all()):
        if last - first + 1 == len(rows):
            return first, values.alias("literal")
    else:  # out of order, or two cells at one place: the later non-null value counts
        kept = (
            pl.DataFrame({"i": i, "v": values})
            .drop_nulls("v")
            .unique("i", keep="last", maintain_order=True)
        )
        rows, values = kept.get_column("i").to_numpy(), kept.get_column("v")
        first = int(rows.min())
        last = int(rows.max())
    placed = _nulls(last - first + 1, values.dtype)
    return first, placed.scatter(rows - first, values).alias("literal")


def _nulls(height: int, dtype: pl.DataType | type[pl.DataType]) -> pl.Series:
    """A new all-null column (scatter writes into the series it is given)."""
    return pl.Series("literal", [None], dtype=dtype).new_from_index(0, height)
