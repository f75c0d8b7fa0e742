"""Legitimate workbooks of every shape a guard once refused: each is read, not refused.

python-calamine reads each of them (asserted first), so refusing one would be
a defect of ours.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from compliance.reading import read_records
from compliance.reading.guards import DEFAULT_MAX_CELLS, HARD_CELLS, Limits
from tests.reading import builders as b

#: Every test here runs on the native tokeniser and on the pure reader.
pytestmark = pytest.mark.usefixtures("xlsx_reader")


def _package(
    path: Path, rename: Callable[[str], str], folder: str = "xl", sst: str = b.SST
) -> Path:
    rels = b._RELS.replace('Target="xl/workbook.xml"', f'Target="{folder}/workbook.xml"')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(rename("[Content_Types].xml"), b._CT.replace("/xl/", f"/{folder}/"))
        z.writestr(rename("_rels/.rels"), rels)
        z.writestr(rename(f"{folder}/workbook.xml"), b._WB)
        z.writestr(rename(f"{folder}/_rels/workbook.xml.rels"), b._WBRELS)
        z.writestr(rename(f"{folder}/worksheets/sheet1.xml"), b.sheet(b.VALID_BODY, "A1:B2"))
        z.writestr(rename(f"{folder}/sharedStrings.xml"), sst)
    return path


def _reads(path: Path) -> None:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[1][0] == "城东社区"
    data = read_records(path)
    assert [r.name for r in data.records] == ["城东社区"]
    assert data.records[0].values["premises_area"] == 400


def test_backslash_member_names(tmp_path: Path) -> None:
    # A Chinese report exporter's zip: xl\worksheets\sheet1.xml.
    _reads(_package(tmp_path / "报表导出.xlsx", lambda n: n.replace("/", "\\")))


def test_workbook_outside_xl_found_through_the_relationships(tmp_path: Path) -> None:
    _reads(_package(tmp_path / "book.xlsx", lambda n: n, folder="book"))


def test_shared_strings_count_far_above_unique_count(tmp_path: Path) -> None:
    # count is the number of uses; only uniqueCount says how much calamine reserves.
    sst = b.SST.replace('count="2" uniqueCount="2"', 'count="50000000" uniqueCount="2"')
    _reads(_package(tmp_path / "uses.xlsx", lambda n: n, sst=sst))


def test_shared_strings_root_after_a_long_comment_is_still_read(tmp_path: Path) -> None:
    sst = b.SST.replace("<sst ", "<!--" + "说明" * 4000 + "--><sst ", 1)
    _reads(_package(tmp_path / "comment.xlsx", lambda n: n, sst=sst))


def test_a_shared_string_with_an_ampersand_is_read_once_unescaped(tmp_path: Path) -> None:
    # "R&amp;D" is "R&D" (it was unescaped twice, and refused as a bare '&'), and
    # "A&amp;amp;B" is "A&amp;B", as calamine reads them.
    sst = b.SST.replace('count="2" uniqueCount="2">', 'count="4" uniqueCount="4">').replace(
        "</sst>", "<si><t>东&amp;西</t></si><si><t>A&amp;amp;B</t></si></sst>"
    )
    body = b.VALID_BODY + (
        '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3"><v>1</v></c></row>'
        '<row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4"><v>2</v></c></row>'
    )
    path = b.raw_xlsx(tmp_path / "amp.xlsx", b.sheet(body), sst=sst)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert [r[0] for r in rows[2:]] == ["东&西", "A&amp;B"]
    assert [r.name for r in read_records(path).records] == ["城东社区", "东&西", "A&amp;B"]


def test_xls_whose_stream_is_named_book_in_capitals(tmp_path: Path) -> None:
    data = bytearray((b.DATA / "messy.xls").read_bytes())
    at = data.find("Workbook".encode("utf-16-le"))
    data[at : at + 64] = ("BOOK".encode("utf-16-le") + b"\0\0").ljust(64, b"\0")
    struct.pack_into("<H", data, at + 0x40, 10)
    path = tmp_path / "book.xls"
    path.write_bytes(bytes(data))
    assert CalamineWorkbook.from_path(str(path)).sheet_names[1] == "社区情况"
    assert len(read_records(path).records) == 4


@pytest.mark.parametrize("name", ["messy.ods", "roster.ods"])
def test_libreoffice_trailing_repeats_are_not_counted(name: str) -> None:
    # LibreOffice repeats an empty row to row 1,048,576 and empty cells to column 1024.
    import zipfile as z

    content = z.ZipFile(b.DATA / name).read("content.xml")
    assert b"number-rows-repeated" in content or b"number-columns-repeated" in content
    assert read_records(b.DATA / name).records


def test_max_cells_is_capped_at_the_hard_limit() -> None:
    assert Limits(max_cells=10**12).max_cells == HARD_CELLS
    assert Limits(max_cells=100).max_cells == 100
    assert Limits().max_cells == DEFAULT_MAX_CELLS


def _rezip(path: Path, **options: object) -> Path:
    """The legitimate package of these tests, written again member by member."""
    src = zipfile.ZipFile(_package(path.with_suffix(".src.xlsx"), lambda n: n))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, **options) as z:  # type: ignore[arg-type]
        for item in src.infolist():
            z.writestr(item.filename, src.read(item))
    return path


def test_zip_with_data_descriptors(tmp_path: Path) -> None:
    # A zip written to a stream that cannot seek: sizes follow each member's data.
    src = zipfile.ZipFile(_package(tmp_path / "src.xlsx", lambda n: n))

    class Stream(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b: Any) -> int:
            self.data += b
            return len(b)

    stream = Stream()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            with z.open(item.filename, "w") as fh:
                fh.write(src.read(item))
    path = tmp_path / "descriptors.xlsx"
    path.write_bytes(bytes(stream.data))
    assert zipfile.ZipFile(path).infolist()[0].flag_bits & 0x08
    _reads(path)


def test_zip64_extra_fields_and_end_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = zipfile.ZipFile(_package(tmp_path / "src.xlsx", lambda n: n))
    # Write the ZIP64 end records as zipfile does past 65,535 members.
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 2)
    path = tmp_path / "zip64.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            with z.open(item.filename, "w", force_zip64=True) as fh:
                fh.write(src.read(item))
    assert b"PK\x06\x06" in path.read_bytes() and b"PK\x06\x07" in path.read_bytes()
    _reads(path)


def test_zip_holding_another_workbook_and_extra_fields(tmp_path: Path) -> None:
    # An embedded workbook stored as is (its own end record visible in the file), an
    # archive comment, and Info-ZIP's timestamp and Unix fields on every entry.
    inner = _package(tmp_path / "inner.xlsx", lambda n: n).read_bytes()
    src = zipfile.ZipFile(_package(tmp_path / "src.xlsx", lambda n: n))
    path = tmp_path / "embedded.xlsx"
    extra = struct.pack("<HHBI", 0x5455, 5, 1, 1_700_000_000) + struct.pack(
        "<HHBBIBI", 0x7875, 11, 1, 4, 0, 4, 0
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename)
            info.extra = extra
            z.writestr(info, src.read(item), zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("xl/embeddings/Microsoft_Excel_Worksheet1.xlsx"), inner)
        z.comment = "报表系统导出".encode()
    assert path.read_bytes().count(b"PK\x05\x06") == 2
    _reads(path)


def test_xls_whose_fat_is_listed_in_a_difat_sector(tmp_path: Path) -> None:
    # Past 109 FAT sectors (a 7 MB file), the list of FAT sectors continues in DIFAT
    # sectors; here the one FAT sector is listed there instead of in the header.
    data = bytearray((b.DATA / "messy.xls").read_bytes())
    fat_sector = struct.unpack_from("<I", data, 0x4C)[0]
    new = (len(data) - 512) // 512
    data += struct.pack("<I", fat_sector) + b"\xff" * 4 * 126 + struct.pack("<I", 0xFFFFFFFE)
    struct.pack_into("<I", data, 0x4C, 0xFFFFFFFF)
    struct.pack_into("<II", data, 0x44, new, 1)
    struct.pack_into("<I", data, ((fat_sector + 1) << 9) + 4 * new, 0xFFFFFFFC)  # DIFSECT
    path = tmp_path / "difat.xls"
    path.write_bytes(bytes(data))
    assert CalamineWorkbook.from_path(str(path)).sheet_names[1] == "社区情况"
    assert len(read_records(path).records) == 4


def test_zip64_everywhere_as_commons_compress_always_writes_it(tmp_path: Path) -> None:
    # Java exporters built on commons-compress with Zip64Mode.Always: every directory
    # entry's sizes and offset saturated and given in a 24-byte ZIP64 field, and ZIP64
    # end records with saturated 32-bit counts.
    src = zipfile.ZipFile(_package(tmp_path / "src.xlsx", lambda n: n))
    out, directory = bytearray(), bytearray()
    for item in src.infolist():
        data, name = src.read(item), item.filename.encode()
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = packer.compress(data) + packer.flush()
        crc, offset = zlib.crc32(data), len(out)
        out += struct.pack(
            "<4sHHHHHIIIHH",
            b"PK\x03\x04",
            45,
            0,
            8,
            0,
            0x21,
            crc,
            len(body),
            len(data),
            len(name),
            0,
        )
        out += name + body
        extra = struct.pack("<HHQQQ", 1, 24, len(data), len(body), offset)
        directory += struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 45, 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
            len(name), len(extra), 0, 0, 0, 0, 0xFFFFFFFF,
        )  # fmt: skip
        directory += name + extra
    start, count = len(out), len(src.infolist())
    out += directory
    end64 = len(out)
    out += struct.pack(
        "<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(directory), start
    )
    out += struct.pack("<4sIQI", b"PK\x06\x07", 0, end64, 1)
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    path = tmp_path / "always.xlsx"
    path.write_bytes(bytes(out))
    assert zipfile.ZipFile(path).infolist()[-1].compress_size < 0xFFFFFFFF
    _reads(path)
