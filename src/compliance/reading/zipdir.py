"""Accept only a zip whose central directory every reader finds in the same place.

Python's :mod:`zipfile` (which the guards read) and the Rust ``zip`` crate
(which calamine reads with) locate a damaged archive's directory differently:

- zipfile takes the last end-of-directory record (EOCD) in the final 64 KB,
  places the directory ``size`` bytes before it and reads entries until that
  many bytes are used. It applies a ZIP64 record whenever one precedes the EOCD.
- the crate searches the whole file backwards for an EOCD whose offsets hold
  up, takes the first directory header at or after the offset it states (any
  bytes before it are "prepended junk"), reads as many entries as the EOCD
  counts, and goes back to an earlier EOCD when one of them does not parse.
  It applies a ZIP64 record only when an EOCD field is saturated, and takes
  ZIP64 sizes from every ZIP64 extra field of 24 bytes or more.

So a zip that holds a second archive can show the guards one set of members
and calamine another. The fuzzer found one whose directory zipfile reads as
ten mangled names, while calamine reads an inner workbook whose shared-strings
table claims four billion strings. Following one version of the crate step
by step is not enough: the wheels bundle different versions (python-calamine
0.9 has zip 9.2, fastexcel 0.21 has zip 8.6), and they already disagree.

So this module accepts only the one layout on which every reading agrees, which
is the layout every spreadsheet program writes: the last EOCD is well formed;
its directory starts exactly at the stated offset (no prepended bytes) and ends
exactly at the EOCD (or at its ZIP64 record, placed where both readers look for
it); the entry counts agree with each other and with the entries found; each
entry's ZIP64 field gives the same sizes and offset under both readers' rules;
no Unicode-path field renames an entry. If an entry carries an extra field
that some version of the crate may fail to parse, no earlier EOCD may exist
for the crate to fall back to.
"""

from __future__ import annotations

import mmap
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

_EOCD = b"PK\x05\x06"
_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_CDFH = b"PK\x01\x02"
_U16 = 0xFFFF
_U32 = 0xFFFFFFFF
_ZIP64_FIELD = 0x0001
_NTFS = 0x000A
_TIMESTAMP = 0x5455
_UNICODE_COMMENT = 0x6375
_UNICODE_PATH = 0x7075
_AES = 0x9901
_ALIGNMENT = 0xA11E
#: The extra fields the crate parses itself (zip 8.6 and 9.x alike).
_KNOWN = frozenset(
    {_ZIP64_FIELD, _NTFS, _TIMESTAMP, _UNICODE_COMMENT, _UNICODE_PATH, _AES, _ALIGNMENT}
)
_AES_METHOD = 99


class Ambiguous(Exception):
    """The zip's directory can be read in more than one way."""


@dataclass(frozen=True, slots=True)
class _End:
    """What the end records say: entry count, directory offset, where the directory must end."""

    count: int
    offset: int
    end: int
    eocd: int


def check(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Raise :class:`Ambiguous` unless every reader finds ``infos`` as zipfile did."""
    with path.open("rb") as fh:
        if fh.seek(0, 2) < 22:
            raise Ambiguous("too short for a zip")
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            _check(mm, infos)


def _check(mm: mmap.mmap, infos: list[zipfile.ZipInfo]) -> None:
    end = _end_records(mm)
    if end.count and mm[end.offset : end.offset + 4] != _CDFH:
        raise Ambiguous("the directory does not start where the end record says")
    if end.count != len(infos):
        raise Ambiguous(
            f"the end record counts {end.count} entries; the directory holds {len(infos)}"
        )
    pos = end.offset
    risky = False
    for info in infos:
        pos, entry_risky = _entry(mm, pos, info)
        risky |= entry_risky
    if pos != end.end:
        raise Ambiguous("the directory does not end where the end record is")
    # An entry the crate may fail to parse sends it back to an earlier end record.
    if risky and mm.rfind(_EOCD, 0, end.eocd) >= 0:
        raise Ambiguous("an unusual directory entry, and a second end record before it")


def _end_records(mm: mmap.mmap) -> _End:
    size = len(mm)
    pos = mm.rfind(_EOCD)
    if pos < 0 or pos + 22 > size:
        raise Ambiguous("no end-of-directory record")
    disk, disk_cd, n_disk, n_total, cd_size, cd_off, comment = struct.unpack_from(
        "<HHHHIIH", mm, pos + 4
    )
    if pos + 22 + comment > size:
        raise Ambiguous("the archive comment runs past the end of the file")
    if disk or disk_cd or n_disk != n_total:
        raise Ambiguous("the end record's disk numbers or entry counts disagree")
    loc = pos - 20
    if loc < 0 or mm[loc : loc + 4] != _LOCATOR:
        return _End(n_total, cd_off, cd_off + cd_size, pos)
    # ZIP64: zipfile reads the record 56 bytes before the locator, the crate where the
    # locator points (and only when an EOCD field is saturated): they must coincide.
    loc_disk, at, n_disks = struct.unpack_from("<IQI", mm, loc + 4)
    if loc_disk or n_disks > 1 or at != loc - 56 or mm[at : at + 4] != _EOCD64:
        raise Ambiguous("the ZIP64 end record is not where its locator says")
    record, _, _, disk64, disk_cd64, n_disk64, n_total64, size64, off64 = struct.unpack_from(
        "<QHHIIQQQQ", mm, at + 4
    )
    if record != 44 or disk64 or disk_cd64 or n_disk64 != n_total64:
        raise Ambiguous("the ZIP64 end record is malformed")
    for small, big, sentinel in (
        (n_total, n_total64, _U16),
        (cd_size, size64, _U32),
        (cd_off, off64, _U32),
    ):
        if small != sentinel and small != big:
            raise Ambiguous("the ZIP64 end record contradicts the end record")
    return _End(n_total64, off64, off64 + size64, pos)


def _entry(mm: mmap.mmap, pos: int, info: zipfile.ZipInfo) -> tuple[int, bool]:
    """Check one directory entry against zipfile's reading; (next position, risky)."""
    if pos + 46 > len(mm) or mm[pos : pos + 4] != _CDFH:
        raise Ambiguous("a directory entry is missing or damaged")
    flags, method, csize, usize, nlen, elen, clen, offset = struct.unpack_from(
        "<8xHH8xIIHHH8xI", mm, pos
    )
    end = pos + 46 + nlen + elen + clen
    if end > len(mm):
        raise Ambiguous("a directory entry runs past the end of the file")
    raw = bytes(mm[pos + 46 : pos + 46 + nlen])
    extra = bytes(mm[pos + 46 + nlen : pos + 46 + nlen + elen])
    name = raw.decode("utf-8", "replace") if flags & 0x800 else raw.decode("cp437")
    if name != info.filename:
        raise Ambiguous(f"entry {name[:100]!r} has another name for zipfile")
    comment = bytes(mm[pos + 46 + nlen + elen : end])
    values, risky = _extra_fields(extra, raw, comment, flags, (usize, csize, offset))
    risky |= method == _AES_METHOD
    if values != (info.file_size, info.compress_size, info.header_offset):
        raise Ambiguous(f"entry {name[:100]!r} has other sizes or another offset for zipfile")
    return end, risky


def _extra_fields(
    extra: bytes, raw: bytes, comment: bytes, flags: int, values: tuple[int, int, int]
) -> tuple[tuple[int, int, int], bool]:
    """The entry's (size, compressed size, offset) after its extra fields, as both readers
    take them, and whether some version of the crate may refuse one of the fields.

    The crate parses the fields it knows (and fails on a malformed one, which sends it
    back to an earlier end record); zipfile only reads ZIP64 fields. Fields neither
    knows are skipped by both.
    """
    risky = False
    zip64 = False
    i = 0
    while i < len(extra):
        if len(extra) - i < 4:
            if len(extra) - i >= 2 and struct.unpack_from("<H", extra, i)[0] in _KNOWN:
                raise Ambiguous("an extra field's header is cut short")
            break
        kind, length = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4 : i + 4 + length]
        if len(body) < length:
            raise Ambiguous("an extra field is cut short")
        if kind == _ZIP64_FIELD:
            if zip64:
                raise Ambiguous("an entry with two ZIP64 fields")
            zip64 = True
            values = _zip64(body, *values)
        elif kind == _TIMESTAMP:
            bits = bin(body[0]).count("1") if body else 0
            if length == 0 or (length != 5 and length != 1 + 4 * bits):
                raise Ambiguous("a malformed timestamp field")
        elif kind == _NTFS:
            if length != 32 or body[4:8] != b"\x01\x00\x18\x00":
                raise Ambiguous("a malformed NTFS field")
        elif kind in (_UNICODE_PATH, _UNICODE_COMMENT):
            if length < 5:
                raise Ambiguous("a Unicode field is too small")
            # zip 8.6 fails on one whose checksum or UTF-8 is wrong; 9.x ignores it.
            utf8 = bool(flags & 0x800)
            checked = raw
            if kind == _UNICODE_COMMENT:
                text = comment.decode("utf-8", "replace") if utf8 else comment.decode("cp437")
                checked = text.encode("utf-8")
            valid = int.from_bytes(body[1:5], "little") == zlib.crc32(checked)
            try:
                body[5:].decode("utf-8")
            except UnicodeDecodeError:
                valid = False
            if kind == _UNICODE_PATH and valid and body[5:] != raw:
                raise Ambiguous("a Unicode-path field renames an entry")
            risky |= not valid
        elif kind == _AES:
            risky = True  # zip 8.6 parses it; 9.x built without AES support skips it
        i += 4 + length
    return values, risky


def _zip64(body: bytes, usize: int, csize: int, offset: int) -> tuple[int, int, int]:
    """The (size, compressed size, offset) a ZIP64 field gives, the same under both rules."""
    # zipfile reads a value for each saturated 32-bit field, in order; the crate reads
    # all three when the field is 24 bytes or more.
    readings: list[tuple[int, int, int]] = []
    for everything in (False, len(body) >= 24):
        at, out = 0, list[int]()
        for current in (usize, csize, offset):
            if everything or current == _U32:
                if at + 8 > len(body):
                    raise Ambiguous("a ZIP64 extra field is cut short")
                out.append(int.from_bytes(body[at : at + 8], "little"))
                at += 8
            else:
                out.append(current)
        readings.append((out[0], out[1], out[2]))
    if readings[0] != readings[1]:
        raise Ambiguous("a ZIP64 extra field reads two ways")
    return readings[0]
