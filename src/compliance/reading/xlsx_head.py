"""The first rows and the merged ranges of an .xlsx sheet, without parsing the whole sheet.

The header is found in the first rows (:mod:`~compliance.reading.header`),
and only then is it known which columns the native reader must load. Parsing
the whole sheet once for the header and once more for the data would double
the read, so this module streams the sheet's XML: it tokenises the first rows,
then only looks for ``<mergeCell>`` tags after ``</sheetData>``, and reads the
shared strings only up to the last one those rows use.

The tokeniser reads XML as XML is written: quoted attribute values (which may
hold ``>``), comments, CDATA sections, processing instructions, a DOCTYPE,
namespace prefixes, entities, and rows and cells without a reference (their
place follows the one before, as calamine places them). It never gives up and
never reads the whole sheet: it stops after the wanted rows, or after
:data:`_MAX_HEAD_BYTES` of XML with the rows it found by then, so that choosing
among many sheets costs a bounded read of each.

Every pattern here is linear (no nested quantifiers over untrusted text).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from compliance.errors import InputError
from compliance.reading.extent import column_number
from compliance.reading.sheet_tail import Merged, SheetTail
from compliance.reading.xml_tokens import (
    ATTR,
    CDATA,
    CELL,
    TAG,
    Token,
    Unsafe,
    attributes,
    tokens,
    xml_text,
)

_CHUNK = 1 << 20
#: The head is the rows found in this much of a sheet's XML (or its shared strings).
_MAX_HEAD_BYTES = 16 << 20

_REF = re.compile(r"\s*([A-Za-z]{0,3})(\d{1,7})\s*")
_PLAIN_ATTRS = re.compile(rb' r="([A-Z]{1,3})(\d{1,7})"(?: s="\d{1,9}")?(?: t="(\w{1,9})")?')


@dataclass(frozen=True, slots=True)
class SheetHead:
    """The first ``rows`` rows (0-based, padded from A1) and every merged range."""

    rows: list[list[Any]]
    merged: Merged
    #: (row, col) -> value of every yes/no (TRUE/FALSE) cell: a float column
    #: would read them as 1 and 0.
    bools: dict[tuple[int, int], bool]


def _blocks(fh: Any, tail: SheetTail | None) -> Iterator[bytes]:
    while block := fh.read(_CHUNK):
        if tail is not None:
            tail.feed(block)
        yield block


def read_head(
    zf: zipfile.ZipFile,
    member: str,
    strings_member: str | None,
    want_rows: int,
    tail: SheetTail | None = None,
    where: str = "",
) -> SheetHead:
    """The first ``want_rows`` rows of a worksheet part and its merged ranges.

    ``tail`` holds the yes/no cells and merged ranges when a complete pass over the
    sheet (the size check's) already found them; else this reads on to find them."""
    own = None if tail is not None and tail.complete else SheetTail()
    try:
        with zf.open(member) as fh:
            blocks = _blocks(fh, own)
            cells = _cells(tokens(blocks, _MAX_HEAD_BYTES), want_rows)
            if own is not None:
                for _ in blocks:
                    pass
                own.end()
                tail = own
        strings = _shared_strings(zf, strings_member, cells)
    except Unsafe as exc:
        raise InputError("workbook_xml_damaged", detail=str(exc), where=where) from None
    assert tail is not None
    found = tail.result()
    merged, bools = found if found is not None else ([], tail.bools)
    return SheetHead(_grid(cells, strings, want_rows), merged, bools)


#: (row, col, type, value text, inline text) of one cell, 0-based.
_Cell = tuple[int, int, str, str, str]


def _cells(tokens: Iterator[Token], want: int) -> list[_Cell]:
    """Every cell of the first ``want`` rows, placed as calamine places them."""
    out: list[_Cell] = []
    row, col = -1, -1
    cell: tuple[int, int, str] | None = None
    value: list[str] = []
    inline: list[str] = []
    into: list[str] | None = None
    phonetic = 0
    for tok in tokens:
        if tok[0] == CELL:
            row, col, t = _place(tok[1], row, col)
            if row >= want:
                break
            if row >= 0 and col >= 0 and not tok[1].endswith(b"/"):
                raw = tok[2]
                out.append((row, col, t, raw.decode("utf-8", "replace") if raw else "", ""))
            continue
        if tok[0] != TAG:
            # calamine reads a CDATA section in a string, not in a value.
            if into is not None and not phonetic and not (tok[0] == CDATA and into is value):
                into.append(tok[1])
            continue
        _, close, name, attrs = tok
        empty = attrs.endswith(b"/")
        if name == b"sheetData" and close:
            break
        if name == b"row" and not close:
            r = attributes(attrs).get(b"r")
            row = int(r) - 1 if r is not None and r.strip().isdigit() else row + 1
            col = -1
            if row >= want:
                break
        elif name == b"c" and not close:
            row, col, t = _place(attrs, row, col)
            if row >= want:
                break
            cell = None if empty or row < 0 or col < 0 else (row, col, t)
            value, inline, into = [], [], None
        elif name == b"c" and close:
            if cell is not None:
                out.append((*cell, "".join(value), "".join(inline)))
            cell, into = None, None
        elif cell is not None and name == b"v":
            into = None if close or empty else value
        elif cell is not None and name == b"t":
            into = None if close or empty else inline
        elif name == b"rPh" and not empty:
            phonetic += -1 if close else 1
    return out


def _place(attrs: bytes, row: int, col: int) -> tuple[int, int, str]:
    """A cell's (row, col) and type: from its reference, else just after the cell before."""
    plain = _PLAIN_ATTRS.fullmatch(attrs)
    if plain is not None:  # r="B7" s="3" t="s", as Excel writes them
        t = plain[3].decode() if plain[3] is not None else "n"
        return int(plain[2]) - 1, column_number(plain[1].decode()) - 1, t
    ref: re.Match[str] | None = None
    t = "n"
    for m in ATTR.finditer(attrs):
        if m[1] == b"r":
            ref = _REF.fullmatch(xml_text(m[2] if m[2] is not None else m[3]))
        elif m[1] == b"t":
            t = xml_text(m[2] if m[2] is not None else m[3])
    if ref is None:
        return row, col + 1, t
    return int(ref[2]) - 1, column_number(ref[1].upper()) - 1 if ref[1] else col + 1, t


def _shared_strings(zf: zipfile.ZipFile, member: str | None, cells: list[_Cell]) -> dict[int, str]:
    """The shared strings the cells use, by index (an index it cannot find reads as "")."""
    need = {int(v) for _, _, t, v, _ in cells if t == "s" and v.strip().isdigit()}
    if not need or member is None:
        return {}
    out: dict[int, str] = {}
    last = max(need)
    k = -1
    text: list[str] | None = None
    phonetic = 0
    with zf.open(member) as fh:
        for tok in tokens(_blocks(fh, None), 1 << 62):
            if tok[0] != TAG:
                if text is not None and not phonetic:
                    text.append(tok[1])
                continue
            _, close, name, attrs = tok
            if name == b"si":
                if not close:
                    k += 1
                    text = [] if k in need and not attrs.endswith(b"/") else None
                    if k > last:
                        break
                elif text is not None:
                    out[k] = "".join(text)
                    text = None
            elif name == b"rPh" and not attrs.endswith(b"/"):
                phonetic += -1 if close else 1
    return out


_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"}


def _value(t: str, raw: str, inline: str, strings: dict[int, str]) -> Any:
    if t == "s":
        return strings.get(int(raw), "") if raw.strip().isdigit() else ""
    if t == "inlineStr":
        return inline
    if t in ("str", "d"):
        return raw
    if t == "b":
        return raw.strip() == "1" if raw else ""
    if t == "e":
        return raw if raw in _ERRORS else ""
    if not raw.strip():
        return ""
    try:
        return float(raw)
    except ValueError:
        return raw


def _grid(cells: list[_Cell], strings: dict[int, str], want: int) -> list[list[Any]]:
    """Rows padded from A1 to the widest head row, empty cells as "" (as calamine gives them)."""
    if not cells:
        return []
    height = min(max(c[0] for c in cells) + 1, want)
    width = max(c[1] for c in cells) + 1
    rows: list[list[Any]] = [[""] * width for _ in range(height)]
    for r, c, t, raw, inline in cells:
        rows[r][c] = _value(t, raw, inline, strings)
    return rows
