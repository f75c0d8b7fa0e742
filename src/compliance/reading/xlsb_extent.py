"""Measure an .xlsb sheet from its records before calamine builds its grid.

An .xlsb worksheet is a stream of BIFF12 records (a 7-bit type, a 7-bit size,
the body). calamine walks them when a sheet is loaded and builds a dense grid
from the first cell to the last, so a few bytes placing a cell at XFD1048576
ask for 17 billion cells. This module walks the records as calamine's cell
reader does (``xlsb/cells_reader.rs``): a BrtRowHdr sets the row (one past
row 1,048,576 ends the sheet), each cell record's first four bytes give its
column, blank cells (BrtCellBlank) are left out, and BrtEndSheetData ends the
sheet. calamine reads every record into one buffer that only grows, so a
record shorter than four bytes takes its column from the bytes an earlier
record left there; the walk keeps the same buffer. It reads the part in
blocks, so memory stays bounded whatever its size.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterator

from compliance.reading import guards, parts
from compliance.reading.inflate import open_member

#: The cell records calamine builds: RK, error, bool, real, string, shared string and
#: the four cached formula values.
_CELLS = frozenset({0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008, 0x0009, 0x000A, 0x000B})
_ROW = 0x0000
_END_DATA = 0x0092
_MAX_ROW = 0x0010_0000
_CHUNK = 4 << 20


class _Cut(Exception):
    """The part ends inside a record: calamine stops with an error there too."""


class _Reader:
    def __init__(self, blocks: Iterator[bytes]) -> None:
        self.blocks = blocks
        self.buf = b""
        self.pos = 0

    def take(self, n: int) -> bytes:
        while len(self.buf) - self.pos < n:
            block = next(self.blocks, b"")
            if not block:
                raise _Cut
            self.buf = self.buf[self.pos :] + block
            self.pos = 0
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out

    def byte(self) -> int:
        return self.take(1)[0]


def built_cells(zf: zipfile.ZipFile, member: str) -> tuple[int, int, int]:
    """(rows, cols, cells) of the grid calamine builds for a worksheet part."""
    r0 = c0 = 1 << 32
    r1 = c1 = -1
    row = 0
    last = bytearray(4)  # the first bytes of calamine's record buffer
    with open_member(zf, member) as fh:
        reader = _Reader(iter(lambda: fh.read(_CHUNK), b""))
        try:
            while True:
                b = reader.byte()
                kind = (b & 0x7F) + ((reader.byte() & 0x7F) << 7) if b & 0x80 else b
                b = reader.byte()
                size = b & 0x7F
                for i in range(1, 4):
                    if not b & 0x80:
                        break
                    b = reader.byte()
                    size += (b & 0x7F) << (7 * i)
                body = reader.take(size)
                head = body[:4]
                last[: len(head)] = head
                if kind == _ROW:
                    row = struct.unpack("<I", last)[0]
                    if row > _MAX_ROW:
                        break
                elif kind in _CELLS:
                    col = struct.unpack("<I", last)[0]
                    r0, r1, c0, c1 = min(r0, row), max(r1, row), min(c0, col), max(c1, col)
                elif kind == _END_DATA:
                    break
        except _Cut:
            pass
    if r1 < 0:
        return 0, 0, 0
    rows, cols = r1 - r0 + 1, c1 - c0 + 1
    return rows, cols, rows * cols


def check(zf: zipfile.ZipFile, limits: guards.Limits, where: str) -> None:
    """Refuse an .xlsb whose sheet's grid would pass the cell limit. (calamine builds a
    sheet when it is loaded, one at a time, so the limit is per sheet.)"""
    for member in parts.package(zf).worksheets:
        if member.lower().endswith(".bin"):
            rows, cols, cells = built_cells(zf, member)
            if cells > limits.max_cells:
                raise guards.too_many_cells(rows, cols, limits, where)
