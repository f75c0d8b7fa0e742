"""Zip members inflated by isal: the same bytes as zipfile's own reading, and the same refusals."""

from __future__ import annotations

import io
import random
import struct
import zipfile

import pytest

from compliance.reading import guards
from compliance.reading.inflate import isal_zlib, open_member

MEMBER = "xl/worksheets/sheet1.xml"


def _xml(n: int) -> bytes:
    rng = random.Random(n)
    rows = (
        f'<row r="{r}"><c r="A{r}"><v>{rng.random() * 1e6}</v></c>'
        f'<c r="B{r}" t="s"><v>{rng.randrange(50)}</v></c></row>'
        for r in range(1, n + 1)
    )
    return b"<sheetData>" + "".join(rows).encode() + b"</sheetData>"


def _zip(data: bytes, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        zf.writestr(MEMBER, data)
    return out.getvalue()


def _read(archive: bytes, block: int) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive)) as zf, open_member(zf, MEMBER) as fh:
        parts = []
        while chunk := fh.read(block):
            parts.append(chunk)
    return b"".join(parts)


@pytest.mark.parametrize("block", [1, 7, 4096, 1 << 20, 64 << 20])
def test_a_member_reads_as_zipfile_reads_it(block: int) -> None:
    data = _xml(20_000 if block > 1 else 300)
    archive = _zip(data)
    assert _read(archive, block) == data
    stored = _zip(data, zipfile.ZIP_STORED)
    assert _read(stored, block) == data


def test_a_deflated_member_is_inflated_by_isal() -> None:
    if isal_zlib is None:
        pytest.skip("isal is not installed")
    with zipfile.ZipFile(io.BytesIO(_zip(_xml(10)))) as zf, open_member(zf, MEMBER) as fh:
        assert type(fh._decompressor).__module__.startswith("isal")  # type: ignore[attr-defined]


def _damaged(archive: bytes) -> bytes:
    """The archive with bytes in the middle of its compressed data changed."""
    start = 30 + len(MEMBER)  # the first local header, no extra field
    mid = start + (len(archive) - start) // 3
    return archive[:mid] + bytes(b ^ 0x5A for b in archive[mid : mid + 64]) + archive[mid + 64 :]


def test_a_damaged_stream_raises_what_the_reader_turns_into_one_line() -> None:
    archive = _damaged(_zip(_xml(20_000)))
    with pytest.raises(guards.ZIP_ERRORS):
        _read(archive, 1 << 20)


def test_a_wrong_crc_is_refused() -> None:
    archive = bytearray(_zip(_xml(2_000)))
    with zipfile.ZipFile(io.BytesIO(bytes(archive))) as zf:
        crc = zf.getinfo(MEMBER).CRC
    packed = struct.pack("<I", crc)
    wrong = struct.pack("<I", crc ^ 1)
    assert archive.count(packed) == 2  # local header and central directory
    fixed = bytes(archive).replace(packed, wrong)
    with pytest.raises(zipfile.BadZipFile):
        _read(fixed, 1 << 16)


def test_no_more_than_the_stated_size_is_given() -> None:
    # A member that inflates to more than its entry says: zipfile stops at the stated
    # size (and the CRC then fails), whichever object inflates it.
    data = _xml(5_000)
    archive = bytearray(_zip(data))
    size = struct.pack("<I", len(data))
    smaller = struct.pack("<I", 1000)
    assert archive.count(size) == 2
    cut = bytes(archive).replace(size, smaller)
    got = bytearray()

    def read_all() -> None:
        with zipfile.ZipFile(io.BytesIO(cut)) as zf, open_member(zf, MEMBER) as fh:
            while chunk := fh.read(100):
                got.extend(chunk)

    with pytest.raises(zipfile.BadZipFile):
        read_all()
    assert len(got) <= 1000
    assert got == data[: len(got)]
