"""Workbooks whose data sheet comes after sheets with no header (issue 17, items 2 and 4).

Choosing the sheet must read a bounded head of each, never a whole sheet:
today's files of this kind are an office export with formatted, empty sheets
before the data, and sparse scratch sheets reaching far down.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from compliance.reading.grid import column_letter
from tests.reading import builders as b

HEADERS = [
    "社区名称", "所属街道", "总户数", "建筑面积(m2)", "专职人数", "人均年收入", "养老保险人数",
    "失业保险人数", "医疗保险人数", "工伤保险人数", "生育保险人数", "住房公积金人数",
    "上年职工平均工资",
]  # fmt: skip
ROWS = [
    ["城东社区", "城东街道", 1500, 400, 6, 30000, 6, 6, 6, 6, 6, 6, 26647],
    ["西门社区", "城东街道", 2500, 300, 5, 20000, 5, 5, 5, 5, 5, 4, 26647],
]
#: What a correct read of the data sheet gives: community -> (area, households).
EXPECTED = {"城东社区": (400.0, 1500.0), "西门社区": (300.0, 2500.0)}


def _cell(v: object) -> str:
    if isinstance(v, int):
        return (
            f'<table:table-cell office:value-type="float" office:value="{v}">'
            f"<text:p>{v}</text:p></table:table-cell>"
        )
    return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'


def flat_ods_with_blank_sheets(path: Path, blank_sheets: int = 8) -> Path:
    """A flat OpenDocument file whose first sheets hold an empty text cell at A1 and at
    IV65536 (how LibreOffice keeps a formatted, empty cell), then the data sheet.

    ``soffice --convert-to xls`` makes it the .xls that once took 4 GB to open."""
    empty = (
        '<table:table-cell table:style-name="ce1" office:value-type="string">'
        "<text:p></text:p></table:table-cell>"
    )
    blank = (
        f"<table:table-row>{empty}</table:table-row>"
        '<table:table-row table:number-rows-repeated="65534"><table:table-cell '
        'table:number-columns-repeated="256"/></table:table-row><table:table-row>'
        f'<table:table-cell table:number-columns-repeated="255"/>{empty}</table:table-row>'
    )
    tables = "".join(
        f'<table:table table:name="空表{i + 1}">{blank}</table:table>' for i in range(blank_sheets)
    )
    data = "".join(
        "<table:table-row>" + "".join(map(_cell, row)) + "</table:table-row>"
        for row in [HEADERS, *ROWS]
    )
    ns = "urn:oasis:names:tc:opendocument:xmlns"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document xmlns:office="{ns}:office:1.0" xmlns:style="{ns}:style:1.0" '
        f'xmlns:text="{ns}:text:1.0" xmlns:table="{ns}:table:1.0" '
        f'xmlns:fo="{ns}:xsl-fo-compatible:1.0" office:version="1.2" '
        'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
        '<office:automatic-styles><style:style style:name="ce1" style:family="table-cell">'
        '<style:table-cell-properties fo:background-color="#ffff00"/></style:style>'
        "</office:automatic-styles><office:body><office:spreadsheet>"
        f'{tables}<table:table table:name="社区情况">{data}</table:table>'
        "</office:spreadsheet></office:body></office:document>",
        encoding="utf-8",
    )
    return path


def header_less_xlsx(path: Path, sheets: int = 5, *, comment: bool = True) -> Path:
    """``sheets`` sparse sheets with no header (a cell at A1 and one at AB1,000,000, 28
    million cells apart; ``comment`` puts an XML comment first), then the data sheet."""
    names = [f"草稿{i + 1}" for i in range(sheets)] + ["社区情况"]
    wb = (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        "<sheets>"
        + "".join(
            f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names)
        )
        + "</sheets></workbook>"
    )
    rel = (
        '<Relationship Id="rId{0}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet{0}.xml"/>'
    )
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships">'
        + "".join(rel.format(i + 1) for i in range(len(names)))
        + "</Relationships>"
    )
    sparse = b.sheet(
        ("<!-- a scratch sheet -->" if comment else "") + '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="1000000"><c r="AB1000000"><v>1</v></c></row>',
        "A1:AB1000000",
    )
    data = b.sheet(
        "".join(
            f'<row r="{r + 1}">'
            + "".join(
                f'<c r="{column_letter(c)}{r + 1}" t="inlineStr"><is><t>{v}</t></is></c>'
                if isinstance(v, str)
                else f'<c r="{column_letter(c)}{r + 1}"><v>{v}</v></c>'
                for c, v in enumerate(row)
            )
            + "</row>"
            for r, row in enumerate([HEADERS, *ROWS])
        )
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b._CT)
        z.writestr("_rels/.rels", b._RELS)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        for i in range(sheets):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", sparse)
        z.writestr(f"xl/worksheets/sheet{sheets + 1}.xml", data)
    return path
