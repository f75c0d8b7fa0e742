"""XML tokens as calamine's parser reads them, from a sheet part in blocks.

The head reader (:mod:`~compliance.reading.xlsx_head`) must see the cells
calamine will see, so this tokeniser reads XML as XML is written: quoted
attribute values (which may hold ``>``), comments, CDATA sections, processing
instructions, a DOCTYPE (whose entities calamine never expands: one in the text
refuses the sheet, as calamine does), namespace prefixes and character
references. Every pattern is linear: no nested quantifier can backtrack over
untrusted text, and markup that never completes costs one step per byte.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

_TOKEN = re.compile(
    # A plain cell, as one token (most cells are written so).
    rb"(?P<cell><c(?=[\s>])(?P<cattrs>(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>"
    rb"(?:<v>(?P<v>[^<&]*+)</v>)?</c>)"
    rb"|<!--.*?-->"
    rb"|<!\[CDATA\[(?P<cdata>.*?)\]\]>"
    rb"|<\?.*?\?>"
    rb"|<!(?![-\[])(?:[^\[>]++|\[[^\]]*+\])*+>"
    rb"|<(?P<close>/?)(?:[\w.-]+:)?(?P<name>[\w.-]+)"
    rb"(?P<attrs>(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>"
    rb"|(?P<text>[^<]++)"
    rb"|(?P<lt><)",
    re.DOTALL,
)
ATTR = re.compile(rb"(?:[\w.-]+:)?([\w.-]+)\s*+=\s*+(?:\"([^\"]*+)\"|'([^']*+)')")


#: A token: (TAG, close, name, attrs), (TEXT, text), (CDATA, text) or (CELL, attrs, value):
#: a plain cell, ``<c ...><v>1</v></c>``, whole.
TAG, TEXT, CDATA, CELL = 0, 1, 2, 3
Token = tuple[Any, ...]


def tokens(blocks: Iterator[bytes], limit: int) -> Iterator[Token]:
    """The XML tokens of the text the blocks make up, up to ``limit`` bytes of it.

    Text is given decoded (entities resolved, CDATA as it stands); comments,
    processing instructions and declarations are skipped. A token cut by a block
    boundary is completed from the next block; a "<" that starts no markup by the
    end is skipped, so the pass stays linear."""
    buf = b""
    seen = 0
    ended = False
    while not ended:
        block = next(blocks, b"")
        seen += len(block)
        ended = not block or seen > limit
        buf += block
        done = 0
        for m in _TOKEN.finditer(buf):
            kind = m.lastgroup
            if not ended and (kind == "lt" or (kind == "text" and m.end() == len(buf))):
                break  # cut by the block boundary: complete it from the next block
            done = m.end()
            if kind == "cell":
                yield CELL, m["cattrs"], m["v"]
            elif kind == "attrs":
                yield TAG, m["close"], m["name"], m["attrs"]
            elif kind == "text":
                yield TEXT, xml_text(m["text"])
            elif kind == "cdata":
                yield CDATA, m["cdata"].decode("utf-8", "replace")
        buf = buf[done:]


def xml_text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    if "&" not in text:
        return text
    for m in _ENTITY.finditer(text):
        if not m[2] or not (m[1] in _PREDEFINED or _CHAR_REF.fullmatch(m[1])):
            # calamine expands no DTD entity: it refuses the sheet, and so does the head.
            raise Unsafe(f"unrecognised entity &{m[1][:40]};")
    return html.unescape(text)


_ENTITY = re.compile(r"&([^;&<\s]{0,64})(;?)")
_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})
_CHAR_REF = re.compile(r"#(?:\d{1,8}|x[0-9a-fA-F]{1,7})")


class Unsafe(Exception):
    """XML calamine refuses: the sheet is refused with its reason."""


def attributes(raw: bytes) -> dict[bytes, str]:
    return {m[1]: xml_text(m[2] if m[2] is not None else m[3] or b"") for m in ATTR.finditer(raw)}
