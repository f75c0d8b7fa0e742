"""Open a zip member with a faster inflater: python-isal's, where it is installed.

Inflating is a large part of reading a big workbook: a sheet of 100,000 rows is
about 60 MB of XML, which the standard library's zlib inflates in about 0.25 s
and ISA-L's in about 0.04 s. The member is still opened by :mod:`zipfile`,
which checks its local header, bounds what it gives to the size the directory
states and checks its CRC at the end; only the object that inflates the
compressed bytes is swapped, for one with the same interface (``decompress``
with ``max_length``, ``unconsumed_tail``, ``eof``, ``flush``), before anything
is read. Without isal, or for a member not deflated, the member is opened as
:mod:`zipfile` opens it.
"""

from __future__ import annotations

import zipfile
import zlib
from typing import IO, cast

try:
    from isal import isal_zlib
except ImportError:  # pragma: no cover - isal is a dependency; a platform may lack a wheel
    isal_zlib = None  # type: ignore[assignment]

#: What the faster inflater raises for a damaged stream (zlib raises zlib.error).
ERRORS: tuple[type[Exception], ...] = (
    () if isal_zlib is None else (cast(type[Exception], isal_zlib.error),)
)
_ZLIB = type(zlib.decompressobj(-zlib.MAX_WBITS))


def open_member(zf: zipfile.ZipFile, member: str | zipfile.ZipInfo) -> IO[bytes]:
    """``zf.open(member)``, inflated by isal where it can be."""
    fh = zf.open(member)
    if (
        isal_zlib is not None
        and getattr(fh, "_compress_type", None) == zipfile.ZIP_DEFLATED
        and isinstance(getattr(fh, "_decompressor", None), _ZLIB)
    ):
        fh._decompressor = isal_zlib.decompressobj(-zlib.MAX_WBITS)  # type: ignore[attr-defined]
    return fh
