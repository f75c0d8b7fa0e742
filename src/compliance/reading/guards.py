"""Checks on hostile files, made before any parser sees them.

Workbooks come from outside. An .xlsx/.ods is a zip of XML: a zip bomb can
expand a few kilobytes into gigabytes, a shared-strings table can declare four
billion entries (calamine reserves room for them and aborts), and a sheet can
place one cell at XFD1048576 so that calamine's dense grid asks for 549 GB.
calamine aborts the whole process when an allocation fails, so none of this
can be caught afterwards: these checks read the zip directory, the first bytes
of the shared strings and (see :mod:`~compliance.reading.extent`) each sheet's
cell references first.

XML entity tricks are refused by calamine's XML parser itself ("unrecognized
entity"): it expands no DTD entity and fetches no external one. The tests
hold it to that.
"""

from __future__ import annotations

import lzma
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from compliance.errors import InputError

#: Cells (rows × columns, counted from A1) of one sheet that we agree to read.
#: 1,048,576 rows × 28 columns; ``--max-cells`` raises it.
DEFAULT_MAX_CELLS = 30_000_000
#: Above this, calamine's grid (32 bytes a cell) would need more than 2 GB:
#: refuse before parsing even when the exact size is not known yet.
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

_COUNT = re.compile(rb"\b(?:uniqueCount|count)\s*=\s*[\"'](\d+)[\"']")


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one input may make the reader hold."""

    max_cells: int = DEFAULT_MAX_CELLS

    @property
    def hard_cells(self) -> int:
        return max(HARD_CELLS, self.max_cells)


def too_many_cells(rows: int, cols: int, limits: Limits, where: str) -> InputError:
    return InputError(
        f"refusing a sheet of {rows:,} rows × {cols:,} columns = {rows * cols:,} cells "
        f"(limit {limits.max_cells:,}; raise it with --max-cells)",
        where=where,
    )


def check_container(zf: zipfile.ZipFile, where: str) -> None:
    """Refuse zip bombs and absurd workbooks from the zip directory alone."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"the workbook has more than {MAX_MEMBERS} parts", where=where)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > _RATIO_APPLIES_ABOVE and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise InputError(
                f"refusing a suspected zip bomb: part {info.filename!r} expands "
                f"{info.file_size // max(info.compress_size, 1)}× to {info.file_size >> 20} MB "
                f"(limit {MAX_RATIO}×)",
                where=where,
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise InputError(
            f"refusing a workbook that expands to {total >> 20} MB "
            f"(limit {MAX_UNCOMPRESSED_BYTES >> 20} MB)",
            where=where,
        )


def check_shared_strings(zf: zipfile.ZipFile, limits: Limits, where: str) -> None:
    """Refuse a shared-strings table whose declared size is impossible or too big.

    calamine reserves memory for ``uniqueCount`` strings up front, so a forged
    count of four billion aborts the process before a single string is read.
    """
    for info in zf.infolist():
        if not info.filename.lower().endswith("sharedstrings.xml"):
            continue
        with zf.open(info) as fh:
            head = fh.read(4096)
        start = head.find(b"<sst")
        tag = head[start : head.find(b">", start) + 1] if start >= 0 else b""
        for m in _COUNT.finditer(tag):
            n = int(m.group(1))
            if n > info.file_size // _MIN_STRING_BYTES + 1:
                raise InputError(
                    f"the shared-strings table claims {n:,} strings in {info.file_size:,} bytes "
                    "(damaged or forged)",
                    where=where,
                )
            if n > limits.hard_cells:
                raise InputError(
                    f"refusing a workbook with {n:,} distinct strings "
                    f"(limit {limits.hard_cells:,})",
                    where=where,
                )


def open_zip(path: Path) -> zipfile.ZipFile:
    """Open a zip container, turning damage into :class:`InputError`."""
    try:
        return zipfile.ZipFile(path)
    except ZIP_ERRORS:
        raise InputError(
            "the file is damaged or truncated (not a readable .xlsx/.ods)", where=str(path)
        ) from None
