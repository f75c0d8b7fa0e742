"""The XML of an .xlsx part as text blocks that the cell tokeniser can cut safely.

A part is inflated in bounded blocks. Each block is cut just after its last
``</row>`` (or its last ``</c>``), so that no tag and no cell is ever split;
the rest is carried into the next block. Comments and processing instructions
are removed and CDATA sections are replaced by their escaped text before the
block is tokenised, so that a ``<c r="XFD1048576">`` written as text is text,
as it is to an XML parser. A document type declaration has no place in a
worksheet: it is refused, and so is any entity that XML does not predefine
(:func:`unescape`).
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator

import polars as pl

from compliance.errors import InputError
from compliance.reading.inflate import open_member

#: Inflated bytes read at a time.
BLOCK = 8 << 20
#: A cut is looked for past this much carried text; without one the part is refused.
MAX_CARRY = 64 << 20

_OPENERS = (b"<!--", b"<![CDATA[", b"<?", b"<!DOCTYPE")
_SECTIONS = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))
#: The closing tags a sheet's blocks are cut after.
SHEET_CUTS = (b"row", b"c")
_ENTITY = re.compile(r"&(#[0-9]{1,8}|#x[0-9a-fA-F]{1,8}|[A-Za-z_][\w.-]*);")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def damaged(detail: str) -> InputError:
    """The one error for XML that no parser would read as a worksheet."""
    return InputError("workbook_xml_damaged", detail=detail)


def _plain(data: bytes, cut: int) -> bytes:
    """``data[:cut]`` with its comments and instructions removed and its CDATA escaped,
    as a regular expression substitution gives it (tests/reading/test_xlsx_reader.py), by
    literal searches
    (a regular expression over a block of 8 MB costs tenths of a second)."""
    out: list[bytes] = []
    pos = 0
    nxt = [data.find(o, 0, cut) for o, _ in _SECTIONS]
    while True:
        live = [(at, k) for k, at in enumerate(nxt) if at >= 0]
        if not live:
            break
        at, k = min(live)
        opener, closer = _SECTIONS[k]
        end = data.find(closer, at + len(opener), cut)
        if end < 0:
            # Unclosed here: its "<" is text, as a failed match leaves it.
            nxt[k] = data.find(opener, at + 1, cut)
            continue
        out.append(data[pos:at])
        if k == 1:
            out.append(
                data[at + len(opener) : end]
                .replace(b"&", b"&amp;")
                .replace(b"<", b"&lt;")
                .replace(b">", b"&gt;")
            )
        pos = end + len(closer)
        nxt = [
            x if x >= pos or x < 0 else data.find(o, pos, cut)
            for x, (o, _) in zip(nxt, _SECTIONS, strict=True)
        ]
    if not out:
        return data[:cut]
    out.append(data[pos:cut])
    return b"".join(out)


def _neutralise(data: bytes) -> tuple[bytes, bytes]:
    """(the text with its special sections made plain, an unfinished section to carry)."""
    if b"<!DOCTYPE" in data:
        raise damaged("a document type declaration in a worksheet")
    cut = len(data)
    for opener, closer in _SECTIONS:
        # A section closes at the first closer after it: only openers after the
        # last closer can be unfinished.
        last = data.rfind(closer)
        at = data.find(opener, last + len(closer) if last >= 0 else 0)
        if at >= 0:
            cut = min(cut, at)
    # An opener cut by the end of the block: wait for the rest of it.
    lt = data.rfind(b"<", max(len(data) - len(b"<!DOCTYPE"), 0))
    if lt >= 0 and any(o.startswith(data[lt:]) for o in _OPENERS):
        cut = min(cut, lt)
    done = _plain(data, cut)
    if b"<!" in done:
        raise damaged("an unknown declaration in a worksheet")
    return done, data[cut:]


def text_blocks(
    zf: zipfile.ZipFile, member: str, *, block: int = BLOCK, cut: tuple[bytes, ...] = SHEET_CUTS
) -> Iterator[bytes]:
    """The part's text (UTF-8) in pieces that end after a closing tag named in ``cut``
    (or the end)."""
    closing = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:" + b"|".join(cut) + rb")\s*>")
    literals = tuple(b"</" + name + b">" for name in cut)
    carry = b""
    first = True
    with open_member(zf, member) as fh:
        while True:
            raw = fh.read(block)
            data = carry + raw
            if first and data.startswith(b"<?"):
                # The XML declaration, removed as _plain removes it (the first section,
                # closed by the first "?>"), so that the first block is neutralised only
                # where something else asks for it.
                end = data.find(b"?>", 2)
                if end >= 0:
                    data = data[end + 2 :]
            first = False
            special = b""
            if _has(data, b"<!") or _has(data, b"<?"):
                data, special = _neutralise(data)
            if not raw:
                if special:
                    raise damaged("a comment, CDATA section or instruction is never closed")
                if data:
                    yield data
                return
            end = _cut(data, literals, closing)
            if end < 0:
                if len(data) + len(special) > MAX_CARRY:
                    raise damaged(f"no row or cell ends within {MAX_CARRY >> 20} MB")
                carry = data + special
                continue
            carry = data[end:] + special
            if end:
                yield data[:end]


def _has(data: bytes, pair: bytes) -> bool:
    """Whether ``pair`` is in ``data``: its rare second byte is looked for first (one
    byte is found by memchr, a tenth of the cost of a search for two)."""
    return pair[1:] in data and pair in data


def _cut(data: bytes, literals: tuple[bytes, ...], closing: re.Pattern[bytes]) -> int:
    """Just after the last of the closing tags (any namespace prefix), or -1."""
    for literal in literals:
        at = data.rfind(literal)
        if at >= 0:
            return at + len(literal)
    ends = [m.end() for m in closing.finditer(data)]
    return ends[-1] if ends else -1


def as_text(data: bytes) -> pl.Series:
    """A block as a one-element polars string (checked as UTF-8 natively; damaged
    UTF-8 is replaced, as a decoder does, rather than refused)."""
    try:
        return pl.Series([data], dtype=pl.Binary).cast(pl.String)
    except (pl.exceptions.ComputeError, pl.exceptions.InvalidOperationError):
        return pl.Series([data.decode("utf-8", "replace")])


def unescape(text: str) -> str:
    """A value's text with its entities replaced; an undefined entity is refused."""
    if "&" not in text:
        return text
    for m in _ENTITY.finditer(text):
        name = m.group(1)
        if not name.startswith("#") and name not in _PREDEFINED:
            raise damaged(f"undefined entity &{name[:40]};")
    if text.count("&") != sum(1 for _ in _ENTITY.finditer(text)):
        raise damaged("a bare '&' in a value")
    return html.unescape(text)
