"""Text from outside, made safe to show: one printable line, of bounded length.

Cell text and file names come from the workbooks and the file system. Shown
raw, a newline splits an error over two lines, an ANSI escape recolours or
clears the terminal, U+202E (right-to-left override) makes ``exe.xlsx`` read
as ``xslx.exe``, and a 31 MB cell makes a 31 MB line. :func:`one_line` is for
messages (errors, notes); :func:`for_display` is for report cells, which keep
their length but lose control and bidi characters.
"""

from __future__ import annotations

import re

#: Longest echo of outside text inside a message.
MAX_ECHO = 200
#: Longest error line (the CLI adds "compliance: error: ").
MAX_LINE = 420

# C0/C1 controls, DEL, and the format characters that reorder or hide text:
# bidi embeddings/overrides/isolates, zero-width marks, the BOM, line/paragraph separators,
# and the non-characters U+FFFE and U+FFFF (which XML, and so a Markdown viewer, refuses).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """Control and bidi characters as visible escapes (``\\n``, ``\\x1b``, ``\\u202e``)."""
    return _UNSAFE.sub(_escape, text)


def clip(text: str, limit: int = MAX_ECHO) -> str:
    """At most ``limit`` characters, saying how many were cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def clip_middle(text: str, limit: int) -> str:
    """At most about ``limit`` characters, keeping the start and the end (where an
    error line says what is wrong)."""
    if len(text) <= limit:
        return text
    tail = limit // 4
    head = limit - tail - 30
    return f"{text[:head]}…({len(text) - head - tail:,} characters cut)…{text[-tail:]}"


def one_line(text: object, limit: int = MAX_LINE) -> str:
    """One printable line of at most about ``limit`` characters."""
    # Escaping can only lengthen; cut first so a 31 MB cell costs nothing more.
    return clip_middle(escape(clip_middle(str(text), limit)), limit)


def echo(value: object, limit: int = MAX_ECHO) -> str:
    """Outside text quoted inside a message: escaped and clipped."""
    return clip(escape(clip(str(value), limit)), limit + 40)


def for_display(text: str) -> str:
    """Report text for a terminal or Markdown: control and bidi characters removed.

    Tabs and newlines become spaces (a cell is one line in a table); every other
    unsafe character is dropped, as are unassigned code points' surrogates.
    """
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: " " if m.group() in "\t\n\r" else "", text)
