"""Find the header row (or rows) of a sheet and map its columns to fields.

Real sheets put a title, a unit line ("单位：平方米") or notes above the header,
and some split the header over two or three rows with merged cells
("社会保险参保人数" over "养老", "失业", ...). The header is the row, or stack of
rows, whose cells name the most catalogue fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from compliance.catalogue import Catalogue
from compliance.reading.cells import clean_text

#: How far down a sheet the header is looked for.
SCAN_ROWS = 30
#: A header must name at least this many fields.
MIN_FIELDS = 2


@dataclass(frozen=True, slots=True)
class Header:
    """The header rows (0-based) and, per field, its column and header text."""

    rows: tuple[int, ...]
    columns: dict[str, tuple[int, str]]
    unmatched: tuple[str, ...]

    @property
    def last_row(self) -> int:
        return self.rows[-1]


def _filled_row(
    rows: Sequence[Sequence[Any]], r: int, merged: Mapping[tuple[int, int], tuple[int, int]]
) -> list[str]:
    """Row r as text, with cells inside a merged range taking the range's value."""
    row = rows[r]
    width = max(len(row), max((c + 1 for (rr, c) in merged if rr == r), default=0))
    out = []
    for c in range(width):
        v = row[c] if c < len(row) else None
        if (v is None or v == "") and (r, c) in merged:
            r0, c0 = merged[(r, c)]
            src = rows[r0]
            v = src[c0] if c0 < len(src) else None
        out.append(clean_text(v))
    return out


def merged_index(
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]],
    max_row: int,
    max_col: int = 200,
    budget: int = 200_000,
) -> dict[tuple[int, int], tuple[int, int]]:
    """Cell -> top-left cell of its merged range, within the first rows and columns.

    Ranges are clipped to ``max_row``/``max_col`` and the total work is capped,
    so a forged list of huge overlapping merges costs nothing much.
    """
    index: dict[tuple[int, int], tuple[int, int]] = {}
    for (r0, c0), (r1, c1) in merged:
        if r0 > max_row or c0 > max_col:
            continue
        for r in range(r0, min(r1, max_row) + 1):
            for c in range(c0, min(c1, max_col) + 1):
                if (r, c) != (r0, c0):
                    index[(r, c)] = (r0, c0)
                    budget -= 1
            if budget <= 0:
                return index
    return index


def _match_stack(texts: list[list[str]], catalogue: Catalogue) -> dict[str, tuple[int, str]]:
    """Match a stack of header rows column by column.

    For each column the candidate labels are the bottom cell alone, then the
    cells above joined to it ("社会保险参保人数" + "养老" ...); the first that names a
    field wins. A field matched twice keeps its first column.
    """
    width = max(len(t) for t in texts)
    found: dict[str, tuple[int, str]] = {}
    for c in range(width):
        cells = [t[c] if c < len(t) else "" for t in texts]
        parts = [p for i, p in enumerate(cells) if p and (i == 0 or p != cells[i - 1])]
        if not parts:
            continue
        candidates = [
            parts[-1],
            "".join(parts),
            *("".join(parts[i:]) for i in range(1, len(parts))),
        ]
        if len(parts) > 1:
            candidates.append(parts[-1] + parts[0])
        for cand in candidates:
            fid = catalogue.match(cand)
            if fid is not None:
                found.setdefault(fid, (c, " / ".join(parts)))
                break
    return found


def find_header(
    rows: Sequence[Sequence[Any]],
    catalogue: Catalogue,
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    *,
    scan: int = SCAN_ROWS,
) -> Header | None:
    """The best header in the first ``scan`` rows, or None if no row names two fields."""
    limit = min(scan, len(rows))
    index = merged_index(merged, limit)
    texts = [_filled_row(rows, r, index) for r in range(limit)]
    best: tuple[int, int, Header] | None = None
    for r in range(limit):
        if sum(1 for t in texts[r] if t) < MIN_FIELDS:
            continue
        for depth in (1, 2, 3):
            top = r - depth + 1
            if top < 0:
                break
            stack = texts[top : r + 1]
            found = _match_stack(stack, catalogue)
            if len(found) < MIN_FIELDS:
                continue
            # More fields wins; then the shallower stack; then the earlier row.
            score = (len(found), -depth)
            if best is None or score > (best[0], best[1]):
                used = {c for c, _ in found.values()}
                unmatched = tuple(
                    " / ".join(p for p in dict.fromkeys(s[c] for s in stack if c < len(s)) if p)
                    for c in range(max(len(s) for s in stack))
                    if c not in used and any(c < len(s) and s[c] for s in stack)
                )
                best = (len(found), -depth, Header(tuple(range(top, r + 1)), found, unmatched))
    return best[2] if best else None


def header_texts(rows: Sequence[Sequence[Any]], scan: int = 10) -> list[str]:
    """Non-empty texts of the first rows, to show when no header was found."""
    seen: dict[str, None] = {}
    for row in rows[:scan]:
        for v in row:
            t = clean_text(v)
            if t:
                seen.setdefault(t, None)
    return list(seen)
