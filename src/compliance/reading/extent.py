"""Measure a worksheet's real extent from its XML before calamine builds its grid.

calamine turns a sheet into a dense grid from A1 to the furthest cell, so a
4.7 KB .xlsx with one cell at A1 and one at XFD1048576 asks for 549 GB and
aborts the whole process. This module streams the sheet's XML (bounded memory)
and finds how far its cells reach, so that the reader can refuse such a sheet
first.

Most files are written by Excel, WPS, LibreOffice or openpyxl: every row and
cell carries an ``r`` reference and the ``<dimension ref="A1:N2001">`` element
tells the truth. For those, three regular-expression searches that match
nothing in a well-formed file prove that no cell lies outside the declared
dimension, which costs about as much as decompressing the sheet. Without a
dimension (openpyxl's write-only mode), the cell references are collected per
chunk at C speed (``findall`` into a set, no Python step per cell) and give an
upper bound. Only a surprise (a cell without a plain ``r="A1"`` reference, a
prefixed tag, a bound over the limit) switches to an exact scan that follows
every row and cell tag.

Every pattern is linear: no character class can run past the next ``<``, so
an unclosed tag costs one pass, not one pass per tag.

The same pass notes formula cells that have no cached value (files written by
programs that never computed them), which calamine reads as empty.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

from compliance.reading.chunks import Tap, iter_chunks

_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s[^<>]*?\bref\s*=\s*[\"']([^\"'<>]*)[\"']")
_REF = re.compile(r"^([A-Z]{1,3})?(\d{1,7})$")
# A namespace-prefixed row or cell tag (<x:c ...>): calamine reads those too.
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(row|c)(?=[\s/>])([^<>]*+)>")
_R_ATTR = re.compile(rb"\sr\s*=\s*[\"']([^\"'<>]*)[\"']")
# What may follow "<c" in a cell tag, and the plain references of the fast scan.
_CELL_ENDS = (b" ", b">", b"/", b"\t", b"\n", b"\r")
_REF_LETTERS = re.compile(rb'<c r="([A-Z]{1,3})\d{1,7}"')
_REF_DIGITS = re.compile(rb'<c r="[A-Z]{1,3}(\d{1,7})"')
# A cell whose only content is a formula, with no value or an empty one.
# A formula typed as a string (t="str") may legitimately cache "".
_UNCACHED = re.compile(
    rb"<(?:[\w.-]+:)?c((?:\s++[\w:.-]++\s*+=\s*+(?:\"[^\"<>]*+\"|'[^'<>]*+'))*+)\s*+>\s*"
    rb"<(?:[\w.-]+:)?f(?:\s[^<>]*+)?(?:/>|>[^<]*+</(?:[\w.-]+:)?f>)\s*"
    rb"(?:<(?:[\w.-]+:)?v\s*/>|<(?:[\w.-]+:)?v>\s*</(?:[\w.-]+:)?v>)?\s*"
    rb"</(?:[\w.-]+:)?c>"
)
_STR_TYPE = re.compile(rb"\st\s*=\s*[\"']str[\"']")


@dataclass(frozen=True, slots=True)
class Extent:
    """How far a sheet's cells reach, counted from A1 (as the reader pads them)."""

    rows: int
    cols: int
    #: 0-based (row, col) of formula cells with no cached value.
    uncached: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    #: False when rows/cols are only an upper bound proved by the fast path.
    exact: bool = True

    @property
    def cells(self) -> int:
        return self.rows * self.cols


class TooLarge(Exception):
    """Raised as soon as a scan passes the limit."""

    def __init__(self, rows: int, cols: int) -> None:
        super().__init__(rows, cols)
        self.rows = rows
        self.cols = cols


def column_number(letters: str) -> int:
    """'A' -> 1, 'Z' -> 26, 'AA' -> 27."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def _parse_ref(raw: bytes) -> tuple[int, int] | None:
    """b'AB12' -> (12, 28); b'12' -> (12, 0); None when malformed."""
    m = _REF.match(raw.decode("ascii", "replace").upper())
    if m is None:
        return None
    letters, digits = m.groups()
    return int(digits), column_number(letters) if letters else 0


def _dimension(head: bytes) -> tuple[int, int] | None:
    m = _DIMENSION.search(head)
    if m is None:
        return None
    last = m.group(1).split(b":")[-1]
    ref = _parse_ref(last.replace(b"$", b""))
    if ref is None or ref[1] == 0:
        return None
    return ref


def _fast_pattern(rows: int, cols: int) -> tuple[re.Pattern[bytes], int, int]:
    """A regex matching any row or cell tag whose reference is not provably small.

    References are compared by length and first character only (that is what a
    regex can do cheaply), so the bound it proves is a little above the
    dimension: rows < (first digit + 1) × 10^(digits - 1), and likewise for
    column letters. Returns the pattern and the (rows, cols) it guarantees.
    """
    # A reference to row 0 or column 0 ("A0") is malformed; bound it by 1 and let the
    # pattern send it to the careful path.
    rows, cols = max(rows, 1), max(cols, 1)
    digits = str(rows)
    d = len(digits)
    row_alts = ([rf"\d{{1,{d - 1}}}"] if d > 1 else []) + [rf"[1-{digits[0]}]\d{{{d - 1}}}"]
    letters = column_letters(cols)
    n = len(letters)
    col_alts = ([rf"[A-Z]{{1,{n - 1}}}"] if n > 1 else []) + [rf"[A-{letters[0]}][A-Z]{{{n - 1}}}"]
    row_ok = "(?:" + "|".join(row_alts) + ")"
    col_ok = "(?:" + "|".join(col_alts) + ")"
    pattern = re.compile(rf'<(?:c(?! r="{col_ok}{row_ok}")|row(?! r="{row_ok}"))[\s/>]'.encode())
    bound_rows = int(digits[0] + "9" * (d - 1))
    bound_cols = column_number(letters[0] + "Z" * (n - 1))
    return pattern, bound_rows, bound_cols


def column_letters(number: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    s = ""
    while number:
        number, rem = divmod(number - 1, 26)
        s = chr(65 + rem) + s
    return s


def scan_sheet(
    zf: zipfile.ZipFile, member: str, *, max_cells: int, hard_cells: int, tap: Tap | None = None
) -> Extent:
    """The extent of one worksheet part, before calamine sees it.

    Raises :class:`TooLarge` when the exact extent passes ``max_cells``. The
    fast path proves only an upper bound (``exact`` is False); it is used when
    that bound is below ``hard_cells``, which keeps calamine's allocation safe,
    and the caller checks the real size after loading. ``tap`` sees every pass.
    """
    uncached: set[tuple[int, int]] = set()
    checker: re.Pattern[bytes] | None = None
    bound = (0, 0)
    formulas = False
    for chunk in iter_chunks(zf, member, tap):
        if checker is None:
            dim = _dimension(chunk[:65536])
            if dim is None:
                return _referenced(zf, member, max_cells=max_cells, tap=tap)
            checker, *b = _fast_pattern(*dim)
            bound = (b[0], b[1])
            if bound[0] * bound[1] > hard_cells:
                return _exact(zf, member, max_cells, tap)
        # A prefixed tag (<x:c>) or any reference the pattern cannot vouch for.
        if _PREFIXED.search(chunk) is not None or checker.search(chunk) is not None:
            return _exact(zf, member, max_cells, tap)
        if formulas or b"</f>" in chunk:
            formulas = True
            _note_uncached(chunk, uncached)
    return Extent(bound[0], bound[1], frozenset(uncached), exact=False)


def _referenced(zf: zipfile.ZipFile, member: str, *, max_cells: int, tap: Tap | None) -> Extent:
    """A sheet without a dimension: a bound proved chunk by chunk, at C speed.

    Each chunk guesses its bound from its last row, then one regex search (as
    in the dimension path) proves that no cell of the chunk lies beyond it and
    that every cell tag carries a plain ``r="A1"`` reference (the search matches any cell tag that does not start so). A
    chunk that surprises is measured with ``findall`` (still no
    Python step per cell). Empty styled cells count too (calamine leaves them
    out), so only a bound over the limit needs the exact scan.
    """
    rows = cols = 0
    uncached: set[tuple[int, int]] = set()
    formulas = False
    for chunk in iter_chunks(zf, member, tap):
        if _PREFIXED.search(chunk) is not None:
            return _exact(zf, member, max_cells, tap)
        if b"<c" in chunk:
            tail = chunk[max(chunk.rfind(b"<row "), 0) :]
            guess_rows = max(map(int, _REF_DIGITS.findall(tail)), default=1)
            guess_cols = max(
                (column_number(x.decode()) for x in set(_REF_LETTERS.findall(tail))), default=1
            )
            checker, b_rows, b_cols = _fast_pattern(max(rows, guess_rows), max(cols, guess_cols))
            # No match: every cell tag starts with a plain r="A1" within the bound.
            if checker.search(chunk) is None:
                rows, cols = max(rows, b_rows), max(cols, b_cols)
            else:
                digits = _REF_DIGITS.findall(chunk)
                if len(digits) != sum(chunk.count(b"<c" + end) for end in _CELL_ENDS):
                    return _exact(zf, member, max_cells, tap)  # a malformed or odd reference
                rows = max(rows, max(map(int, set(digits))))
                letters = set(_REF_LETTERS.findall(chunk))
                cols = max(cols, *(column_number(x.decode()) for x in letters))
        if formulas or b"</f>" in chunk:
            formulas = True
            _note_uncached(chunk, uncached)
    if rows * cols > max_cells:
        # The per-chunk bound rounds up (a 1,048,576-row sheet is bounded by 1,999,999 rows):
        # measure the plain references exactly, still without a Python step per cell.
        rows, cols = _plain_bound(zf, member, tap)
    if rows * cols > max_cells:
        return _exact(zf, member, max_cells, tap)
    return Extent(rows, cols, frozenset(uncached), exact=False)


def _plain_bound(zf: zipfile.ZipFile, member: str, tap: Tap | None) -> tuple[int, int]:
    """The largest row and column of the plain references (every cell has one, as
    :func:`_referenced` proved), by ``findall`` into sets."""
    rows = cols = 0
    for chunk in iter_chunks(zf, member, tap):
        digits = set(_REF_DIGITS.findall(chunk))
        if digits:
            rows = max(rows, max(map(int, digits)))
            letters = set(_REF_LETTERS.findall(chunk))
            cols = max(cols, *(column_number(x.decode()) for x in letters))
    return rows, cols


def _note_uncached(chunk: bytes, out: set[tuple[int, int]]) -> None:
    for m in _UNCACHED.finditer(chunk):
        attrs = m.group(1)
        if _STR_TYPE.search(attrs):
            continue
        r = _R_ATTR.search(attrs)
        ref = _parse_ref(r.group(1)) if r else None
        if ref is not None and ref[1]:
            out.add((ref[0] - 1, ref[1] - 1))


def _exact(zf: zipfile.ZipFile, member: str, max_cells: int, tap: Tap | None = None) -> Extent:
    """Follow every row and cell tag, with implied positions, as calamine does."""
    uncached: set[tuple[int, int]] = set()
    max_row = max_col = 0
    row = 0
    col = 0
    for chunk in iter_chunks(zf, member, tap):
        for m in _TAG.finditer(chunk):
            closing, name, attrs = m.groups()
            if closing:
                continue
            r = _R_ATTR.search(attrs)
            if name == b"row":
                if r is not None:
                    ref = _parse_ref(r.group(1))
                    if ref is None or ref[1]:
                        raise TooLarge(1 << 40, 1)  # not a row number: refuse, don't guess
                    row = ref[0]
                else:
                    row += 1
                col = 0
                continue
            if r is not None:
                ref = _parse_ref(r.group(1))
                if ref is None or ref[1] == 0:
                    raise TooLarge(1 << 40, 1)
                row, col = ref
            else:
                col += 1
            if attrs.endswith(b"/"):
                continue  # an empty (styled) cell: calamine leaves it out of the grid
            if row > max_row or col > max_col:
                max_row = max(max_row, row)
                max_col = max(max_col, col)
                if max_row * max_col > max_cells:
                    raise TooLarge(max_row, max_col)
        if b"</f>" in chunk or uncached:
            _note_uncached(chunk, uncached)
    return Extent(max_row, max_col, frozenset(uncached))
