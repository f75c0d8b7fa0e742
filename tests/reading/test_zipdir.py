"""The zip directory check against calamine's own zip readers.

A zip that :func:`compliance.reading.zipdir.check` accepts must show calamine
(python-calamine's zip reader, which still opens .xlsb) the members zipfile
shows the guards. The property test damages the end records and directory of
archives that hold a second archive, the shape of the fuzzer's find, and asks
the real readers which workbook they see.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from compliance.reading import parts, zipdir
from tests.reading import builders as b


def _xlsx(
    sheet_name: str, extra: tuple[tuple[str, bytes], ...] = (), *, fields: bytes = b""
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in (
            ("[Content_Types].xml", b._CT),
            ("_rels/.rels", b._RELS),
            ("xl/workbook.xml", b._WB.replace('name="Sheet1"', f'name="{sheet_name}"')),
            ("xl/_rels/workbook.xml.rels", b._WBRELS),
            ("xl/worksheets/sheet1.xml", b.sheet(b.VALID_BODY, "A1:B2")),
            ("xl/sharedStrings.xml", b.SST),
        ):
            info = zipfile.ZipInfo(name)
            info.extra = fields
            z.writestr(info, body, zipfile.ZIP_DEFLATED)
        for name, body in extra:
            z.writestr(zipfile.ZipInfo(name), body)  # stored: the bytes appear as they are
    return out.getvalue()


_INNER = _xlsx("INNER")
_TIMESTAMP = struct.pack("<HHBI", 0x5455, 5, 1, 1_700_000_000)
_BASES = (
    _xlsx("OUTER", (("xl/media/image1.png", _INNER),)),
    _xlsx("OUTER", (("xl/media/image1.png", _INNER),), fields=_TIMESTAMP),
    _xlsx("OUTER") + _INNER,
    _INNER + _xlsx("OUTER"),
)


def _damage(data: bytes, rng: random.Random) -> bytes:
    d = bytearray(data)
    eocd = d.rfind(b"PK\x05\x06")
    kind = rng.randrange(8)
    if eocd < 0 or kind == 7:
        at = rng.randrange(max(0, len(d) - 1500), len(d))
        d[at] = rng.randrange(256)
    elif kind == 0:  # the directory offset
        old = struct.unpack_from("<I", d, eocd + 16)[0]
        new = rng.choice([0, rng.randrange(len(d)), old + rng.randrange(-64, 4096)])
        struct.pack_into("<I", d, eocd + 16, new & 0xFFFFFFFF)
    elif kind == 1:  # the directory size
        struct.pack_into("<I", d, eocd + 12, rng.randrange(2000))
    elif kind == 2:  # the entry counts
        struct.pack_into("<HH", d, eocd + 8, rng.randrange(12), rng.randrange(12))
    elif kind == 3:  # a saturated field (the crate's ZIP64 path)
        at, fmt, value = rng.choice([(8, "<H", 0xFFFF), (10, "<H", 0xFFFF), (12, "<I", 0xFFFFFFFF)])
        struct.pack_into(fmt, d, eocd + at, value)
    elif kind == 4:  # the comment length
        struct.pack_into("<H", d, eocd + 20, rng.randrange(64))
    elif kind == 5:  # bytes before the archive
        d[:0] = rng.randbytes(rng.randrange(1, 200))
    elif kind == 6:  # a ZIP64 end record and locator, right or wrong
        n, _, size, offset = struct.unpack_from("<HHII", d, eocd + 8)
        record = b"PK\x06\x06" + struct.pack(
            "<QHHIIQQQQ",
            44,
            45,
            45,
            0,
            0,
            n,
            rng.choice([n, n + 1]),
            size,
            offset + rng.choice([0, 0, 7]),
        )
        where = rng.choice([eocd, eocd, rng.randrange(len(d))])
        locator = b"PK\x06\x07" + struct.pack("<IQI", 0, where, 1)
        d[eocd:eocd] = record + locator
    return bytes(d)


def _sheets_zipfile_shows(path: Path) -> list[str] | None:
    try:
        with zipfile.ZipFile(path) as zf:
            workbook = parts.package(zf).workbook
            if not workbook:
                return None
            return [a["name"] for a in parts.iter_tags(zf.read(workbook), b"sheet") if "name" in a]
    except Exception:
        return None


def _sheets_calamine_shows(path: Path) -> list[list[str] | None]:
    seen: list[list[str] | None] = []
    for read in (lambda: CalamineWorkbook.from_path(str(path)).sheet_names,):
        try:
            seen.append(list(read()))
        except BaseException as exc:  # calamine's errors and pyo3's PanicException
            if isinstance(exc, (KeyboardInterrupt, MemoryError)):
                raise
            seen.append(None)
    return seen


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    base=st.sampled_from(_BASES), rng=st.randoms(use_true_random=False), rounds=st.integers(1, 3)
)
def test_an_accepted_zip_shows_calamine_what_it_shows_the_guards(
    tmp_path: Path, base: bytes, rng: random.Random, rounds: int
) -> None:
    data = base
    for _ in range(rounds):
        data = _damage(data, rng)
    path = tmp_path / "f.xlsx"
    path.write_bytes(data)
    names = _sheets_zipfile_shows(path)
    if not names:
        return  # zipfile finds no workbook: refused before the guards
    try:
        with zipfile.ZipFile(path) as zf:
            zipdir.check(path, zf.infolist())
    except zipdir.Ambiguous:
        return
    for theirs in _sheets_calamine_shows(path):
        assert theirs is None or theirs == names, (names, theirs)


@pytest.mark.parametrize("base", range(len(_BASES)))
def test_the_undamaged_archives_are_accepted(tmp_path: Path, base: int) -> None:
    path = tmp_path / "f.xlsx"
    path.write_bytes(_BASES[base])
    with zipfile.ZipFile(path) as zf:
        if base < 2:
            zipdir.check(path, zf.infolist())
            assert _sheets_calamine_shows(path) == [["OUTER"]]
        else:
            # Two archives end to end: zipfile shifts the last one's offsets by the bytes
            # before it, the crate takes the first directory header after the stated
            # offset, which is the first archive's: refused.
            with pytest.raises(zipdir.Ambiguous):
                zipdir.check(path, zf.infolist())
