"""Find the header row (or rows) of a sheet and map its columns to fields.

Real sheets put a title, a unit line ("单位：平方米") or notes above the header,
and some split the header over two or three rows with merged cells
("社会保险参保人数" over "养老", "失业", ...). The header is the row, or stack of
rows, whose cells name the most catalogue fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from compliance.catalogue import Catalogue, normalise_header
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


class _Cells:
    """What the header search needs of each distinct cell text, worked out once.

    Trying 30 rows × 3 depths re-matched every column of every stack, joining and
    normalising the same texts again each time: a 16,384-column sheet took 5 million
    normalisations (8 s). Here each distinct text is normalised once; a joined
    candidate's key is the join of its parts' keys (the same string, for texts whose
    normalisation is character by character, see ``_SIMPLE``); and a join is tried
    only when its first part can begin a known key. Columns none of whose cells
    can name a field or begin one are not visited at all.
    """

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        # text -> (normalised key, simple, field it names alone, may begin a key)
        self._info: dict[str, tuple[str, bool, str | None, bool]] = {}
        self._joined: dict[str, str | None] = {}
        self._first: dict[str, bool] = {}

    def info(self, text: str) -> tuple[str, bool, str | None, bool]:
        got = self._info.get(text)
        if got is None:
            got = self._info[text] = self._work_out(text)
        return got

    def _work_out(self, text: str) -> tuple[str, bool, str | None, bool]:
        key = normalise_header(text)
        simple = _SIMPLE.fullmatch(text) is not None
        return key, simple, self.catalogue.match_key(key), self.catalogue.may_begin(key)

    def interesting(self, text: str) -> bool:
        """Whether a column holding this cell can match anything.

        Only interesting texts are kept: a wide sheet of distinct junk costs no memory.
        """
        if self._rules_out(text[0]) and _SIMPLE.fullmatch(text):
            return False
        got = self._info.get(text) or self._work_out(text)
        _, simple, fid, begins = got
        if fid is not None or begins or not simple:
            self._info[text] = got
            return True
        return False

    def _rules_out(self, first: str) -> bool:
        """Whether no simple text beginning with this character can name or begin a key.

        A simple text's key begins with its first character's key; when that is one
        character, not a bracket, that begins no known key, nothing else need be done.
        """
        got = self._first.get(first)
        if got is None:
            key = normalise_header(first)
            got = self._first[first] = (
                _SIMPLE.fullmatch(first) is not None
                and len(key) == 1
                and key != "("
                and not self.catalogue.may_begin(key)
            )
        return got

    def match(self, parts: Sequence[str]) -> str | None:
        """The field the join of ``parts`` names (what ``catalogue.match`` of it returns)."""
        if len(parts) == 1:
            return self.info(parts[0])[2]
        infos = [self.info(p) for p in parts]
        if all(i[1] for i in infos):
            if not infos[0][3]:
                return None
            key = "".join(i[0] for i in infos)
        else:
            key = normalise_header("".join(parts))
        if key not in self._joined:
            self._joined[key] = self.catalogue.match_key(key)
        return self._joined[key]


#: Texts whose normalisation (NFKC, lower case, dropped characters) works character by
#: character, with no character that could combine with, reorder against or change the
#: case of a neighbour: for these, the key of a join is the join of the keys. ASCII,
#: CJK ideographs and punctuation, full-width forms, enclosed and compatibility forms
#: (not U+2017 or U+203E, whose NFKC forms carry a combining mark;
#: tests/reading/test_header.py checks every character of the class).
_SIMPLE = re.compile(
    "[\x00-\x7f\u2000-\u2016\u2018-\u203d\u203f-\u206f\u2460-\u24ff\u3000-\u3029\u3030-\u303f"
    "\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff5e]*+"
)


def _match_stack(
    texts: list[list[str]], columns: Sequence[int], cells: _Cells
) -> dict[str, tuple[int, str]]:
    """Match a stack of header rows column by column.

    For each column the candidate labels are the bottom cell alone, then the
    cells above joined to it ("社会保险参保人数" + "养老" ...); the first that names a
    field wins. A field matched twice keeps its first column. Only ``columns``
    (in order) can name a field.
    """
    found: dict[str, tuple[int, str]] = {}
    for c in columns:
        column = [t[c] if c < len(t) else "" for t in texts]
        parts = [p for i, p in enumerate(column) if p and (i == 0 or p != column[i - 1])]
        if not parts:
            continue
        candidates = [parts[-1:], parts, *(parts[i:] for i in range(1, len(parts)))]
        if len(parts) > 1:
            candidates.append([parts[-1], parts[0]])
        for cand in candidates:
            fid = cells.match(cand)
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
    cells = _Cells(catalogue)
    # Per row, the columns whose cell can name a field or begin a joined name.
    interesting = [[c for c, t in enumerate(row) if t and cells.interesting(t)] for row in texts]
    best: tuple[int, int] = (0, 0)  # (fields found, -depth) of the best stack so far
    rows_of_best = (0, 0)
    found_by_best: dict[str, tuple[int, str]] = {}
    for r in range(limit):
        if sum(1 for t in texts[r] if t) < MIN_FIELDS:
            continue
        for depth in (1, 2, 3):
            top = r - depth + 1
            if top < 0:
                break
            columns = sorted(set().union(*interesting[top : r + 1]))
            found = _match_stack(texts[top : r + 1], columns, cells)
            if len(found) < MIN_FIELDS:
                continue
            # More fields wins; then the shallower stack; then the earlier row.
            if not found_by_best or (len(found), -depth) > best:
                best, rows_of_best, found_by_best = (len(found), -depth), (top, r), found
    if not found_by_best:
        return None
    top, r = rows_of_best
    found = found_by_best
    stack = texts[top : r + 1]
    used = {c for c, _ in found.values()}
    unmatched = tuple(
        " / ".join(p for p in dict.fromkeys(s[c] for s in stack if c < len(s)) if p)
        for c in range(max(len(s) for s in stack))
        if c not in used and any(c < len(s) and s[c] for s in stack)
    )
    return Header(tuple(range(top, r + 1)), found, unmatched)


def header_texts(rows: Sequence[Sequence[Any]], scan: int = 10) -> list[str]:
    """Non-empty texts of the first rows, to show when no header was found."""
    seen: dict[str, None] = {}
    for row in rows[:scan]:
        for v in row:
            t = clean_text(v)
            if t:
                seen.setdefault(t, None)
    return list(seen)
