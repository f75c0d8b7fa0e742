"""Measure the sheets of a legacy .xls before calamine builds their grids.

A BIFF cell record carries a 16-bit column, so a 5 KB .xls can place a cell at
column 65,535 of row 65,535 and make calamine ask for 137 GB and abort the
process. This module reads the compound-file container (just enough of it to
find the Workbook stream), walks the BIFF records and returns, per worksheet
substream, how far its cells reach. It also notices a FILEPASS record, which
means the workbook is encrypted, whatever its encryption type.

The container is read the way calamine's ``Cfb::new`` reads it, step by step
(:mod:`compliance.reading.cfb`), so that the stream measured is the one calamine
parses; and a structure on which calamine's own walk would run away (a DIFAT
chain that loops, more FAT sectors than the file holds) is refused before
calamine sees it.

A legacy workbook is at most 65,536 rows, so the walk is bounded.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from compliance.reading.cfb import BiffError, workbook_stream

__all__ = ["BiffError", "BiffScan", "scan"]

# Records that hold one cell: (row u16, col u16, ...), in BIFF2-8 (a superset of
# what calamine reads).
_CELL = frozenset({0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0201, 0x0203, 0x0204,
                   0x0205, 0x0206, 0x027E, 0x00FD, 0x00D6, 0x0406})  # fmt: skip
_MULTI = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first col, ..., last col
_EOF = 0x000A
_BOF = 0x0809
_FILEPASS = 0x002F
_BOUNDSHEET = 0x0085
_SST = 0x00FC
_DIMENSIONS = 0x0200


@dataclass(frozen=True, slots=True)
class BiffScan:
    """Per worksheet substream, in workbook order: (rows, cols) reached from A1."""

    extents: tuple[tuple[int, int], ...]
    encrypted: bool
    #: Where each sheet's substream starts in the workbook stream (its BOF record).
    starts: tuple[int, ...] = ()


def _records(stream: bytes, pos: int, sheet: bool = False) -> Iterator[tuple[int, int, int]]:
    """(type, data start, data end) of each record from ``pos`` to the first EOF.

    With ``sheet``, to the sheet substream's own EOF instead: calamine skips a nested
    substream (an embedded chart: BOF ... EOF) and reads on to the sheet's EOF, where
    older releases stopped at the first EOF. The nested records are given too, which
    covers both readings."""
    depth = 0 if sheet else -1  # a nested BOF (after the sheet's own) adds one
    end = len(stream)
    unpack = struct.unpack_from
    while pos + 4 <= end:
        rtype, size = unpack("<HH", stream, pos)
        body = pos + 4
        pos = body + size
        if pos > end:
            return  # truncated: calamine stops with an error here too
        yield rtype, body, pos
        if rtype == _BOF and sheet:
            depth += 1
        elif rtype == _EOF:
            if depth <= 1:
                return
            depth -= 1


def _dimensions_cells(stream: bytes, body: int, end: int) -> int:
    """How many cells calamine reserves for a DIMENSIONS record (u32 arithmetic, as it does).

    Recent calamine takes a first column above 0xFF, or past the last one, as 0;
    earlier releases used it as given. The larger of the two reservations is returned."""
    size = end - body
    if size == 10:
        rf, rl, cf, cl = struct.unpack_from("<HHHH", stream, body)
    elif size == 14:
        rf, rl, cf, cl = struct.unpack_from("<IIHH", stream, body)
    else:
        return 0
    firsts = {cf, 0 if cf > 0xFF or cl < cf else cf}
    return max(_reserved(rf, rl, first, cl) for first in firsts)


def _reserved(rf: int, rl: int, cf: int, cl: int) -> int:
    if rl >= 1 and cl >= 1:
        end_r, end_c = rl - 1, cl - 1
    else:
        end_r, end_c = rf, cf
    rows = (end_r - rf + 1) & 0xFFFFFFFF
    cols = (end_c - cf + 1) & 0xFFFFFFFF
    return int(rows * cols)


def scan(path: Path | bytes) -> BiffScan:
    """Walk the BIFF records of an .xls as calamine will; raises :class:`BiffError` if damaged.

    Each sheet's records are read from the position its BoundSheet record
    gives, up to the first EOF record, as calamine does, and for each sheet
    the larger of its cells' reach and its DIMENSIONS reservation is kept.
    """
    data = path if isinstance(path, bytes) else path.read_bytes()
    stream = workbook_stream(data)
    positions: list[int] = []
    encrypted = False
    unpack = struct.unpack_from
    for rtype, body, end in _records(stream, 0):
        if rtype == _FILEPASS:
            # Every encryption type (0 = XOR obfuscation, 1 = RC4/CryptoAPI), and BIFF5's
            # FILEPASS without a type: the records after it are ciphertext.
            encrypted = True
            break
        if rtype == _BOUNDSHEET and end - body >= 4:
            positions.append(unpack("<I", stream, body)[0])
        elif rtype == _SST and end - body >= 8:
            # calamine reserves room for cstUnique strings; each takes 3 bytes or more.
            unique = unpack("<i", stream, body + 4)[0]
            if unique > len(stream) // 3:
                raise BiffError("xls_string_table", unique=unique)
    extents: list[tuple[int, int]] = []
    for pos in positions:
        max_row = max_col = 0
        reserved = 0
        for rtype, body, end in _records(stream, pos, sheet=True):
            if rtype in _CELL:
                if end - body >= 4:
                    row, col = unpack("<HH", stream, body)
                    if row >= max_row:
                        max_row = row + 1
                    if col >= max_col:
                        max_col = col + 1
            elif rtype in _MULTI:
                if end - body >= 6:
                    row = unpack("<H", stream, body)[0]
                    last = unpack("<H", stream, end - 2)[0]
                    max_row = max(max_row, row + 1)
                    max_col = max(max_col, last + 1)
            elif rtype == _DIMENSIONS:
                reserved = max(reserved, _dimensions_cells(stream, body, end))
        if reserved > max_row * max_col:
            # Report a forged DIMENSIONS record as the sheet size it asks for.
            extents.append((reserved, 1))
        else:
            extents.append((max_row, max_col))
    return BiffScan(tuple(extents), encrypted, tuple(positions))
