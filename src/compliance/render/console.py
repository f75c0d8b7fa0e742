"""The rich console every terminal report prints through."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from rich.cells import get_character_cell_size
from rich.console import Console

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import TextIO

    from compliance.render import RenderOptions


def report_console(out: TextIO, options: RenderOptions, min_width: int = 120) -> Console:
    """A console writing to ``out``.

    Markup is off: community and region names come from the input, and a name
    like "[red]" must print as written. Written to a file or a pipe, the report
    gets at least ``min_width`` columns, so wide tables don't fold into columns
    of one character, unless $COLUMNS asks for a width.
    """
    console = Console(
        file=out,
        width=options.width,
        force_terminal=options.color,
        no_color=not options.color,
        highlight=False,
        soft_wrap=False,
        markup=False,
    )
    if options.width is None and not options.color and not os.environ.get("COLUMNS"):
        console.width = max(console.width, min_width)
    return console


#: Two colons around a word: what rich may read as an emoji code (":warning:").
_EMOJI_CODE = re.compile(r":\S*?:")
#: What rich changes in a line however short: control characters (tabs are
#: expanded, others dropped); and what it measures as a cluster (joined emoji),
#: where a line's width is not the sum of its characters'.
_ASIS = re.compile("[\x00-\x1f\x7f\u200d\ufe0f]")
#: A word as rich wraps it: the text up to and with the spaces after it.
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING = re.compile(r"\s+$")


class _Cells(dict[str, int]):
    """The cells each character takes on a terminal, as rich measures it."""

    def __missing__(self, ch: str) -> int:
        self[ch] = size = get_character_cell_size(ch)
        return size

    def width(self, text: str) -> int:
        return len(text) if text.isascii() else sum(map(self.__getitem__, text))


_CELLS = _Cells()


def _wrapped(line: str, width: int) -> list[str] | None:
    """``line`` as rich's ``print`` lays it out on ``width`` cells (word wrap, spaces
    beyond the width dropped); None where rich would do more (fold a word longer
    than the width, replace an emoji code, expand a tab)."""
    if _ASIS.search(line) or (":" in line and _EMOJI_CODE.search(line)):
        return None
    if not line.isascii() and 0 in map(_CELLS.__getitem__, line):
        return None  # a combining mark or a zero-width character: rich measures clusters
    size = _CELLS.width
    if len(line) * 2 <= width or size(line) <= width:
        return [line]
    breaks = []
    offset = 0
    for word in _WORD.finditer(line):
        start, text = word.start(), word.group()
        length = size(text.rstrip())
        if width - offset >= length:
            offset += size(text)
        elif length > width:
            return None
        elif offset and start:
            breaks.append(start)
            offset = size(text)
    out = []
    for a, b in zip([0, *breaks], [*breaks, len(line)], strict=True):
        piece = line[a:b]
        if len(piece) > width and (space := _TRAILING.search(piece)):
            piece = piece[: len(piece) - min(len(space.group()), len(piece) - width)]
        if size(piece) > width:
            return None
        out.append(piece)
    return out


def print_lines(console: Console, lines: Iterable[str], chunk: int = 1000) -> None:
    """``console.print(line)`` of each line, byte for byte, at the cost of a write.

    rich spends about a millisecond a line measuring and wrapping; a detail list of
    every community has hundreds of thousands. A line that holds nothing rich
    rewrites is wrapped here as rich wraps it and written directly; any other goes
    through rich.
    """
    width = console.width
    out = console.file
    held: list[str] = []
    for line in lines:
        said = _wrapped(line, width)
        if said is not None:
            held += said
            if len(held) >= chunk:
                out.write("\n".join(held) + "\n")
                held.clear()
            continue
        if held:
            out.write("\n".join(held) + "\n")
            held.clear()
        console.print(line)
    if held:
        out.write("\n".join(held) + "\n")
