"""Tokenise an .xlsx worksheet into a table of its cells, bounding the sheet as it goes.

This is the only reading of a worksheet's XML: the size limit is applied to
the same tokens that become cells, so no guard can count one thing while a
parser builds another. Each block of text (:mod:`~compliance.reading.xlsx_xml`)
is split at ``<c `` with polars' string kernels, and every piece must match one
anchored pattern of a plain cell (``r``, ``s``, ``t`` attributes in double
quotes, an optional formula, a ``<v>`` value or a plain inline string, then
row tags). A block in which any piece does not is tokenised tag by tag in
Python instead, the way an XML parser reads it: quoted attributes (with ``>``
inside), prefixed names, rich-text inline strings, and ``<row>``/``<c>``
without ``r`` (placed as calamine places them: a cell without ``r`` follows the
previous cell of its row, a row without ``r`` follows the previous row, and
empty ``<c/>``/``<row/>`` elements take no place).

Every cell reference is checked against the limit when it is tokenised,
before anything is kept for it. Only the cells of the wanted columns are kept
(as text: position, type, style, value); the others are only counted.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

import polars as pl

from compliance.reading import xlsx_xml
from compliance.reading.xlsx_xml import damaged

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
_TAG = re.compile(
    r"<(/?)(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)"
    r"((?:\s+[^\s=<>/\"']+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*)\s*(/?)>"
)
_ATTR = re.compile(r"([^\s=<>/\"']+)\s*=\s*(?:\"([^\"<]*)\"|'([^'<]*)')")
_REF = re.compile(r"([A-Z]{1,3})?([0-9]{1,7})")

#: Blocks shorter than this are tokenised tag by tag.
_SMALL = 16 << 10

#: The columns of a cell table.
SCHEMA = {
    "row": pl.UInt32,
    "col": pl.UInt32,
    "t": pl.String,
    "s": pl.String,
    "f": pl.Boolean,
    "v": pl.String,
    "inline": pl.String,
}


class TooLarge(Exception):
    """The sheet's cells reach past the limit (rows × columns, counted from A1)."""

    def __init__(self, rows: int, cols: int) -> None:
        super().__init__(rows, cols)
        self.rows = rows
        self.cols = cols


class BadReference(Exception):
    """A cell or row reference that is not one."""


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


@dataclass(slots=True)
class _State:
    """Where a cell without ``r`` goes (calamine's rule), carried from block to block."""

    row: int = 0
    col: int = 0
    max_row: int = 0
    max_col: int = 0


def column_number(letters: str) -> int:
    """'A' -> 1, 'Z' -> 26, 'AA' -> 27."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def read_cells(
    zf: zipfile.ZipFile,
    member: str,
    *,
    max_cells: int,
    columns: Collection[int] | None = None,
    first_row: int = 0,
    stop_row: int | None = None,
    block: int = xlsx_xml.BLOCK,
) -> SheetCells:
    """The cells of a worksheet part in ``columns`` (0-based; None: all), rows
    ``first_row`` (0-based) up to ``stop_row`` (excluded; None: to the end).

    Raises :class:`TooLarge` as soon as a cell lies past ``max_cells`` (every
    cell counts, kept or not) and :class:`BadReference` for a malformed reference.
    """
    state = _State()
    wanted = None if columns is None else sorted(set(columns))
    frames: list[pl.DataFrame] = []
    complete = True
    keep = pl.col("row") >= first_row
    if stop_row is not None:
        keep &= pl.col("row") < stop_row
    if wanted is not None:
        keep &= pl.col("col").is_in(wanted)
    for text in _sheet_data(zf, member, block):
        # A small block costs less tag by tag than through polars' fixed cost per call.
        frame = None if len(text) < _SMALL else _plain_block(text, state, max_cells, keep)
        if frame is None:
            frame = _general_block(text, state, max_cells)
        if frame.height:
            frames.append(frame.filter(keep))
        if stop_row is not None and state.row >= stop_row and state.max_row >= stop_row:
            complete = False
            break
    cells = pl.concat(frames) if frames else pl.DataFrame(schema=SCHEMA)
    return SheetCells(cells, state.max_row, state.max_col, complete)


def _sheet_data(zf: zipfile.ZipFile, member: str, block: int) -> Iterator[bytes]:
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


def _check(state: _State, rows: int, cols: int, max_cells: int) -> None:
    if rows > state.max_row or cols > state.max_col:
        state.max_row = max(state.max_row, rows)
        state.max_col = max(state.max_col, cols)
        if state.max_row * state.max_col > max_cells:
            raise TooLarge(state.max_row, state.max_col)


def _plain_block(data: bytes, state: _State, max_cells: int, keep: pl.Expr) -> pl.DataFrame | None:
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
        _check(state, int(full["row"].max()) + 1, int(full["col"].max()) + 1, max_cells)  # type: ignore[arg-type]
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


def _general_block(data: bytes, state: _State, max_cells: int) -> pl.DataFrame:
    """The block's cells, tag by tag (any well-formed XML)."""
    text = data.decode("utf-8", "replace")
    out: dict[str, list[object]] = {k: [] for k in SCHEMA}
    pos = 0
    n = len(text)
    cell: dict[str, object] | None = None
    target = ""  # "v", "t" (inline text), "f", or "" (text ignored)
    skip = 0  # depth inside a phonetic run (<rPh>), whose text is not the value
    while pos < n:
        lt = text.find("<", pos)
        if lt < 0:
            lt = n
        if cell is not None and lt > pos and target and not skip:
            cell[target] = str(cell.get(target, "")) + text[pos:lt]
        if lt >= n:
            break
        m = _TAG.match(text, lt)
        if m is None:
            raise damaged("a malformed tag in the sheet data")
        pos = m.end()
        closing, name, attrs, empty = m.group(1), m.group(2), m.group(3), m.group(4)
        if cell is not None:
            if closing and name == "c":
                _add(out, cell)
                cell, target = None, ""
            elif name == "rPh":
                skip += 0 if empty else (-1 if closing else 1)
            elif closing:
                target = ""
            elif name == "f":
                cell["f"] = True
                target = ""
            elif name == "v":
                cell.setdefault("v", "")
                target = "" if empty else "v"
            elif name in ("is", "t"):
                cell.setdefault("inline", "")
                target = "inline" if name == "t" and not empty else ""
            continue
        if name == "row":
            if closing:
                state.row += 1
                state.col = 0
            elif not empty:
                r = _attrs(attrs).get("r")
                if r is not None:
                    m2 = _REF.fullmatch(r.strip())
                    if m2 is None or m2.group(1) or int(m2.group(2)) == 0:
                        raise BadReference
                    state.row = int(m2.group(2)) - 1
        elif name == "c" and not closing and not empty:
            a = _attrs(attrs)
            r = a.get("r")
            if r is not None:
                m2 = _REF.fullmatch(r.strip())
                if m2 is None or not m2.group(1) or int(m2.group(2)) == 0:
                    raise BadReference
                row, col = int(m2.group(2)) - 1, column_number(m2.group(1)) - 1
                state.col = col
            else:
                row, col = state.row, state.col
            state.col += 1
            cell = {"row": row, "col": col, "t": a.get("t"), "s": a.get("s"), "f": False}
    if cell is not None:
        raise damaged("a cell is never closed")
    # Checked per block, as the polars path does: a block holds at most its own cells.
    if out["row"]:
        _check(state, max(out["row"]) + 1, max(out["col"]) + 1, max_cells)  # type: ignore[type-var, operator]
    return pl.DataFrame(out, schema=SCHEMA)


def _add(out: dict[str, list[object]], cell: dict[str, object]) -> None:
    for key in SCHEMA:
        out[key].append(cell.get(key))


def _attrs(raw: str) -> dict[str, str]:
    return {
        m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _ATTR.finditer(raw)
    }
