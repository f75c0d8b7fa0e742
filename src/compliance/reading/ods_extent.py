"""Measure an .ods's tables from content.xml before calamine expands them.

OpenDocument compresses runs with ``table:number-columns-repeated`` and
``table:number-rows-repeated``: 1.5 KB can describe 98 million cells, which
calamine expands into memory (3.1 GB) when it opens the file, for every table
at once. Our cell limit must therefore be applied to the repeat attributes,
before calamine runs.

What counts is the area up to the last cell with content, as a dense grid
needs it: LibreOffice ends every table with an empty row repeated to row
1,048,576 and every row with an empty cell repeated to column 1024, and those
trailing runs hold nothing. The scan is per row (a ``finditer`` over row
tags), with ``bytes.count``/``rfind`` inside each row, so its cost is one
pass over the inflated XML.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from compliance.reading.inflate import open_member

#: A start tag's attributes as XML reads them: a quoted value may hold ">" (and quick-xml,
#: calamine's parser, lets it hold "<" too).
_ATTRS = rb"(?:[^<>\"']++|\"[^\"]*+\"|'[^']*+')*+"
# A row start, a row end or a table end: calamine ends a table only at
# </table:table> (a stray start tag inside one does not begin another).
_ROW_OR_TABLE = re.compile(
    rb"<table:table(-row)?(?=[\s/>])(" + _ATTRS + rb")>|</table:table(-row)?>"
)
# calamine reads a repeat as Rust parses a number: leading zeros and "+" included, and
# the row repeat after resolving character references.
_ROW_REPEAT = re.compile(rb"table:number-rows-repeated\s*+=\s*+(?:\"([^\"]*+)\"|'([^']*+)')")
_COL_REPEAT = re.compile(rb"table:number-columns-repeated\s*+=\s*+(?:\"([^\"]*+)\"|'([^']*+)')")
_CELL_TAG = re.compile(rb"<table:(?:covered-)?table-cell" + _ATTRS + rb">?")
_CELL = (b"<table:table-cell", b"<table:covered-table-cell")
#: Complete markup and text from the start of a piece, at C speed: where a piece may be
#: cut without cutting a tag (comments and CDATA first: a quote in them opens nothing).
_COMPLETE = re.compile(
    rb"(?:[^<]++|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<" + _ATTRS + rb">)*+", re.DOTALL
)
_CHUNK = 8 << 20
#: Past this much markup that never completes, the piece is cut anyway (memory stays bounded).
_MAX_CARRY = 64 << 20
#: A repeat larger than any sheet: the guard refuses it whatever it is.
_HUGE = 10**12


def _repeat(m: re.Match[bytes] | None) -> int:
    if m is None:
        return 1
    raw = (m[1] if m[1] is not None else m[2])[:4096].decode("utf-8", "replace")
    text = (html.unescape(raw) if "&" in raw else raw).strip().lstrip("+").lstrip("0")
    if not text.isdigit():
        return 1 if text else 0
    return _HUGE if len(text) > 12 else int(text)


def _pieces(zf: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """The member's text in pieces, each cut where no tag is cut (quote-aware)."""
    carry = b""
    with open_member(zf, member) as fh:
        while block := fh.read(_CHUNK):
            data = carry + block
            m = _COMPLETE.match(data)
            cut = m.end() if m is not None else 0
            if len(data) - cut > _MAX_CARRY:
                cut = len(data)
            if cut:
                yield data[:cut]
            carry = data[cut:]
    if carry:
        yield carry


#: Signs that a cell holds something: a typed value or a text paragraph.
_CONTENT = (b"office:value-type", b"<text:")


@dataclass(frozen=True, slots=True)
class OdsExtent:
    """The largest table (rows, cols) up to its last cell with content, and all tables' cells."""

    rows: int
    cols: int
    total_cells: int
    #: A table still open at the end of the part: calamine's table loop never ends then.
    unclosed: bool = False


def _width(seg: bytes) -> int:
    """Columns a piece of a row spans, counting repeats."""
    n = sum(seg.count(c) for c in _CELL)
    return n + sum(max(_repeat(r) - 1, 0) for r in _COL_REPEAT.finditer(seg))


def _used_width(seg: bytes) -> int:
    """Columns up to and including the last cell with content (0 for an empty row)."""
    last = max(seg.rfind(c) for c in _CONTENT)
    if last < 0:
        return 0
    start = max(seg.rfind(c, 0, last + 1) for c in _CELL)
    if start < 0:
        return 0
    tag = _CELL_TAG.match(seg, start)
    head = tag[0] if tag is not None else seg[start:]
    return _width(seg[:start]) + max(_repeat(_COL_REPEAT.search(head)), 1)


def scan_content(zf: zipfile.ZipFile, member: str = "content.xml") -> OdsExtent:
    """Stream ``member`` and measure every table as the module doc says."""
    best = (0, 0)
    total = 0
    rows = used_rows = cols = 0
    row_start = -1
    repeat = 1
    # calamine reads a table from its start to the next </table:table>, and loops
    # forever when there is none: a start tag after the last end tag is fatal.
    open_table = False

    def close_table() -> None:
        nonlocal best, total, rows, used_rows, cols
        if used_rows * cols > best[0] * best[1]:
            best = (used_rows, cols)
        total += used_rows * cols
        rows = used_rows = cols = 0

    # A row cut by a chunk boundary: the width and used width of its first pieces.
    carry_width = carry_used = 0
    for chunk in _pieces(zf, member):
        for m in _ROW_OR_TABLE.finditer(chunk):
            if m.group(0) == b"</table:table>":
                close_table()
                open_table = False
                row_start = -1
            elif m.group(0).startswith(b"</"):
                if row_start >= 0:
                    seg = chunk[row_start : m.start()]
                    piece = _used_width(seg)
                    width = carry_width + piece if piece else carry_used
                    carry_width = carry_used = 0
                    rows += repeat
                    if width:
                        used_rows = rows
                        cols = max(cols, width)
                row_start = -1
            elif not m.group(1):  # a table start
                open_table = open_table or not m.group(2).endswith(b"/")
            elif m.group(1):  # a row start
                repeat = _repeat(_ROW_REPEAT.search(m.group(2)))
                if m.group(2).endswith(b"/"):
                    rows += repeat  # an empty self-closed row
                    row_start = -1
                else:
                    row_start = m.end()
        if row_start >= 0:
            seg = chunk[row_start:]
            piece = _used_width(seg)
            carry_used = carry_width + piece if piece else carry_used
            carry_width += _width(seg)
            row_start = 0
    close_table()
    return OdsExtent(best[0], best[1], total, unclosed=open_table)
