"""Broken and hostile files: one clear InputError each, bounded memory and time.

Several of these files would make calamine abort the whole Python process
(it cannot allocate its grid), so the checks must run before it. A test that
regressed would crash pytest itself rather than fail, which is loud enough.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.cli import app
from compliance.errors import InputError
from compliance.reading import read_records
from compliance.reading.guards import DEFAULT_MAX_CELLS
from tests.conftest import WorkbookFactory, community
from tests.reading.builders import DATA, SHEET_HEAD, VALID_BODY, raw_xlsx, sheet

#: Every test here runs on the native tokeniser and on the pure reader.
pytestmark = pytest.mark.usefixtures("xlsx_reader")


def _refused(path: Path, pattern: str, **kwargs: object) -> InputError:
    with pytest.raises(InputError, match=pattern) as info:
        read_records(path, **kwargs)  # type: ignore[arg-type]
    assert info.value.where is not None and str(path) in info.value.where
    assert "\n" not in str(info.value)
    return info.value


def test_valid_raw_workbook_reads(tmp_path: Path) -> None:
    data = read_records(raw_xlsx(tmp_path / "ok.xlsx", sheet(VALID_BODY, "A1:B2")))
    assert data.records[0].values == {"name": "城东社区", "premises_area": 400}


# --- broken files ----------------------------------------------------------------------


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.touch()
    _refused(path, r"the file is empty \(0 bytes\)")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    _refused(tmp_path / "nope.xlsx", "file not found")
    _refused(tmp_path, "is a folder")


def test_truncated_xlsx(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    whole = make_xlsx([community()]).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    _refused(cut, "damaged or truncated")


def test_truncated_xls(tmp_path: Path) -> None:
    cut = tmp_path / "cut.xls"
    cut.write_bytes((DATA / "messy.xls").read_bytes()[:3000])
    _refused(cut, r"not a readable \.xls workbook|damaged or truncated")


def test_binary_junk_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "junk.xlsx"
    path.write_bytes(bytes(range(256)) * 4)
    _refused(path, "not a spreadsheet or CSV file")


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "a web page"),
        (
            b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "Excel 2003 XML spreadsheet",
        ),
        (b"%PDF-1.4\n...", "a PDF file"),
    ],
)
def test_other_documents_named_xls(tmp_path: Path, content: bytes, pattern: str) -> None:
    path = tmp_path / "export.xls"
    path.write_bytes(content)
    _refused(path, pattern)


def test_word_document_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    _refused(path, "a Word document, not a workbook")


def test_encrypted_ooxml_workbook(tmp_path: Path) -> None:
    # Excel saves a password-protected .xlsx as an OLE2 container holding
    # EncryptionInfo and EncryptedPackage streams; the stream names are enough.
    path = tmp_path / "locked.xlsx"
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    path.write_bytes(head + "EncryptionInfo".encode("utf-16-le") + bytes(1000))
    _refused(path, "password-protected; save an unprotected copy")


def test_encrypted_xls(tmp_path: Path) -> None:
    # A FILEPASS record (0x002F) right after the globals' BOF marks an encrypted .xls.
    data = bytearray((DATA / "messy.xls").read_bytes())
    bof = data.find(b"\x09\x08\x10\x00\x00\x06\x05\x00")  # BOF, BIFF8, workbook globals
    assert bof > 0
    after = bof + 4 + 16
    _, size = struct.unpack_from("<HH", data, after)
    struct.pack_into("<HH", data, after, 0x002F, size)  # turn the next record into FILEPASS
    path = tmp_path / "locked.xls"
    path.write_bytes(bytes(data))
    _refused(path, "password-protected")


def test_encrypted_ods(tmp_path: Path) -> None:
    path = tmp_path / "locked.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", b"\x00\x01encrypted")
        z.writestr(
            "META-INF/manifest.xml",
            '<manifest:file-entry manifest:full-path="content.xml">'
            "<manifest:encryption-data/></manifest:file-entry>",
        )
    _refused(path, "password-protected")


def test_workbook_without_sheets(tmp_path: Path) -> None:
    workbook = (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheets/></workbook>'
    )
    path = raw_xlsx(tmp_path / "nosheets.xlsx", sheet(""), workbook=workbook)
    _refused(path, "no sheets|cannot read")


# --- XML entity expansion ---------------------------------------------------------------

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    body = SHEET_HEAD.split("?>", 1)[1] + (
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>'
        '<c r="B1" t="s"><v>1</v></c></row></sheetData></worksheet>'
    )
    path = raw_xlsx(tmp_path / "laughs.xlsx", LAUGHS + body)
    _refused(path, "XML is damaged or unsafe")


def test_billion_laughs_in_shared_strings(tmp_path: Path) -> None:
    sst = LAUGHS + (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" '
        'uniqueCount="2"><si><t>&lol9;</t></si><si><t>建筑面积</t></si></sst>'
    )
    path = raw_xlsx(tmp_path / "laughs-sst.xlsx", sheet(VALID_BODY, "A1:B2"), sst=sst)
    _refused(path, "XML is damaged or unsafe")


def test_external_entity_is_not_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-社区", encoding="utf-8")
    doctype = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    body = SHEET_HEAD.split("?>", 1)[1] + (
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c>'
        '<c r="B1" t="s"><v>1</v></c></row></sheetData></worksheet>'
    )
    path = raw_xlsx(tmp_path / "xxe.xlsx", doctype + body)
    error = _refused(path, "XML is damaged or unsafe")
    assert "TOP-SECRET" not in str(error)


# --- resource limits -------------------------------------------------------------------


def test_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    # 48 MB of one repeated row compresses about 1000×; the zip directory alone says so.
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    xml = sheet(row * (48 * 1024 * 1024 // len(row)))
    path = raw_xlsx(tmp_path / "bomb.xlsx", xml)
    assert path.stat().st_size < 200_000
    _refused(path, r"suspected zip bomb: part 'xl/worksheets/sheet1.xml' expands \d+×")


def test_forged_declared_size_is_refused(tmp_path: Path) -> None:
    # The zip directory claims a small sheet; the data inflates past it.
    path = raw_xlsx(tmp_path / "forged.xlsx", sheet(VALID_BODY * 2000, "A1:B4000"))
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(sig, start)) >= 0:
            name_len = struct.unpack_from("<H", data, start + (26 if sig == b"PK\x03\x04" else 28))[
                0
            ]
            name_at = start + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at : name_at + name_len] == info.filename.encode():
                struct.pack_into("<I", data, start + offset, 1000)
            start += 4
    path.write_bytes(bytes(data))
    _refused(path, "damaged or truncated|damaged or unsafe|cannot read")


def test_huge_declared_dimension_with_two_cells(tmp_path: Path) -> None:
    # 4.7 KB in the issue: A1 and XFD1048576 make calamine ask for 549 GB and abort.
    body = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )
    path = raw_xlsx(tmp_path / "far.xlsx", sheet(body, "A1:XFD1048576"))
    assert path.stat().st_size < 5_000
    # Past the hard limit, no option would help: the message does not suggest one.
    _refused(
        path, r"1,048,576 rows × 16,384 columns .* \(hard limit 64,000,000, which no option lifts\)"
    )


@pytest.mark.parametrize(
    "body",
    [
        # A far cell that the (small) dimension element does not admit.
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="XFD1048576"><v>1</v></c></row>',
        # Rows out of order.
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>',
        # Namespace-prefixed tags, which calamine reads too.
        '<row r="1"><c r="A1"><v>1</v></c><x:c r="XFD1048576"><v>1</v></x:c></row>',
        # Single quotes and extra spaces around '='.
        "<row r='1'><c r = 'XFD1048576'><v>1</v></c></row>",
    ],
)
def test_far_cells_hidden_from_the_fast_path(tmp_path: Path, body: str) -> None:
    path = raw_xlsx(tmp_path / "far.xlsx", sheet(body, "A1:B2"))
    _refused(path, "16,384 columns")


def test_cells_without_references_are_counted(tmp_path: Path) -> None:
    # A cell without r= sits right of the previous one: 20,000 of them make a wide row.
    wide = '<row r="1048576">' + "<c><v>1</v></c>" * 20_000 + "</row>"
    path = raw_xlsx(tmp_path / "wide.xlsx", sheet('<row r="1"><c r="A1"><v>1</v></c></row>' + wide))
    # The bound is checked per block of the sheet: the row names every cell of it.
    _refused(path, r"refusing a sheet of 1,048,576 rows × 20,000 columns")


def test_malformed_reference_is_refused(tmp_path: Path) -> None:
    # calamine wraps a row number past 2^32 round to a plausible one; we refuse it.
    path = raw_xlsx(
        tmp_path / "ref.xlsx", sheet('<row r="1"><c r="A99999999999"><v>1</v></c></row>')
    )
    _refused(path, "malformed or out of range")


def test_forged_shared_string_count(tmp_path: Path) -> None:
    # calamine reserves room for uniqueCount strings up front: 4e9 × 24 bytes.
    sst = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" uniqueCount="4000000000"><si><t>社区名称</t></si></sst>'
    )
    path = raw_xlsx(tmp_path / "sst.xlsx", sheet(VALID_BODY, "A1:B2"), sst=sst)
    _refused(path, "claims 4,000,000,000 strings")


def test_xls_cell_at_column_65535(tmp_path: Path) -> None:
    # BIFF cell records carry a 16-bit column: one at (65535, 65535) makes
    # calamine ask for 137 GB and abort.
    data = bytearray((DATA / "messy.xls").read_bytes())
    at = data.find(b"\xfd\x00\x0a\x00", data.find(b"\xfd\x00\x0a\x00") + 1)  # a LABELSST cell
    assert at > 0
    struct.pack_into("<HH", data, at + 4, 0xFFFF, 0xFFFF)
    path = tmp_path / "far.xls"
    path.write_bytes(bytes(data))
    _refused(path, "65,536 rows × 65,536 columns")


def test_ods_with_repeated_cells(tmp_path: Path) -> None:
    src = zipfile.ZipFile(DATA / "messy.ods")
    content = src.read("content.xml").decode("utf-8")
    cell = (
        '<table:table-cell office:value-type="float" office:value="1" '
        'table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell>'
    )
    content = content.replace(
        "</table:table-row>",
        f'</table:table-row><table:table-row table:number-rows-repeated="1048000">{cell}'
        "</table:table-row>",
        1,
    )
    path = tmp_path / "repeated.ods"
    with zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            body = content.encode() if item.filename == "content.xml" else src.read(item)
            out.writestr(item, body, compress_type=zipfile.ZIP_DEFLATED)
    _refused(path, "too large|limit")


def test_max_cells_limit_and_raising_it(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community(f"社区{i}") for i in range(20)])
    _refused(path, r"21 rows × 14 columns = 294 cells \(limit 100", max_cells=100)
    assert len(read_records(path, max_cells=294).records) == 20


def test_csv_of_newlines_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_bytes(b"\n" * 5000)
    _refused(path, "limit 1,000", max_cells=1000)


def test_default_limit_is_documented() -> None:
    assert DEFAULT_MAX_CELLS == 30_000_000
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    assert "30,000,000" in readme


# --- the command line ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["empty", "far", "laughs"])
def test_cli_one_line_exit_2_and_a_report_listing_it(tmp_path: Path, kind: str) -> None:
    if kind == "empty":
        path = tmp_path / "in.xlsx"
        path.touch()
    elif kind == "far":
        body = '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row>'
        path = raw_xlsx(tmp_path / "in.xlsx", sheet(body))
    else:
        body = SHEET_HEAD.split("?>", 1)[1] + (
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
            "</sheetData></worksheet>"
        )
        path = raw_xlsx(tmp_path / "in.xlsx", LAUGHS + body)
    out = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["check", str(path), "--format", "json", "-o", str(out)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"compliance: error: {path}")
    assert "Traceback" not in result.output
    # -o always gets a report: here, one that lists the input as unreadable.
    report = json.loads(out.read_text("utf-8"))
    assert [u["path"] for u in report["unreadable"]] == [str(path)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx", "report.json"]


def test_cli_max_cells_option(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("A社区")])
    result = CliRunner().invoke(app, ["check", str(path), "--max-cells", "10", "-q"])
    assert result.exit_code == 2
    assert "(limit 10; raise it with --max-cells)" in result.output


def test_renamed_copy_keeps_working(tmp_path: Path) -> None:
    shutil.copy(DATA / "roster.ods", tmp_path / "roster.xls")
    assert read_records(tmp_path / "roster.xls").source.format == "ods"
