"""The first rows and the merged ranges of an .xlsx sheet, without parsing the whole sheet.

The header is found in the first rows (:mod:`~compliance.reading.header`),
and only then is it known which columns the native reader must load. Parsing
the whole sheet once for the header and once more for the data would double
the read, so this module streams the sheet's XML: it parses the first rows,
then only looks for ``<mergeCell>`` tags after ``</sheetData>``, and reads the
shared strings only up to the last one those rows use.

Every pattern here is linear (no nested quantifiers over untrusted text) and
works on bounded pieces. Anything unusual (namespace-prefixed tags, cells
without references, rich shared strings it cannot follow) returns None, and
the caller reads the sheet whole the old way.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from compliance.reading.sheet_tail import ATTR_R, Merged, SheetTail
from compliance.reading.xlsx_cells import column_number

_CHUNK = 1 << 20
#: Give up on the head (and read the sheet whole) past this much XML.
_MAX_HEAD_BYTES = 16 << 20

_ROW = re.compile(rb"<row\b([^>]*?)(/?)>")
_ROW_END = b"</row>"
_CELL_TAG = re.compile(rb"<(/?)c\b([^>]*?)(/?)>")
_ATTR_T = re.compile(rb"\bt=\"(\w+)\"")
_V = re.compile(rb"<v>([^<]*)</v>")
_T = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")
_RPH = re.compile(rb"<rPh\b.*?</rPh>", re.DOTALL)
_SI_END = b"</si>"


@dataclass(frozen=True, slots=True)
class SheetHead:
    """The first ``rows`` rows (0-based, padded from A1) and every merged range."""

    rows: list[list[Any]]
    merged: Merged
    #: (row, col) -> value of every yes/no (TRUE/FALSE) cell: a float column
    #: would read them as 1 and 0.
    bools: dict[tuple[int, int], bool]


def read_head(
    zf: zipfile.ZipFile,
    member: str,
    strings_member: str | None,
    want_rows: int,
    tail: SheetTail | None = None,
) -> SheetHead | None:
    """The first ``want_rows`` rows of a worksheet part and its merged ranges, or None.

    ``tail`` holds the yes/no cells and merged ranges when a complete pass over the
    sheet (the size check's) already found them; else this reads on to find them."""
    cells: list[tuple[int, int, bytes, bytes]] = []
    with zf.open(member) as fh:
        buf = b""
        done_rows = False
        while not done_rows:
            block = fh.read(_CHUNK)
            buf += block
            if b":c " in buf or b":row " in buf or b"<!" in buf:
                return None  # prefixed tags, a DTD or entities: calamine decides
            end = buf.find(b"</sheetData>")
            rows_seen = _complete_rows(buf, want_rows)
            if rows_seen is not None or end >= 0 or not block:
                head = buf[
                    : rows_seen if rows_seen is not None else (end if end >= 0 else len(buf))
                ]
                try:
                    parsed = _cells(head, want_rows)
                except _Unusual:
                    return None
                if parsed is None:
                    return None
                cells = parsed
                done_rows = True
            elif len(buf) > _MAX_HEAD_BYTES:
                return None
        rest = tail.result() if tail is not None and tail.complete else _rest(fh, buf)
        if rest is None:
            return None
        merged, bools = rest
    strings = _shared_strings(zf, strings_member, cells)
    if strings is None:
        return None
    return SheetHead(_grid(cells, strings, want_rows), merged, bools)


def _rest(fh: Any, buf: bytes) -> tuple[Merged, dict[tuple[int, int], bool]] | None:
    """Every yes/no cell, and every ``<mergeCell>`` after ``</sheetData>``, in one pass."""
    tail = SheetTail()
    tail.feed(buf)
    while block := fh.read(_CHUNK):
        tail.feed(block)
    return tail.result()


def _complete_rows(buf: bytes, want: int) -> int | None:
    """The offset just after the ``want``-th row's end, if the buffer holds it."""
    pos, count = 0, 0
    while count < want:
        m = _ROW.search(buf, pos)
        if m is None:
            return None
        if m[2] == b"/":
            pos = m.end()
        else:
            e = buf.find(_ROW_END, m.end())
            if e < 0:
                return None
            pos = e + len(_ROW_END)
        r = ATTR_R.search(m[1])
        count = int(r[2]) if r is not None else count + 1
    return pos


def _cells(head: bytes, want: int) -> list[tuple[int, int, bytes, bytes]] | None:
    """(row, col, type, body) of every cell in the head, 0-based (one linear pass)."""
    out: list[tuple[int, int, bytes, bytes]] = []
    open_at = -1
    attrs = b""
    for m in _CELL_TAG.finditer(head):
        if m[1]:  # </c>
            if open_at >= 0:
                if not _add_cell(out, attrs, head[open_at : m.start()], want):
                    return out
                open_at = -1
            continue
        if open_at >= 0:
            return None  # a cell inside a cell
        if m[3]:  # <c .../>
            if not _add_cell(out, m[2], b"", want):
                break
        else:
            open_at, attrs = m.end(), m[2]
    return out


def _add_cell(
    out: list[tuple[int, int, bytes, bytes]], attrs: bytes, body: bytes, want: int
) -> bool:
    r = ATTR_R.search(attrs)
    if r is None or r[1] is None:
        raise _Unusual
    row, col = int(r[2]) - 1, column_number(r[1].decode()) - 1
    if row < 0:
        raise _Unusual  # row 0 ("B0"): calamine refuses the sheet; let it say so
    if row >= want:
        return False
    t = _ATTR_T.search(attrs)
    out.append((row, col, t[1] if t is not None else b"n", body))
    return True


class _Unusual(Exception):
    """A cell this reader does not follow: read the sheet the old way."""


def _shared_strings(
    zf: zipfile.ZipFile, member: str | None, cells: list[tuple[int, int, bytes, bytes]]
) -> list[str] | None:
    need = -1
    for _, _, t, body in cells:
        if t == b"s":
            v = _V.search(body)
            if v is None or not v[1].strip().isdigit():
                return None
            need = max(need, int(v[1]))
    if need < 0:
        return []
    if member is None:
        return None
    out: list[str] = []
    buf = b""
    with zf.open(member) as fh:
        while len(out) <= need:
            block = fh.read(_CHUNK)
            buf += block
            if b"<!" in buf:
                return None
            pos = 0
            while len(out) <= need:
                start = buf.find(b"<si>", pos)
                if start < 0:
                    start = buf.find(b"<si ", pos)
                end = buf.find(_SI_END, pos)
                if start < 0 or end < 0:
                    break
                body = _RPH.sub(b"", buf[start:end])
                out.append(_xml_text(b"".join(_T.findall(body))))
                pos = end + len(_SI_END)
            buf = buf[pos:]
            if not block:
                break
            if len(buf) > _MAX_HEAD_BYTES:
                return None
    return out if len(out) > need else None


def _xml_text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


_ERRORS = {b"#DIV/0!", b"#N/A", b"#NAME?", b"#NULL!", b"#NUM!", b"#REF!", b"#VALUE!"}


def _value(t: bytes, body: bytes, strings: list[str]) -> Any:
    v = _V.search(body)
    raw = v[1] if v is not None else b""
    if t == b"s":
        return strings[int(raw)]
    if t == b"inlineStr":
        return _xml_text(b"".join(_T.findall(_RPH.sub(b"", body))))
    if t in (b"str", b"d"):
        return _xml_text(raw)
    if t == b"b":
        return raw.strip() == b"1" if raw else ""
    if t == b"e":
        return _xml_text(raw) if raw in _ERRORS else ""
    if not raw.strip():
        return ""
    try:
        return float(raw)
    except ValueError:
        return _xml_text(raw)


def _grid(
    cells: list[tuple[int, int, bytes, bytes]], strings: list[str], want: int
) -> list[list[Any]]:
    """Rows padded from A1 to the widest head row, empty cells as "" (as calamine gives them)."""
    if not cells:
        return []
    height = min(max(r for r, _, _, _ in cells) + 1, want)
    width = max(c for _, c, _, _ in cells) + 1
    rows: list[list[Any]] = [[""] * width for _ in range(height)]
    for r, c, t, body in cells:
        rows[r][c] = _value(t, body, strings)
    return rows
