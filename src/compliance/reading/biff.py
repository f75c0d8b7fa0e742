"""Measure the sheets of a legacy .xls before calamine builds their grids.

A BIFF cell record carries a 16-bit column, so a 5 KB .xls can place a cell at
column 65,535 of row 65,535 and make calamine ask for 137 GB and abort the
process. This module reads the compound-file container (just enough of it to
find the Workbook stream), walks the BIFF records and returns, per worksheet
substream, how far its cells reach. It also notices a FILEPASS record, which
means the workbook is encrypted, whatever its encryption type.

A legacy workbook is at most 65,536 rows, so the walk is bounded.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_FREE = 0xFFFFFFFF
_END = 0xFFFFFFFE
_MAX_STREAM = 512 * 1024 * 1024

# Records that hold one cell: (row u16, col u16, ...), in BIFF2-8 (a superset of
# what calamine reads).
_CELL = frozenset({0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0201, 0x0203, 0x0204,
                   0x0205, 0x0206, 0x027E, 0x00FD, 0x00D6, 0x0406})  # fmt: skip
_MULTI = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first col, ..., last col
_EOF = 0x000A
_FILEPASS = 0x002F
_BOUNDSHEET = 0x0085
_SST = 0x00FC
_DIMENSIONS = 0x0200


class BiffError(Exception):
    """The container or its records are damaged."""


@dataclass(frozen=True, slots=True)
class BiffScan:
    """Per worksheet substream, in workbook order: (rows, cols) reached from A1."""

    extents: tuple[tuple[int, int], ...]
    encrypted: bool


def _u32s(data: bytes) -> tuple[int, ...]:
    return struct.unpack(f"<{len(data) // 4}I", data[: len(data) // 4 * 4])


def _workbook_stream(data: bytes) -> bytes:
    """The 'Workbook' (or BIFF5 'Book') stream of a compound file."""
    if len(data) < 512:
        raise BiffError("the file is truncated")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if not 7 <= shift <= 16 or not 2 <= mini_shift < shift:
        raise BiffError("bad compound-file header")
    size = 1 << shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    mini_cutoff, first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from(
        "<IIIII", data, 0x38
    )
    nsec = (len(data) - 512) // size + 1
    # A real file never counts more sectors than it has; calamine sizes buffers from these.
    if max(n_fat, n_minifat, n_difat) > nsec:
        raise BiffError("the compound-file header counts more sectors than the file has")

    def sector(n: int) -> bytes:
        if n >= nsec:
            raise BiffError("a sector lies past the end of the file (truncated?)")
        off = (n + 1) << shift
        return data[off : off + size]

    difat = list(_u32s(data[0x4C:0x200]))
    nxt = first_difat
    for _ in range(min(n_difat, nsec)):
        if nxt in (_END, _FREE):
            break
        ids = _u32s(sector(nxt))
        difat.extend(ids[:-1])
        nxt = ids[-1]
    fat: list[int] = []
    for sid in difat[: min(n_fat, nsec)]:
        if sid != _FREE:
            fat.extend(_u32s(sector(sid)))

    def chain(start: int, table: list[int], limit: int) -> list[int]:
        out: list[int] = []
        seen: set[int] = set()
        n = start
        while n not in (_END, _FREE) and len(out) < limit:
            if n in seen or n >= len(table):
                raise BiffError("a broken sector chain")
            seen.add(n)
            out.append(n)
            n = table[n]
        return out

    directory = b"".join(sector(s) for s in chain(first_dir, fat, nsec))
    entries = []
    for off in range(0, len(directory) - 127, 128):
        name_len = struct.unpack_from("<H", directory, off + 0x40)[0]
        name = directory[off : off + max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
        kind = directory[off + 0x42]
        start, stream_size = struct.unpack_from("<IQ", directory, off + 0x74)
        entries.append((name, kind, start, stream_size & 0xFFFFFFFF if shift == 9 else stream_size))
    if not entries:
        raise BiffError("no directory")
    root = entries[0]
    # Compound-file names are case-insensitive: BIFF5 writers use "Book" or "BOOK".
    target = next((e for e in entries if e[1] == 2 and e[0].lower() in ("workbook", "book")), None)
    if target is None:
        raise BiffError("no Workbook stream")
    _, _, start, stream_size = target
    if stream_size > min(_MAX_STREAM, len(data)) or root[3] > len(data):
        raise BiffError("a stream claims to be larger than the file")
    if stream_size < mini_cutoff:
        minifat: list[int] = []
        for s in chain(first_minifat, fat, nsec):
            minifat.extend(_u32s(sector(s)))
        ministream = b"".join(sector(s) for s in chain(root[2], fat, nsec))
        msize = 1 << mini_shift
        parts = [
            ministream[m * msize : (m + 1) * msize]
            for m in chain(start, minifat, stream_size // msize + 1)
        ]
        return b"".join(parts)[:stream_size]
    return b"".join(sector(s) for s in chain(start, fat, stream_size // size + 1))[:stream_size]


def _records(stream: bytes, pos: int) -> Iterator[tuple[int, int, int]]:
    """(type, data start, data end) of each record from ``pos`` to the first EOF."""
    end = len(stream)
    unpack = struct.unpack_from
    while pos + 4 <= end:
        rtype, size = unpack("<HH", stream, pos)
        body = pos + 4
        pos = body + size
        if pos > end:
            return  # truncated: calamine stops with an error here too
        yield rtype, body, pos
        if rtype == _EOF:
            return


def _dimensions_cells(stream: bytes, body: int, end: int) -> int:
    """How many cells calamine reserves for a DIMENSIONS record (u32 arithmetic, as it does)."""
    size = end - body
    if size == 10:
        rf, rl, cf, cl = struct.unpack_from("<HHHH", stream, body)
    elif size == 14:
        rf, rl, cf, cl = struct.unpack_from("<IIHH", stream, body)
    else:
        return 0
    if rl >= 1 and cl >= 1:
        end_r, end_c = rl - 1, cl - 1
    else:
        end_r, end_c = rf, cf
    rows = (end_r - rf + 1) & 0xFFFFFFFF
    cols = (end_c - cf + 1) & 0xFFFFFFFF
    return int(rows * cols)


def scan(path: Path) -> BiffScan:
    """Walk the BIFF records of an .xls as calamine will; raises :class:`BiffError` if damaged.

    Each sheet's records are read from the position its BoundSheet record
    gives, up to the first EOF record, as calamine does, and for each sheet
    the larger of its cells' reach and its DIMENSIONS reservation is kept.
    """
    data = path.read_bytes()
    stream = _workbook_stream(data)
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
                raise BiffError(f"the string table claims {unique:,} strings")
    extents: list[tuple[int, int]] = []
    for pos in positions:
        max_row = max_col = 0
        reserved = 0
        for rtype, body, end in _records(stream, pos):
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
    return BiffScan(tuple(extents), encrypted)
