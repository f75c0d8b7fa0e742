"""Checks on hostile files, made before any parser sees them.

Workbooks come from outside. An .xlsx/.ods is a zip of XML: a zip bomb can
expand a few kilobytes into gigabytes, and a sheet can declare a huge used
area. These checks read only the zip directory, so they cost almost nothing.
(XML entity tricks are not a risk here: calamine's XML parser does not expand
DTD entities, and openpyxl is only used for writing.)
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from compliance.errors import InputError

#: Total uncompressed size of all parts of a workbook that we agree to read.
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
#: Compression ratio above which a large part is treated as a zip bomb.
MAX_RATIO = 200
_RATIO_APPLIES_ABOVE = 32 * 1024**2
MAX_MEMBERS = 10_000


def check_container(path: Path, fmt: str) -> None:
    """Refuse zip bombs and absurd workbooks before calamine opens them."""
    if fmt not in ("xlsx", "xlsm", "xlsb", "ods"):
        return
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        raise InputError("the file is damaged or truncated", where=str(path)) from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"the workbook has more than {MAX_MEMBERS} parts", where=str(path))
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > _RATIO_APPLIES_ABOVE and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise InputError(
                f"refusing a suspected zip bomb: part {info.filename!r} expands "
                f"{info.file_size // max(info.compress_size, 1)}× to {info.file_size >> 20} MB",
                where=str(path),
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise InputError(
            f"refusing a workbook that expands to {total >> 20} MB "
            f"(limit {MAX_UNCOMPRESSED_BYTES >> 20} MB)",
            where=str(path),
        )
