"""The hostile set: one small file per attack class of issue 12, built on demand.

Each :class:`Case` is an input (and extra command-line arguments) that must
end with exit 2, one stderr line under 500 characters, no output file left
and the input unchanged. ``tests/security/test_hostile_set.py`` runs every
case through the CLI under an address-space limit; the fuzz corpus
(``tests/fuzz/make_corpus.py``) starts from them too.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.reading.builders import DATA, SST, VALID_BODY, raw_xlsx, sheet

WAIVERS_TOML = (
    '[[waivers]]\ncommunity = "甲社区"\nrule = "staffing"\nreason = "招聘中"\n'
    'approved_by = "婺城区民政局"\nexpires = 2009-06-30\n'
)
MAPPING_TOML = 'sheet = 1\n[columns]\n"用房面积" = "premises_area"\n'


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    #: The fuzz target whose corpus gets this file (None: not a reader input).
    target: str | None
    path: Path
    #: Extra CLI arguments; "{path}" stands for the file.
    args: tuple[str, ...] = ()
    #: A regular expression the one error line must match.
    pattern: str = ""
    #: The file given to the CLI as the input (default: path).
    inputs: tuple[Path, ...] = field(default_factory=tuple)


def _deep(n: int) -> str:
    return "x = " + "[" * n + "]" * n + "\n"


def _sst_after_comment(d: Path) -> Path:
    sst = SST.replace("<sst ", "<!--" + "x" * 5000 + '--><sst uniqueCount="4000000000" ', 1)
    return raw_xlsx(d / "sst-after-comment.xlsx", sheet(VALID_BODY, "A1:B2"), sst=sst)


def _ods_repeat(d: Path, row_attrs: str = 'table:number-rows-repeated="6100"') -> Path:
    src = zipfile.ZipFile(DATA / "messy.ods")
    content = src.read("content.xml").decode("utf-8")
    cell = (
        '<table:table-cell office:value-type="float" office:value="1" '
        'table:number-columns-repeated="16000"><text:p>1</text:p></table:table-cell>'
    )
    content = content.replace(
        "</table:table-row>",
        f"</table:table-row><table:table-row {row_attrs}>{cell}</table:table-row>",
        1,
    )
    path = d / "repeat-98m.ods"
    with zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            body = content.encode() if item.filename == "content.xml" else src.read(item)
            out.writestr(item, body, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _replace_member(path: Path, src: Path, name: str, body: bytes) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, body if item.filename == name else zin.read(item))
    return path


def _unclosed(d: Path, member: str, tag: str) -> Path:
    base = raw_xlsx(d / "base.xlsx", sheet(VALID_BODY, "A1:B2"))
    body = f'<?xml version="1.0"?><root>{tag * 60_000}'.encode()
    return _replace_member(d / f"unclosed-{tag.strip('< ').lower()}.xlsx", base, member, body)


def _duplicate_member(d: Path) -> Path:
    path = raw_xlsx(d / "dup.xlsx", sheet(VALID_BODY, "A1:B2"))
    far = sheet('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row>')
    with zipfile.ZipFile(path, "a") as z, _quiet_duplicates():
        z.writestr("xl/worksheets/sheet1.xml", far)
    return path


class _quiet_duplicates:
    def __enter__(self) -> None:
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc: object) -> None:
        self._w.__exit__(*exc)


def _many_sheets(d: Path, n: int = 9000) -> Path:
    """9,000 one-cell sheets (3 MB): reading each sheet's zip directory again made this n²."""
    from tests.reading import builders as b

    wb = (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        "<sheets>"
        + "".join(f'<sheet name="S{i}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i in range(n))
        + "</sheets></workbook>"
    )
    rel = (
        '<Relationship Id="rId{0}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet{0}.xml"/>'
    )
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships">' + "".join(rel.format(i + 1) for i in range(n)) + "</Relationships>"
    )
    one = sheet('<row r="1"><c r="A1"><v>1</v></c></row>', "A1")
    path = d / "many-sheets.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b._CT)
        z.writestr("_rels/.rels", b._RELS)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        for i in range(n):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", one)
    return path


def _unclosed_ods_table(d: Path) -> Path:
    """Found by the fuzzer: a table whose end tag is damaged makes calamine loop forever."""
    src = zipfile.ZipFile(DATA / "roster.ods")
    content = src.read("content.xml")
    at = content.rfind(b"</table:table>")
    content = content[:at] + b"</*table:table>" + content[at + len(b"</table:table>") :]
    path = d / "unclosed-table.ods"
    with zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            body = content if item.filename == "content.xml" else src.read(item)
            out.writestr(item, body, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _xlsb_far(d: Path) -> Path:
    """An .xlsb with a cell at XFD1048576: calamine built 17 billion cells, unguarded."""
    from tests.isolation.xlsb import XLSB_TRICKS, xlsb_with

    return xlsb_with(d, "far", XLSB_TRICKS["far"])


def _far(d: Path) -> Path:
    body = '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row>'
    return raw_xlsx(d / "far.xlsx", sheet(body, "A1:XFD1048576"))


def xor_xls(path: Path) -> Path:
    """messy.xls with a FILEPASS record of encryption type 0 (XOR obfuscation) after BOF."""
    from compliance.reading.cfb import workbook_stream

    data = bytearray((DATA / "messy.xls").read_bytes())
    stream = workbook_stream(bytes(data))
    start = data.find(stream[:64])
    # The record after BOF becomes FILEPASS, encryption type 0 (XOR obfuscation).
    bof_len = struct.unpack_from("<H", data, start + 2)[0]
    nxt = start + 4 + bof_len
    size = struct.unpack_from("<H", data, nxt + 2)[0]
    struct.pack_into("<H", data, nxt, 0x002F)
    data[nxt + 4 : nxt + 4 + size] = bytes(size)
    path.write_bytes(bytes(data))
    return path


def difat_loop_xls(path: Path) -> Path:
    """messy.xls whose DIFAT chain starts at its FAT sector, which names itself as the next.

    calamine follows a DIFAT chain to its end and never checks for a loop, so its list
    grows until an allocation of gigabytes aborts the process (the fuzzer's
    ``xls-cfb-alloc-*.xls`` is this, with the header slots zeroed).
    """
    data = bytearray((DATA / "messy.xls").read_bytes())
    fat_sector = struct.unpack_from("<I", data, 0x4C)[0]
    struct.pack_into("<I", data, 0x44, fat_sector)  # first DIFAT sector; the count stays 0
    last_entry = ((fat_sector + 1) << 9) + 508
    struct.pack_into("<I", data, last_entry, fat_sector)  # the FAT's unused last slot
    path.write_bytes(bytes(data))
    return path


def second_directory_xlsx(d: Path) -> Path:
    """A benign workbook whose directory zipfile finds, with another archive inside.

    The inner archive (stored verbatim as an image) claims 4 billion shared strings.
    The outer end record's directory offset, and every header offset, is moved up by
    the same amount: zipfile measures the directory back from the end record and
    corrects every offset, so it reads the benign workbook; calamine's zip crate
    rejects an end record whose offset lies past itself and falls back to the inner
    one, then reserves 96 GB (the fuzzer's ``xlsx-zip-sst-*.xlsx`` is this, mangled).
    """
    bomb_sst = SST.replace('uniqueCount="2"', 'uniqueCount="4000000000"')
    inner = raw_xlsx(d / "inner.xlsx", sheet(VALID_BODY, "A1:B2"), sst=bomb_sst).read_bytes()
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as z:
        src = zipfile.ZipFile(raw_xlsx(d / "benign.xlsx", sheet(VALID_BODY, "A1:B2")))
        for item in src.infolist():
            z.writestr(item.filename, src.read(item))
        z.writestr(zipfile.ZipInfo("xl/media/image1.png"), inner)  # stored: verbatim
    data = bytearray(outer.getvalue())
    eocd = data.rfind(b"PK\x05\x06")
    cd_offset = struct.unpack_from("<I", data, eocd + 16)[0]
    shift = eocd + 4096 - cd_offset
    struct.pack_into("<I", data, eocd + 16, cd_offset + shift)
    pos = cd_offset
    while data[pos : pos + 4] == b"PK\x01\x02":
        header = struct.unpack_from("<I", data, pos + 42)[0]
        struct.pack_into("<I", data, pos + 42, header + shift)
        nlen, elen, clen = struct.unpack_from("<HHH", data, pos + 28)
        pos += 46 + nlen + elen + clen
    path = d / "second-directory.xlsx"
    path.write_bytes(bytes(data))
    (d / "inner.xlsx").unlink()
    (d / "benign.xlsx").unlink()
    return path


def _builders() -> list[tuple[str, str | None, Callable[[Path], Path], tuple[str, ...], str]]:
    return [
        ("sst-after-comment", "xlsx", _sst_after_comment, (), "claims 4,000,000,000 strings"),
        ("ods-repeat-98m", "ods", _ods_repeat, (), "cells"),
        (
            # A ">" in a quoted attribute once hid the repeat from the guard: 3-4 GB.
            "ods-repeat-quoted-gt",
            "ods",
            lambda d: _ods_repeat(d, 'x=">" table:number-rows-repeated="006100"'),
            (),
            "cells",
        ),
        (
            "workbook-unclosed-sheet",
            "xlsx",
            lambda d: _unclosed(d, "xl/workbook.xml", "<sheet "),
            (),
            "damaged|no sheet|without",
        ),
        (
            "rels-unclosed",
            "xlsx",
            lambda d: _unclosed(d, "xl/_rels/workbook.xml.rels", "<Relationship "),
            (),
            "damaged|no sheet|without",
        ),
        ("duplicate-member", "xlsx", _duplicate_member, (), "more than once"),
        ("many-sheets", "xlsx", _many_sheets, (), "no header row found"),
        ("ods-unclosed-table", "ods", _unclosed_ods_table, (), "never closed"),
        ("far-cell-max-cells", "xlsx", _far, ("--max-cells", "999999999999"), "hard limit"),
        ("xor-xls", "xls", lambda d: xor_xls(d / "xor.xls"), (), "password-protected"),
        (
            "xls-difat-loop",
            "xls",
            lambda d: difat_loop_xls(d / "loop.xls"),
            (),
            "DIFAT chain loops",
        ),
        ("zip-second-directory", "xlsx", second_directory_xlsx, (), "read two ways"),
        ("xlsb-far-cell", None, _xlsb_far, (), "hard limit|cells"),
        (
            "deep-rules",
            "rules",
            lambda d: _write(d / "deep-rules.toml", _deep(5000)),
            ("--rules", "{path}"),
            "nested",
        ),
        (
            "unary-minus",
            "rules",
            lambda d: _unary_rules(d / "unary.toml"),
            ("--rules", "{path}"),
            "expression",
        ),
        (
            "deep-waivers",
            "waivers",
            lambda d: _write(d / "deep-waivers.toml", _deep(5000)),
            ("--waivers", "{path}"),
            "nested",
        ),
        (
            "deep-mapping",
            "mapping",
            lambda d: _write(d / "deep-mapping.toml", _deep(5000)),
            ("--mapping", "{path}"),
            "nested",
        ),
        (
            "newline-name",
            None,
            lambda d: _write(d / "bad\nname\x1b[31m.xlsx", "not a workbook\x00"),
            (),
            r"bad\\nname",
        ),
        (
            "huge-header-cell",
            "csv",
            lambda d: _write(d / "huge-cell.csv", "x" * 31_000_000 + "\n1\n"),
            (),
            "",
        ),
    ]


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def _unary_rules(path: Path) -> Path:
    from tests.conftest import REPO

    text = (REPO / "rules" / "zhejiang-2007.toml").read_text("utf-8")
    marker = 'require = "'
    at = text.index(marker) + len(marker)
    end = text.index('"', at)
    text = text[:at] + "-" * 399 + "min_premises_m2" + text[end:]
    return _write(path, text)


def cases(directory: Path) -> Iterator[Case]:
    """Build every hostile case in ``directory`` (which must exist)."""
    for name, target, build, args, pattern in _builders():
        sub = directory / name
        sub.mkdir(exist_ok=True)
        path = build(sub)
        uses = any("{path}" in a for a in args)
        yield Case(
            name,
            target,
            path,
            tuple(a.replace("{path}", str(path)) for a in args),
            pattern,
            () if uses else (path,),
        )


def zip_bytes(members: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in members.items():
            z.writestr(n, b)
    return out.getvalue()
