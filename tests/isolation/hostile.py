"""The hostile files of issue 9, built in the tests (nothing committed as data).

- :func:`sst_after_comment`: a 1.8 KB .xlsx whose shared-strings ``uniqueCount``
  (4e9) sits after a 5 KB XML comment, past a guard that reads only the first
  4 KB; calamine then reserves 96 GB for the strings and aborts.
- :func:`repeated_ods`: a 1.5 KB .ods whose repeat attributes make 98 million
  cells, under calamine's own 100M cap, over our 30M limit, built before any
  limit of ours is applied.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.reading.builders import VALID_BODY, raw_xlsx, sheet

DATA = Path(__file__).resolve().parent.parent / "data"


def sst_after_comment(path: Path) -> Path:
    comment = "<!-- " + "padding " * 640 + "-->"  # about 5 KB
    sst = (
        f'<?xml version="1.0" encoding="UTF-8"?>{comment}<sst xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main" count="4000000000" '
        'uniqueCount="4000000000"><si><t>社区名称</t></si><si><t>建筑面积</t></si></sst>'
    )
    return raw_xlsx(path, sheet(VALID_BODY, "A1:B2"), sst=sst)


def repeated_ods(path: Path) -> Path:
    src = zipfile.ZipFile(DATA / "messy.ods")
    content = src.read("content.xml").decode("utf-8")
    start = content.index("<table:table-row")
    end = content.rindex("</table:table>")
    rows = (
        '<table:table-row table:number-rows-repeated="9800"><table:table-cell '
        'office:value-type="float" office:value="1" table:number-columns-repeated="10000">'
        "<text:p>1</text:p></table:table-cell></table:table-row>"
    )
    content = content[:start] + rows + content[end:]
    with zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            if item.filename.startswith("Thumbnails"):
                continue
            body = content.encode() if item.filename == "content.xml" else src.read(item)
            out.writestr(item, body, compress_type=zipfile.ZIP_DEFLATED)
    return path
