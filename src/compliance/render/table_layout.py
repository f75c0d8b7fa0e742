"""Laying out the terminal table as plain lines: column widths by display width
(a Chinese character takes two columns), blocks of standards that fit the
terminal, and rows written one by one, so that a table of 100,000 communities is
streamed rather than built."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

#: Between identity columns, and between standards (numbers are right-aligned
#: under headers wider than them, so one space reads well).
WIDE_GAP = "  "
GAP = " "

_ANSI = {
    "green": "32",
    "bold red": "1;31",
    "yellow": "33",
    "magenta": "35",
    "cyan": "36",
    "dim": "2",
    "bold": "1",
}


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header lines, display width, and alignment."""

    header: tuple[str, ...]
    width: int
    right: bool = False
    #: Longest cell text shown before it is cut with "…".
    cap: int | None = None


def fitted(
    header: Sequence[str], cells: Sequence[str], *, right: bool, cap: int | None = None
) -> Column:
    """A column as wide as its widest header line or cell (at most ``cap`` for cells)."""
    widest = max((cell_len(c) for c in cells), default=0)
    if cap is not None:
        widest = min(widest, cap)
    width = max([widest, *(cell_len(h) for h in header), 1])
    return Column(tuple(header), width, right, cap)


def cut(text: str, width: int) -> str:
    """``text`` shortened to ``width`` display columns, ending in "…" when cut."""
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def pad(text: str, width: int, right: bool) -> str:
    used = cell_len(text)
    if used > width:
        text = cut(text, width)
        used = cell_len(text)
    room = " " * (width - used)
    return room + text if right else text + room


def blocks(ident: Sequence[Column], rules: Sequence[Column], width: int) -> list[list[int]]:
    """The standards' column indexes in consecutive blocks, each of which fits in
    ``width`` next to the identity columns; one block when everything fits. Every
    standard is in exactly one block: none is dropped."""
    base = line_width(ident, [])
    greedy: list[list[int]] = [[]]
    used = base
    for i, col in enumerate(rules):
        need = len(GAP) + col.width
        if greedy[-1] and used + need > width:
            greedy.append([])
            used = base
        greedy[-1].append(i)
        used += need
    # As many blocks as needed, but as even as they fit (5 + 4, not 8 + 1).
    n = len(greedy)
    size = -(-len(rules) // n)
    even = [list(range(i, min(i + size, len(rules)))) for i in range(0, len(rules), size)]
    fits = all(line_width(ident, [rules[i] for i in b]) <= width for b in even)
    return even if fits and len(even) == n else greedy


def line_width(ident: Sequence[Column], rules: Sequence[Column]) -> int:
    w = sum(c.width for c in ident) + len(WIDE_GAP) * max(len(ident) - 1, 0)
    return w + sum(len(GAP) + c.width for c in rules)


def join(
    ident: Sequence[Column],
    rules: Sequence[Column],
    texts: Sequence[str],
    styles: Sequence[str] = (),
    color: bool = False,
) -> str:
    """One line: the identity cells, then the standards' cells, padded to the
    columns; with ``color``, each standard's cell in its style."""
    n = len(ident)
    # The first column (names) is padded as it comes; region names and marks
    # repeat ("婺城区", "✓", "✗ 1"), so each (text, width) is padded once.
    parts = [pad(texts[0], ident[0].width, ident[0].right)] if n else []
    parts += [_pad_once(t, c) for c, t in zip(ident[1:], texts[1:n], strict=True)]
    line = WIDE_GAP.join(parts)
    for i, (c, t) in enumerate(zip(rules, texts[n:], strict=True)):
        cell = _pad_once(t, c)
        style = styles[i] if color and i < len(styles) else ""
        if style and t:
            cell = f"\x1b[{_ANSI.get(style, '0')}m{cell}\x1b[0m"
        line += GAP + cell
    return line.rstrip()


_padded: dict[tuple[str, int, bool], str] = {}


def _pad_once(text: str, c: Column) -> str:
    key = (text, c.width, c.right)
    cell = _padded.get(key)
    if cell is None:
        if len(_padded) > 4096:
            _padded.clear()
        cell = _padded[key] = pad(text, c.width, c.right)
    return cell


def header(ident: Sequence[Column], rules: Sequence[Column], bold: bool = False) -> list[str]:
    """The header lines (labels, then units; bottom-aligned), then a rule line."""
    depth = max(len(c.header) for c in (*ident, *rules))
    lines = []
    for k in range(depth):
        texts = [_header_part(c, k, depth) for c in (*ident, *rules)]
        line = join(ident, rules, texts)
        lines.append(f"\x1b[1m{line}\x1b[0m" if bold else line)
    lines.append("─" * line_width(ident, rules))
    return lines


def _header_part(c: Column, k: int, depth: int) -> str:
    offset = depth - len(c.header)
    return c.header[k - offset] if k >= offset else ""


#: What must stay on one line: a run of letters, digits and what goes with them
#: (350, 2,000, m², 1.5%, full-time); a Chinese character keeps the punctuation after
#: it (no line starts with "，"). Between these, a line may break.
_UNBREAKABLE = re.compile(r"[0-9A-Za-z²%.,:;()\-/+≥≤*'’]+|\s+|.[，。、；：！？）]*", re.S)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` display columns, broken between words
    and between Chinese characters, never inside a number or a word (one longer than
    the width is cut with "…")."""
    lines: list[str] = []
    line = ""
    for token in _UNBREAKABLE.findall(text):
        if token.isspace():
            if line:
                line += " "
            continue
        if cell_len(line + token) <= width:
            line += token
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = cut(token, width)
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def first_column_width(total: int, others: Sequence[int], cap: int, floor: int = 12) -> int:
    """The width left for the first (text) column of a rich table of ``total`` columns
    whose other columns need ``others`` (rich pads each column by one space a side and
    puts one space between columns)."""
    n = len(others) + 1
    room = total - sum(w + 2 for w in others) - 2 - (n - 1)
    return max(floor, min(cap, room))
