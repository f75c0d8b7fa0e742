"""Checks on hostile files, made before any parser sees them.

Workbooks come from outside. An .xlsx/.ods is a zip of XML: a zip bomb can
expand a few kilobytes into gigabytes, a shared-strings table can declare four
billion entries (calamine reserves room for them and aborts), and a sheet can
place one cell at XFD1048576 so that calamine's dense grid asks for 549 GB.
calamine aborts the whole process when an allocation fails, so none of this
can be caught afterwards: these checks read the zip directory, the whole
shared-strings part (streamed), an .ods's repeat attributes and (see
:mod:`~compliance.reading.extent`) each sheet's cell references first. See
SECURITY.md for the threat model.

XML entity tricks are refused by calamine's XML parser itself ("unrecognized
entity"): it expands no DTD entity and fetches no external one. The tests
hold it to that.
"""

from __future__ import annotations

import lzma
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from compliance.errors import InputError
from compliance.labels.messages import Msg, msg
from compliance.reading import parts, zipdir
from compliance.reading.inflate import ERRORS as _INFLATE_ERRORS
from compliance.reading.inflate import open_member

#: Cells (rows × columns, counted from A1) of one sheet that we agree to read.
#: 1,048,576 rows × 28 columns; ``--max-cells`` raises it.
DEFAULT_MAX_CELLS = 30_000_000
#: Above this, calamine's grid (32 bytes a cell) would need more than 2 GB:
#: refuse before parsing even when the exact size is not known yet. No option
#: lifts it: ``--max-cells`` above it is lowered to it.
HARD_CELLS = 64_000_000
#: Total uncompressed size of all parts of a workbook that we agree to read.
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
#: Compression ratio above which a large part is treated as a zip bomb.
MAX_RATIO = 200
_RATIO_APPLIES_ABOVE = 32 * 1024**2
MAX_MEMBERS = 10_000
#: A shared string takes at least 5 bytes of XML ("<si/>").
_MIN_STRING_BYTES = 5

#: What reading a damaged zip can raise, from the directory or while inflating a part.
ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    *_INFLATE_ERRORS,
    lzma.LZMAError,
    struct.error,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,  # an encrypted member
    NotImplementedError,  # an unknown compression method
    KeyError,
    UnicodeDecodeError,
    OverflowError,
)

# calamine reserves room for uniqueCount strings; count is the number of uses.
_UNIQUE = re.compile(rb"(?<![\w:.-])uniqueCount\s*+=\s*+[\"']\s*+(\d++)")
_CHUNK = 4 << 20
#: The root element of a shared-strings part must start within this many bytes.
_MAX_PROLOGUE = 64 << 20


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one input may make the reader hold."""

    max_cells: int = DEFAULT_MAX_CELLS

    def __post_init__(self) -> None:
        # --max-cells raises the soft limit up to the hard one, never past it.
        if self.max_cells > HARD_CELLS:
            object.__setattr__(self, "max_cells", HARD_CELLS)

    @property
    def hard_cells(self) -> int:
        return HARD_CELLS


def _limit_text(limits: Limits, cells: int = 0) -> Msg:
    if limits.max_cells >= HARD_CELLS or cells > HARD_CELLS:
        return msg("limit_hard_cells", limit=HARD_CELLS)
    return msg("limit_max_cells", limit=limits.max_cells)


def too_many_cells(rows: int, cols: int, limits: Limits, where: str) -> InputError:
    return InputError(
        "sheet_too_many_cells",
        rows=rows,
        cols=cols,
        cells=rows * cols,
        limit=_limit_text(limits, rows * cols),
        where=where,
    )


def check_regular_file(path: Path) -> os.stat_result:
    """Refuse what is not a regular file (a FIFO would block, a device never ends).

    Checked on the path before it is opened: opening a FIFO already blocks.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError("file_not_found", where=str(path)) from None
    except OSError as exc:
        raise InputError("file_cannot_open", reason=exc.strerror, where=str(path)) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("file_is_folder", where=str(path))
    if not stat.S_ISREG(st.st_mode):
        raise InputError("file_not_regular", where=str(path))
    return st


def check_directory(zf: zipfile.ZipFile, path: Path, where: str) -> None:
    """Refuse a zip that calamine's zip reader could read differently from zipfile.

    The guards read the members zipfile finds; calamine's Rust ``zip`` crate
    locates the central directory by other rules, and a zip holding a second
    archive can show it other members, unguarded (see :mod:`~compliance.reading.zipdir`).
    """
    try:
        zipdir.check(path, zf.infolist())
    except zipdir.Ambiguous as exc:
        raise InputError("zip_two_directories", detail=str(exc), where=where) from None


def check_container(zf: zipfile.ZipFile, where: str) -> None:
    """Refuse zip bombs and absurd workbooks from the zip directory alone."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError("zip_too_many_parts", limit=MAX_MEMBERS, where=where)
    seen: set[str] = set()
    for info in infos:
        # Readers disagree on which copy of a duplicated name they read.
        name = parts.normal(info.filename)
        if name in seen:
            raise InputError("zip_part_twice", part=repr(name[:200]), where=where)
        seen.add(name)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > _RATIO_APPLIES_ABOVE and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise InputError(
                "zip_bomb",
                part=repr(info.filename),
                ratio=info.file_size // max(info.compress_size, 1),
                mb=info.file_size >> 20,
                limit=MAX_RATIO,
                where=where,
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise InputError(
            "zip_too_large", mb=total >> 20, limit=MAX_UNCOMPRESSED_BYTES >> 20, where=where
        )


def check_shared_strings(zf: zipfile.ZipFile, limits: Limits, where: str) -> None:
    """Refuse a shared-strings table whose declared size is impossible or too big.

    calamine reserves memory for ``uniqueCount`` strings up front, so a forged
    count of four billion aborts the process before a single string is read.
    The whole part is streamed: the root tag may come after any amount of
    comments, and the bound is the part's real inflated size, not the size
    its zip entry claims. ``count`` (how often strings are used) bounds
    nothing and is not checked.
    """
    for member in parts.package(zf).shared_strings:
        try:
            unique, size = _unique_count(zf, member)
        except InputError as exc:
            raise InputError(exc.msg, where=where) from None
        if unique is None:
            continue
        if unique > size // _MIN_STRING_BYTES + 1:
            raise InputError("sst_forged_count", unique=unique, size=size, where=where)
        if unique > limits.hard_cells:
            raise InputError("sst_too_many", unique=unique, limit=limits.hard_cells, where=where)


def _unique_count(zf: zipfile.ZipFile, member: str) -> tuple[int | None, int]:
    """The root tag's uniqueCount and the part's real size, streaming the part once."""
    unique: int | None = None
    pending = b""
    found = False
    size = 0
    with open_member(zf, member) as fh:
        while block := fh.read(_CHUNK):
            size += len(block)
            if found:
                continue
            pending += block
            tag = _root_tag(pending)
            if tag is None:
                if len(pending) > _MAX_PROLOGUE:
                    raise InputError("sst_no_root", mb=_MAX_PROLOGUE >> 20)
                continue
            found = True
            m = _UNIQUE.search(tag)
            unique = _count(m.group(1)) if m else None
            pending = b""
    return unique, size


def _count(digits: bytes) -> int:
    """A count as a number: leading zeros are zeros, and a count past 20 digits is
    kept as 10^20 (already impossible) rather than converted whole."""
    significant = digits.lstrip(b"0")
    return int(significant[:21] or b"0") if len(significant) <= 20 else 10**20


def _root_tag(data: bytes) -> bytes | None:
    """The first start tag after the prolog (comments, PIs, a DOCTYPE), or None if unfinished."""
    pos = 0
    while True:
        lt = data.find(b"<", pos)
        if lt < 0 or lt + 2 > len(data):
            return None
        for opener, closer in ((b"<!--", b"-->"), (b"<?", b"?>"), (b"<![CDATA[", b"]]>")):
            if data.startswith(opener, lt):
                end = data.find(closer, lt + len(opener))
                if end < 0:
                    return None
                pos = end + len(closer)
                break
        else:
            if data.startswith(b"<!", lt):  # a DOCTYPE, perhaps with an internal subset
                gt = data.find(b">", lt)
                bracket = data.find(b"[", lt, gt if gt >= 0 else len(data))
                end = data.find(b"]>", bracket) + 1 if bracket >= 0 else gt
                if gt < 0 or end <= 0:
                    return None
                pos = end + 1
                continue
            gt = data.find(b">", lt)
            return None if gt < 0 else data[lt : gt + 1]


def check_ods(zf: zipfile.ZipFile, limits: Limits, where: str) -> None:
    """Refuse an .ods whose repeat attributes expand past the cell limits (see ods_extent)."""
    from compliance.reading.ods_extent import scan_content

    names = parts.members(zf)
    if "content.xml" not in names:
        return
    ext = scan_content(zf, names["content.xml"])
    if ext.unclosed:
        raise InputError("ods_table_unclosed", where=where)
    if ext.rows * ext.cols > limits.max_cells:
        raise too_many_cells(ext.rows, ext.cols, limits, where)
    check_built_total(ext.total_cells, limits, where)


def check_built_total(cells: int, limits: Limits, where: str) -> None:
    """Refuse a workbook whose sheets together pass the cell limit, where the reader builds
    every sheet when it opens the file (.xls, .ods): choosing one sheet cannot bound that."""
    if cells > limits.max_cells:
        raise InputError(
            "workbook_too_many_cells", cells=cells, limit=limits.max_cells, where=where
        )


def open_zip(path: Path) -> zipfile.ZipFile:
    """Open a zip container, turning damage into :class:`InputError`."""
    try:
        return zipfile.ZipFile(path)
    except ZIP_ERRORS:
        raise InputError("file_damaged_zip", where=str(path)) from None
