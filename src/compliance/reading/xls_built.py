"""What calamine builds when it opens an .xls, and a copy of the file it can open within it.

calamine builds every sheet of a legacy workbook when it opens the file, each
as a dense grid from its first cell to its last, so the cell limit must hold
for all the sheets together, whichever one is read. LibreOffice writes a
formatted, empty cell as a text cell holding "" (a LABELSST record naming an
empty shared string): eight sheets with one at A1 and one at IV65536 made
calamine build 134 million cells, 4.1 GB, for a 10 KB file. Such a cell reads
as empty either way, so when the sheets together pass the limit only because of
them, calamine is given a copy of the file in which they are BLANK records
(which it leaves out): the same values, a grid the size of the data.
"""

from __future__ import annotations

import bisect
import struct
from dataclasses import dataclass
from pathlib import Path

from compliance.errors import InputError
from compliance.reading import biff, guards
from compliance.reading.cfb import BiffError, workbook_pieces, workbook_stream

# The cell records calamine builds (xls.rs ``parse_workbook``): NUMBER, LABEL, RSTRING,
# BOOLERR, RK, LABELSST, MULRK, FORMULA (its string result follows in a STRING record, at
# the formula's cell). BLANK and MULBLANK (formatting only) it leaves out.
_BUILT = frozenset({0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006})
_MULRK = 0x00BD
_LABELSST = 0x00FD
_LABELS = frozenset({0x0204, 0x00D6})
_SST = 0x00FC
_CONTINUE = 0x003C
#: What an empty-text cell record becomes: BLANK, which calamine leaves out.
_BLANK = 0x0201


@dataclass(frozen=True, slots=True)
class Built:
    """Per sheet, the cells of the grid calamine builds when it opens the file."""

    cells: tuple[int, ...]
    #: The same, with the cells that hold only empty text left out.
    without_empty: tuple[int, ...]
    #: Stream positions of those empty-text cell records.
    empty_text: tuple[int, ...] = ()


def check(path: Path, limits: guards.Limits) -> bytes | None:
    """Refuse an .xls too large to open. Returns the bytes calamine must read instead of
    the file when empty-text cells alone take its sheets past the limit, else None."""
    where = str(path)
    try:
        data = path.read_bytes()
        scan = biff.scan(data)
        if scan.encrypted:
            raise InputError("workbook_password", where=where)
        # Checked before calamine builds (or reserves) anything: a legitimate BIFF8
        # sheet reaches at most 65,536 × 256 cells, below any limit.
        for rows, cols in scan.extents:
            if rows * cols > min(limits.max_cells, limits.hard_cells):
                raise guards.too_many_cells(rows, cols, limits, where)
        built = measure(data, scan)
    except BiffError as exc:
        raise InputError("xls_unreadable", detail=exc.msg, where=where) from None
    except (struct.error, IndexError, ValueError):
        raise InputError("xls_damaged", where=where) from None
    if sum(built.cells) <= limits.max_cells:
        return None
    guards.check_built_total(sum(built.without_empty), limits, where)
    return without_empty_text(data, built)


def measure(data: bytes, scan: biff.BiffScan | None = None) -> Built:
    """The cells calamine builds for each sheet of the .xls ``data``."""
    scan = scan or biff.scan(data)
    stream = workbook_stream(data)
    boxes = [_built(stream, pos) for pos in scan.starts]
    cells = tuple(b.all.cells for b in boxes)
    if not any(b.empty for b in boxes):
        return Built(cells, cells)
    empty = _empty_strings(stream)
    without = tuple(b.without(empty).cells for b in boxes)
    return Built(cells, without, tuple(p for b in boxes for p in b.empty_at(empty)))


class _Area:
    """The smallest box around some cells, as calamine's ``Range::from_sparse`` takes it."""

    __slots__ = ("c0", "c1", "r0", "r1")

    def __init__(self) -> None:
        self.r0 = self.c0 = 1 << 32
        self.r1 = self.c1 = -1

    def add(self, row: int, col: int) -> None:
        self.r0, self.r1 = min(self.r0, row), max(self.r1, row)
        self.c0, self.c1 = min(self.c0, col), max(self.c1, col)

    @property
    def cells(self) -> int:
        return 0 if self.r1 < 0 else (self.r1 - self.r0 + 1) * (self.c1 - self.c0 + 1)


class _Box:
    """A sheet's built cells: the box of all of them, and the cells that may be empty text."""

    def __init__(self) -> None:
        self.all = _Area()
        self.rest = _Area()
        #: (record start, row, col, SST index or -1 for an inline label) of possible empties.
        self.empty: list[tuple[int, int, int, int]] = []

    def without(self, empty: set[int]) -> _Area:
        area = _Area()
        area.r0, area.r1, area.c0, area.c1 = self.rest.r0, self.rest.r1, self.rest.c0, self.rest.c1
        for _, row, col, sst in self.empty:
            if not _is_empty(sst, empty):
                area.add(row, col)
        return area

    def empty_at(self, empty: set[int]) -> list[int]:
        return [pos for pos, _, _, sst in self.empty if _is_empty(sst, empty)]


def _is_empty(sst: int, empty: set[int]) -> bool:
    return sst < 0 or sst in empty


def _built(stream: bytes, pos: int) -> _Box:
    """The cells calamine builds for the sheet whose BOF is at ``pos``."""
    box = _Box()
    unpack = struct.unpack_from
    for rtype, body, end in biff._records(stream, pos, sheet=True):
        if rtype in _BUILT:
            if end - body < 4:
                continue
            row, col = unpack("<HH", stream, body)
            box.all.add(row, col)
            if rtype == _LABELSST and end - body >= 10:
                box.empty.append((body - 4, row, col, unpack("<I", stream, body + 6)[0]))
            elif rtype in _LABELS and end - body >= 8 and unpack("<H", stream, body + 6)[0] == 0:
                box.empty.append((body - 4, row, col, -1))
            else:
                box.rest.add(row, col)
        elif rtype == _MULRK and end - body >= 6:
            row, first = unpack("<HH", stream, body)
            last = unpack("<H", stream, end - 2)[0]
            box.all.add(row, first)
            box.all.add(row, max(first, last))
            box.rest.add(row, first)
            box.rest.add(row, max(first, last))
    return box


def _empty_strings(stream: bytes) -> set[int]:
    """The indices of the shared strings that are empty (no characters)."""
    pieces: list[bytes] = []
    for rtype, body, end in biff._records(stream, 0):
        if rtype == _SST:
            pieces = [stream[body + 8 : end]]
        elif rtype == _CONTINUE and pieces:
            pieces.append(stream[body:end])
        elif pieces:
            break
    return _SstWalk(pieces).empties()


class _SstWalk:
    """The shared strings, split over CONTINUE records the way BIFF8 splits them: a string's
    characters carry a new option byte at each break, its other parts do not."""

    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = pieces
        self.i = 0
        self.pos = 0

    def _take(self, n: int) -> bytes:
        out = b""
        while n > 0:
            if self.i >= len(self.pieces):
                raise _End
            part = self.pieces[self.i][self.pos : self.pos + n]
            out += part
            n -= len(part)
            self.pos += len(part)
            if self.pos >= len(self.pieces[self.i]):
                self.i += 1
                self.pos = 0
        return out

    def _chars(self, count: int, wide: bool) -> None:
        while count > 0:
            if self.i >= len(self.pieces):
                raise _End
            room = (len(self.pieces[self.i]) - self.pos) // (2 if wide else 1)
            step = min(room, count)
            self.pos += step * (2 if wide else 1)
            count -= step
            if count > 0:
                self.i += 1
                self.pos = 0
                wide = bool(self._take(1)[0] & 1)

    def empties(self) -> set[int]:
        """Indices of the empty strings, up to where the table ends or is damaged (a string
        not known to be empty counts as text: the guard then errs on the safe side)."""
        out: set[int] = set()
        k = 0
        try:
            while True:
                cch, flags = struct.unpack("<HB", self._take(3))
                runs = struct.unpack("<H", self._take(2))[0] if flags & 8 else 0
                ext = struct.unpack("<I", self._take(4))[0] if flags & 4 else 0
                if cch == 0:
                    out.add(k)
                self._chars(cch, bool(flags & 1))
                self._take(4 * runs + ext)
                k += 1
        except _End:
            return out


class _End(Exception):
    """The string table ends (or is cut short) here."""


def without_empty_text(data: bytes, built: Built) -> bytes:
    """``data`` with every empty-text cell record turned into a BLANK record, which
    calamine leaves out of the grid (the cell reads as empty either way)."""
    pieces = workbook_pieces(data)
    starts: list[int] = []
    at = 0
    for _, n in pieces:
        starts.append(at)
        at += n
    out = bytearray(data)
    for pos in built.empty_text:
        for k, byte in enumerate(struct.pack("<H", _BLANK)):
            i = bisect.bisect_right(starts, pos + k) - 1
            off, _ = pieces[i]
            out[off + pos + k - starts[i]] = byte
    return bytes(out)
