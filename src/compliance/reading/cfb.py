"""The compound-file (OLE2) container of a legacy .xls, read the way calamine reads it.

:func:`workbook_stream` follows calamine's ``Cfb::new`` and ``get_stream``
(calamine/src/cfb.rs) step by step, so that the records :mod:`compliance.reading.biff`
measures are the ones calamine will parse, and refuses every structure that
would make calamine's own walk run away.
"""

from __future__ import annotations

import struct
import sys
from array import array

from compliance.labels.messages import Msg


class BiffError(Exception):
    """The container or its records are damaged (a message by key, as every error)."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.msg = Msg(key, params)
        super().__init__(self.msg.text("en"))


_FREE = 0xFFFFFFFF
_END = 0xFFFFFFFE
#: Sector ids at or above this are special values (DIFSECT, FATSECT, ENDOFCHAIN, FREESECT):
#: calamine skips them in the DIFAT list and stops its DIFAT walk at MAXREGSECT + 1.
_DIFSECT = 0xFFFFFFFC
_RESERVED = 0xFFFFFFFA
#: calamine takes a stream from the mini stream when it is shorter than this, whatever the
#: header's own cutoff field says.
_MINI_CUTOFF = 4096
_MINI_SECTOR = 64
#: FAT sectors the DIFAT may name beyond the file's own sector count: writers that fill the
#: header's 109 unused slots, or a last DIFAT sector's 127, with 0 instead of FREESECT.
_FAT_SLACK = 109 + 127
#: calamine reserves room for 4 × (the u32 at header offset 0x3E) bytes of DIFAT; in a real
#: file that is the high half of the first mini-FAT sector id plus the low half of the mini-FAT
#: sector count shifted up 16 bits, a few megabytes at most.
_MAX_DIFAT_RESERVE = 256 << 20
_MAX_STREAM = 512 * 1024 * 1024


def _table(data: bytes) -> array[int]:
    """A sector of sector ids (FAT, DIFAT, mini FAT) as little-endian u32s."""
    if not data or len(data) % 4:
        # calamine asserts a whole number of ids and panics otherwise.
        raise BiffError("cfb_sector_table_short")
    table = array("I", data)
    if sys.byteorder == "big":
        table.byteswap()
    return table


def _chain(start: int, table: array[int], limit: int | None = None) -> list[int]:
    """Sector ids of the chain from ``start`` through ``table``, as calamine follows it.

    calamine follows a chain to ENDOFCHAIN (or until it holds ``limit`` sectors),
    never checking for a loop: a chain that meets itself grows a buffer without
    bound, so a repeated sector is refused here.
    """
    out: list[int] = []
    seen = bytearray(len(table))
    n = start
    while n != _END and (limit is None or len(out) < limit):
        if n >= len(table) or seen[n]:
            raise BiffError("cfb_broken_chain")
        seen[n] = 1
        out.append(n)
        n = table[n]
    return out


def workbook_stream(data: bytes) -> bytes:
    """The stream of a compound file that calamine reads as the workbook, read its way
    (see :func:`workbook_pieces`)."""
    return b"".join(data[off : off + n] for off, n in workbook_pieces(data))


def workbook_pieces(data: bytes) -> list[tuple[int, int]]:
    """Where the workbook stream lies in the file: (offset, length) of each piece, in order.

    This follows calamine's ``Cfb::new`` and ``get_stream`` (calamine/src/cfb.rs) step
    by step, so that the records measured here are the ones calamine will parse, and
    refuses every structure that would make calamine's own walk run away: a DIFAT
    chain that loops (calamine follows it forever, growing its list until an
    allocation of gigabytes aborts the process), more FAT sectors than the file
    holds, a chain that meets itself, a stream longer than the file.
    """
    if len(data) < 512:
        raise BiffError("cfb_truncated")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    # calamine reads 512- and 4096-byte sectors and 64-byte mini sectors only.
    if shift not in (9, 12) or mini_shift != 6:
        raise BiffError("cfb_bad_header")
    size = 1 << shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from("<IIII", data, 0x3C)
    # Sectors that start inside the file; sector n lies at (n + 1) << shift.
    nsec = max(0, -(-(len(data) - size) // size))
    # A real file never counts more sectors than it has; calamine sizes buffers from these.
    if max(n_fat, n_minifat, n_difat) > nsec:
        raise BiffError("cfb_too_many_sectors")
    # calamine reads its DIFAT capacity from the wrong offset (0x3E, four bytes that span
    # two other fields) and reserves 4 bytes per entry before reading a sector.
    if 4 * struct.unpack_from("<I", data, 0x3E)[0] > _MAX_DIFAT_RESERVE:
        raise BiffError("cfb_impossible_table")

    def sector(n: int) -> bytes:
        if n >= nsec:
            raise BiffError("cfb_sector_past_end")
        off = (n + 1) << shift
        return data[off : off + size]

    # The DIFAT: the header's 109 slots, then the chain of DIFAT sectors from first_difat,
    # whose last id names the next one. calamine follows that chain to its end whatever
    # the header's DIFAT count says, and never notices a loop.
    difat = _table(data[0x4C:0x200])
    visited: set[int] = set()
    nxt = first_difat
    while nxt < _RESERVED:
        if nxt in visited:
            raise BiffError("cfb_difat_loop")
        visited.add(nxt)
        difat.extend(_table(sector(nxt)))
        nxt = difat.pop()
    # calamine loads every DIFAT entry below DIFSECT as a FAT sector, up to n_fat or not.
    fat_ids = [sid for sid in difat if sid < _DIFSECT]
    if len(fat_ids) > nsec + _FAT_SLACK:
        raise BiffError("cfb_fat_sectors")
    fat = array("I")
    for sid in fat_ids:
        fat.extend(_table(sector(sid)))

    directory = b"".join(sector(s) for s in _chain(first_dir, fat))
    entries: list[tuple[str, int, int]] = []
    for off in range(0, len(directory) - 127, 128):
        # calamine decodes all 64 name bytes and cuts at the first NUL (not at the name
        # length field), and reads a 32-bit size from 512-byte-sector files.
        name = directory[off : off + 64].decode("utf-16-le", "replace").split("\0", 1)[0]
        start, stream_size = struct.unpack_from("<IQ", directory, off + 0x74)
        entries.append((name, start, stream_size & 0xFFFFFFFF if shift == 9 else stream_size))
    if not entries:
        raise BiffError("cfb_no_directory")
    root = entries[0]
    # calamine looks the stream up by these exact names, in this order, whatever the
    # entry's type (compound-file names are case-insensitive: BIFF5 writers use "BOOK").
    target = next(
        (e for name in ("Workbook", "Book", "WORKBOOK", "BOOK") for e in entries if e[0] == name),
        None,
    )
    if target is None:
        raise BiffError("cfb_no_workbook")
    _, start, stream_size = target
    if stream_size > min(_MAX_STREAM, len(data)) or root[2] > len(data):
        raise BiffError("cfb_stream_too_large")
    if stream_size >= _MINI_CUTOFF:
        sids = _chain(start, fat, -(-stream_size // size))
        return _cut([(_offset(s, nsec, shift), size) for s in sids], stream_size, len(data))
    if n_minifat == 0:
        # calamine has no mini stream then and reads whatever follows in the file.
        raise BiffError("cfb_no_minifat")
    minifat = array("I")
    for s in _chain(first_minifat, fat, n_minifat):
        minifat.extend(_table(sector(s)))
    _, root_start, root_size = root
    big = [_offset(s, nsec, shift) for s in _chain(root_start, fat, -(-root_size // size))]
    out: list[tuple[int, int]] = []
    have = 0
    for m in _chain(start, minifat, -(-stream_size // _MINI_SECTOR)):
        # A mini sector never straddles two big ones (64 divides the sector size).
        at = m * _MINI_SECTOR
        base = big[at // size] + at % size if at // size < len(big) else len(data)
        n = min(_MINI_SECTOR, root_size - at, len(data) - base)
        if n < min(_MINI_SECTOR, stream_size - have):
            # Past the mini stream calamine goes on reading the file itself.
            raise BiffError("cfb_mini_past_end")
        out.append((base, n))
        have += n
    return _cut(out, stream_size, len(data))


def _offset(n: int, nsec: int, shift: int) -> int:
    if n >= nsec:
        raise BiffError("cfb_sector_past_end")
    return (n + 1) << shift


def _cut(pieces: list[tuple[int, int]], size: int, end: int) -> list[tuple[int, int]]:
    """The pieces clipped to the file's end and to ``size`` bytes in all."""
    out: list[tuple[int, int]] = []
    for off, n in pieces:
        n = min(n, size, end - off)
        if n > 0:
            out.append((off, n))
            size -= n
    return out
