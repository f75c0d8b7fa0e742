"""Stream the XML of a zip member in bounded pieces that never split a start tag.

The sheet scanners (:mod:`~compliance.reading.extent` for .xlsx,
:mod:`~compliance.reading.ods_extent` for .ods) search each piece with regular
expressions, so memory stays bounded whatever the size of the sheet.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Protocol

_CHUNK = 8 << 20


class Tap(Protocol):
    """Sees every piece of a pass over a member: ``begin``, each piece, and ``end``
    only when the pass reached the end (another pass begins afresh)."""

    def begin(self) -> None: ...
    def feed(self, piece: bytes) -> None: ...
    def end(self) -> None: ...


def iter_chunks(zf: zipfile.ZipFile, member: str, tap: Tap | None = None) -> Iterator[bytes]:
    """Decompressed pieces of a member, cut after a row end where possible.

    Every piece ends just after a '>', so no start tag is ever split; cutting
    after "row>" also keeps whole cells together for the formula check. A
    ``tap`` sees the same pieces, so that one pass can serve two readers.
    """
    if tap is None:
        yield from _pieces(zf, member)
        return
    tap.begin()
    for piece in _pieces(zf, member):
        tap.feed(piece)
        yield piece
    tap.end()


def _pieces(zf: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    tail = b""
    with zf.open(member) as fh:
        while True:
            block = fh.read(_CHUNK)
            if not block:
                break
            data = tail + block
            cut = data.rfind(b"row>") + 4
            if cut == 3:
                cut = data.rfind(b">") + 1
            if cut == 0 and len(data) <= 2 * _CHUNK:
                tail = data
                continue
            if cut == 0:
                cut = len(data)
            yield data[:cut]
            tail = data[cut:]
    if tail:
        yield tail
