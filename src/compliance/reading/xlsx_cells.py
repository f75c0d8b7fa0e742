"""Tokenise an .xlsx worksheet into a table of its cells, bounding the sheet as it goes.

This is the only reading of a worksheet's XML: the size limit is applied to
the same tokens that become cells, so no guard can count one thing while a
parser builds another. Each block of text (:mod:`~compliance.reading.xlsx_xml`)
is split at ``<c `` with polars' string kernels, and every piece must match one
anchored pattern of a plain cell (``r``, ``s``, ``t`` attributes in double
quotes, an optional formula, a ``<v>`` value or a plain inline string, then
row tags). A block in which any piece does not is tokenised tag by tag in
Python instead (:mod:`~compliance.reading.xlsx_tags`), the way an XML parser reads it: quoted attributes (with ``>``
inside), prefixed names, rich-text inline strings, and ``<row>``/``<c>``
without ``r`` (placed as calamine places them: a cell without ``r`` follows the
previous cell of its row, a row without ``r`` follows the previous row, and
empty ``<c/>``/``<row/>`` elements take no place).

Every cell reference is checked against the limit when it is tokenised,
before anything is kept for it. Only the cells of the wanted columns are kept
(as text: position, type, style, value); the others are only counted.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from collections.abc import Collection, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from compliance.reading import xlsx_native, xlsx_xml
from compliance.reading.prefetch import prefetched
from compliance.reading.xlsx_meanings import TYPED, date_mask, typed_block
from compliance.reading.xlsx_tags import (
    SCHEMA,
    BadReference,
    CellState,
    check,
    column_number,
    general_block,
)

_ROW_TAG = r'\s*(?:</row>|<row r="[0-9]{1,7}"(?: [\w:.-]{1,40}="[^"<>]*")*>)'
#: One plain cell after the "<c " it was split at: ref letters, ref digits, style, type,
#: "/" of an empty cell, formula, value, inline text (twice), and the row tags after it.
_PLAIN = (
    r'^r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]{1,9})")?(?: t="([a-zA-Z]{1,12})")?'
    r"(?:(/)>|>(<f>[^<]*</f>|<f/>|<f [^<>]*/>|<f [^<>]*>[^<]*</f>)?"
    r"(?:<v>([^<]*)</v>|<v/>|<is><t>([^<]*)</t></is>"
    r'|<is><t xml:space="preserve">([^<]*)</t></is>)?</c>)'
    rf"((?:{_ROW_TAG})*)\s*$"
)
_PLAIN_ATTRS = r'^r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]{1,9})")?(?: t="([a-zA-Z]{1,12})")?'
_PLAIN_MATCH = re.sub(r"\((?!\?)", "(?:", _PLAIN)
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_PLAIN_HEAD = re.compile(rf"^(?:{_ROW_TAG})*\s*$")
_ROW_R = re.compile(r'<row r="([0-9]+)"')
_SHEET_DATA = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?sheetData(?:\s+[^\s=<>/\"']+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*\s*(/?)>"
)
_SHEET_DATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>")
#: Blocks shorter than this are tokenised tag by tag.
_SMALL = 16 << 10


@dataclass(slots=True)
class SheetCells:
    """The kept cells of a sheet, and how far all of its cells reach."""

    cells: pl.DataFrame
    #: 1-based: the furthest row and column of any cell (kept or only counted).
    rows: int = 0
    cols: int = 0
    #: Whether the whole sheet was read (False when a row bound stopped the read).
    complete: bool = True
    merged_refs: list[str] = field(default_factory=list)


class CellBlocks:
    """The kept cells of a worksheet part, a block at a time (iterate once), and how far
    all of its cells reach once they are read.

    The cells are those in ``columns`` (0-based; None: all), rows ``first_row``
    (0-based) up to ``stop_row`` (excluded; None: to the end): as written
    (:data:`SCHEMA`), or, given the date styles ``dates``, their meanings
    (:data:`~compliance.reading.xlsx_meanings.TYPED`). Iterating raises
    :class:`TooLarge` as soon as a cell lies past ``max_cells`` (every cell counts,
    kept or not) and :class:`BadReference` for a malformed reference.
    """

    def __init__(
        self,
        zf: zipfile.ZipFile,
        member: str,
        *,
        max_cells: int,
        columns: Collection[int] | None = None,
        first_row: int = 0,
        stop_row: int | None = None,
        block: int = xlsx_xml.BLOCK,
        dates: list[str] | None = None,
    ) -> None:
        self._zf, self._member, self._block = zf, member, block
        self._max_cells = max_cells
        self._wanted = None if columns is None else sorted(set(columns))
        self._first_row, self._stop_row = first_row, stop_row
        self.dates = dates
        #: 1-based: the furthest row and column of any cell (kept or only counted).
        self.rows = 0
        self.cols = 0
        #: Whether the whole sheet was read (False when a row bound stopped the read).
        self.complete = True

    def __iter__(self) -> Iterator[pl.DataFrame]:
        state = CellState()
        stop_row, dates = self._stop_row, self.dates
        keep = pl.col("row") >= self._first_row
        if stop_row is not None:
            keep &= pl.col("row") < stop_row
        if self._wanted is not None:
            keep &= pl.col("col").is_in(self._wanted)
        kept = 0
        lib = xlsx_native.library() if xlsx_native.enabled() else None
        with contextlib.ExitStack() as stack:
            native = None
            if lib is not None:
                native = stack.enter_context(
                    xlsx_native.Scanner(
                        lib,
                        max_cells=self._max_cells,
                        columns=self._wanted,
                        first_row=self._first_row,
                        stop_row=stop_row,
                        dates=None if dates is None else date_mask(dates),
                    )
                )
            texts = _sheet_data(self._zf, self._member, self._block)
            # A whole sheet of more than one block: its next block is inflated while this
            # one is tokenised.
            one = self._zf.getinfo(self._member).file_size <= self._block
            for text in texts if stop_row is not None or one else prefetched(texts):
                # The native tokeniser keeps only the wanted cells; a block it leaves (None)
                # is read here. A small block costs less tag by tag than through polars.
                frame = None if native is None else native.block(text, state)
                if frame is None:
                    frame = (
                        None
                        if len(text) < _SMALL
                        else _plain_block(text, state, self._max_cells, keep)
                    )
                    if frame is None:
                        frame = general_block(text, state, self._max_cells)
                    frame = frame.filter(keep)
                    if dates is not None:
                        frame = typed_block(frame, dates)
                self.rows, self.cols = state.max_row, state.max_col
                if frame.height:
                    kept += frame.height
                    yield frame
                if stop_row is not None and state.row >= stop_row and state.max_row >= stop_row:
                    self.complete = False
                    break
        if native is not None and kept > _SMALL:
            xlsx_native.release()  # only after a large read: a trim walks the whole heap


def read_cells(zf: zipfile.ZipFile, member: str, **options: Any) -> SheetCells:
    """The kept cells of a worksheet part in one table (``options`` as
    :class:`CellBlocks` takes them)."""
    return concat(CellBlocks(zf, member, **options))


def concat(blocks: CellBlocks, read: Iterable[pl.DataFrame] | None = None) -> SheetCells:
    """All the blocks' cells (as ``read`` gives them, if given) in one table."""
    frames = list(blocks if read is None else read)
    if frames:
        cells = pl.concat(frames, rechunk=False)
        frames.clear()
    else:
        cells = pl.DataFrame(schema=SCHEMA if blocks.dates is None else TYPED)
    return SheetCells(cells, blocks.rows, blocks.cols, blocks.complete)


def _sheet_data(zf: zipfile.ZipFile, member: str, block: int) -> Generator[bytes, None, None]:
    """The text between ``<sheetData>`` and ``</sheetData>``, in blocks."""
    inside = False
    for text in xlsx_xml.text_blocks(zf, member, block=block):
        if not inside:
            m = _SHEET_DATA.search(text)
            if m is None:
                continue  # before the sheet data (a cut never falls inside its tag)
            if m.group(1):
                return  # <sheetData/>
            inside = True
            text = text[m.end() :]
        end = _SHEET_DATA_END.search(text) if b"sheetData" in text else None
        if end is not None:
            if end.start():
                yield text[: end.start()]
            return
        if text:
            yield text


def _plain_block(
    data: bytes, state: CellState, max_cells: int, keep: pl.Expr
) -> pl.DataFrame | None:
    """The block's kept cells when every piece is a plain cell, else None (nothing changed).

    The whole pattern is only matched (a DFA, no captures); the fields are then
    taken from the proven shape with short anchored patterns and literal searches,
    which cost a fraction of one pattern with many groups.
    """
    pieces = xlsx_xml.as_text(data).str.split("<c ").explode()
    first = pieces[0]
    if not _PLAIN_HEAD.match(first):
        return None
    pieces = pieces.slice(1)
    if pieces.len() == 0:
        if _ROW_R.search(first) or "</row>" in first:
            return None  # rows without cells: the state is the general path's to follow
        return pl.DataFrame(schema=SCHEMA)
    if not pieces.str.contains(_PLAIN_MATCH).all():
        return None
    head = pieces.str.extract_groups(_PLAIN_ATTRS).struct.unnest()
    letters = head.get_column("1")
    row = head.get_column("2").cast(pl.Int64)
    if (row == 0).any():
        raise BadReference
    distinct = letters.unique().to_list()
    col = letters.replace_strict(
        distinct, [column_number(x) for x in distinct], return_dtype=pl.Int64
    )
    gt = pieces.str.find(">", literal=True)
    frame = pl.DataFrame(
        {
            "row": row - 1,
            "col": col - 1,
            "t": head.get_column("4"),
            "s": head.get_column("3"),
            "_piece": pieces,
            "_gt": gt,
        }
    )
    # An empty <c .../> takes no place (as calamine reads it) and is not counted.
    full = frame.filter(pl.col("_piece").str.slice(pl.col("_gt") - 1, 1) != "/")
    if full.height:
        check(state, int(full["row"].max()) + 1, int(full["col"].max()) + 1, max_cells)  # type: ignore[arg-type]
    # Where a following cell without r would go: after the last row end, or after this cell.
    last = pieces[-1]
    tail = last[last.rfind("</c>") + 4 :] if "</c>" in last else ""
    if "</row>" in tail:
        rows = _ROW_R.findall(tail[tail.rfind("</row>") :])
        state.row = int(rows[-1]) - 1 if rows else int(row[-1])
        state.col = 0
    else:
        state.row, state.col = int(row[-1]) - 1, int(col[-1])
    kept = full.with_columns(pl.col("row").cast(pl.UInt32), pl.col("col").cast(pl.UInt32)).filter(
        keep
    )
    if not kept.height:
        return pl.DataFrame(schema=SCHEMA)
    piece = pl.col("_piece")
    inline = (pl.col("t") == "inlineStr").fill_null(False)
    return kept.select(
        "row",
        "col",
        "t",
        "s",
        f=piece.str.slice(pl.col("_gt") + 1, 2) == "<f",
        v=pl.when(~inline).then(piece.str.extract(r"<v>([^<]*)</v>", 1)),
        inline=pl.when(inline).then(piece.str.extract(r"<t(?: [^>]*)?>([^<]*)</t>", 1)),
    )
