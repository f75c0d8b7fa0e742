"""The tag-by-tag reading of an .xlsx sheet block, and what both readings share.

:mod:`~compliance.reading.xlsx_cells` splits a block with polars where every cell
in it is plain; any other block (quoted ``>`` in attributes, prefixed names,
rich text, ``<row>``/``<c>`` without ``r``) is read here one tag at a time, as an
XML parser reads it, and bounded the same way: :func:`check` raises
:class:`TooLarge` once the cells reach past the limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from compliance.reading.xlsx_xml import damaged

_TAG = re.compile(
    r"<(/?)(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)"
    r"((?:\s+[^\s=<>/\"']+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*)\s*(/?)>"
)
_ATTR = re.compile(r"([^\s=<>/\"']+)\s*=\s*(?:\"([^\"<]*)\"|'([^'<]*)')")
_REF = re.compile(r"([A-Z]{1,3})?([0-9]{1,7})")

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
class CellState:
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


def check(state: CellState, rows: int, cols: int, max_cells: int) -> None:
    if rows > state.max_row or cols > state.max_col:
        state.max_row = max(state.max_row, rows)
        state.max_col = max(state.max_col, cols)
        if state.max_row * state.max_col > max_cells:
            raise TooLarge(state.max_row, state.max_col)


def general_block(data: bytes, state: CellState, max_cells: int) -> pl.DataFrame:
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
        check(state, max(out["row"]) + 1, max(out["col"]) + 1, max_cells)  # type: ignore[type-var, operator]
    return pl.DataFrame(out, schema=SCHEMA)


def _add(out: dict[str, list[object]], cell: dict[str, object]) -> None:
    for key in SCHEMA:
        out[key].append(cell.get(key))


def _attrs(raw: str) -> dict[str, str]:
    return {
        m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _ATTR.finditer(raw)
    }
