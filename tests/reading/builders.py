"""Builders for messy and hostile test workbooks.

Run as a script to refresh the committed legacy fixtures in tests/data/
(needs LibreOffice's ``soffice``)::

    python tests/reading/builders.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook

DATA = Path(__file__).resolve().parent.parent / "data"

TITLE = "金华市婺城区社区工作服务情况统计表（2007年）"
INSURANCE = ["养老保险", "失业保险", "医疗保险", "工伤保险", "生育保险", "住房公积金"]


def messy_workbook(path: Path, *, with_formula: bool = True) -> Path:
    """A civil-affairs return with most of the mess seen in real sheets.

    Layout of the sheet 社区情况 (1-based rows):
      1  title merged across the table
      2  统计单位 / 统计时间 line
      3  单位 line
      4-5 two header rows: 社区工作用房 over 数量/建筑面积/投入使用年份,
          社会保险参保人数 over the six insurance items
      6  合计 row above the data
      7  城东社区   (街道 merged down over rows 7-9)
      8  西门社区   area "３５０平方米", households "2,150"
      9  (blank spacer row)
      10 南苑社区   area "—" (placeholder), workers "5人"
      11 城东街道小计
      12 城东社区 again (duplicate name in the same sub-district)
      13 北山社区   area is a formula with no cached value (openpyxl writes none)
      14 注：... note line
    A first sheet 说明 has no table; a hidden sheet 旧数据 has a valid header.
    """
    wb = Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["本表由街道填报，请勿修改表头。"])
    ws = wb.create_sheet("社区情况")
    ws.append([TITLE])
    ws.merge_cells("A1:P1")
    ws.append(["统计单位：婺城区民政局", None, None, None, "统计时间：2007年12月31日"])
    ws.append(["单位：平方米、人、元"])
    ws.append(
        ["序号", "社区名称", "所属街道", "总户数", "社区工作用房", None, None, "专职人数",
         "人均月报酬\n（元/月）", "社会保险参保人数", None, None, None, None, None,
         "上年职工平均工资"]
    )  # fmt: skip
    ws.append(
        [None, None, None, None, "数量(个)", "建筑面积\n(m2", "投入使用年份", None, None,
         *INSURANCE, None]
    )  # fmt: skip
    for rng in ("A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:G4", "H4:H5", "I4:I5", "J4:O4", "P4:P5"):
        ws.merge_cells(rng)
    ws.append(["合计", None, None, 7650, 3, 1100, None, 17, None, 17, 17, 17, 17, 17, 17, None])
    ws.append([1, "城东社区", "城东街道", 1500, 1, 400, 2005, 6, 2500, 6, 6, 6, 6, 6, 6, 26647])
    ws.append(
        [2, "西门社区", None, "2,150", 1, "３５０平方米", 2006, 6, 2300, 6, 5, 6, 6, 6, 6, 26647]
    )
    ws.append([])
    ws.append([3, "南苑社区", None, 1800, 1, "—", 2007, "5人", 2200, 5, 5, 5, 5, 5, 4, 26647])
    ws.merge_cells("C7:C10")
    ws.append(["城东街道小计", None, None, 5450, 3, 750, None, 17, None, 17, 16, 17, 17, 17, 16])
    ws.append([4, "城东社区", "城东街道", 1500, 1, 390, 2005, 6, 2500, 6, 6, 6, 6, 6, 6, 26647])
    area = "=E13*300" if with_formula else 300
    ws.append([5, "北山社区", "城北街道", 2200, 1, area, 2007, 6, 2600, 6, 6, 6, 6, 6, 6, 26647])
    ws.append(["注：数据截至2007年底。"])
    old = wb.create_sheet("旧数据")
    old.append(["社区名称", "总户数", "建筑面积(m2)", "专职人数"])
    old.append(["旧社区", 1000, 100, 1])
    old.sheet_state = "hidden"
    wb.save(path)
    return path


def roster_workbook(path: Path) -> Path:
    """A community sheet plus a per-worker roster (是/否 and √/× flags)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "社区"
    ws.append(
        ["社区名称", "所属街道", "总户数", "建筑面积(m2)", "上年职工平均工资", "养老保险人数"]
    )
    ws.append(["城东社区", "城东街道", 1500, 400, 26647, 3])
    ws.append(["西门社区", "城东街道", 2500, 380, 26647, None])
    ros = wb.create_sheet("人员名册")
    ros.append(["序号", "姓名", "所属社区", "是否专职", "月报酬(元)", *INSURANCE])
    rows: list[list[Any]] = [
        [1, "张三", "城东社区", "是", 2500, "是", "是", "是", "是", "是", "是"],
        [2, "李四", "城东社区", "是", 2000, "是", "否", "是", "是", "是", "否"],
        [3, "王五", "城东社区", "否", 1200, "否", "否", "否", "否", "否", "否"],
        [4, "赵六", "西门社区", "√", 2400, "√", "√", "√", "√", "√", "√"],
        [5, "钱七", "西门社区", "√", 2300, "√", "√", "√", "√", "×", "√"],
        [6, "孙八", "西门社区", "√", 2300, "√", "√", "√", "√", "√", "√"],
        [7, "周九", "东湖社区", "是", 2300, "是", "是", "是", "是", "是", "是"],
    ]
    for r in rows:
        ros.append(r)
    wb.save(path)
    return path


# --- hostile .xlsx parts written by hand ---------------------------------------------

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
    '"xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WBRELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
    'sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main">'
)
SST = (
    '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>社区名称</t></si>'
    "<si><t>建筑面积</t></si></sst>"
)


def raw_xlsx(path: Path, sheet_xml: str | bytes, *, sst: str = SST, workbook: str = _WB) -> Path:
    """An .xlsx with the given worksheet XML, written byte for byte."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", _WBRELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        z.writestr("xl/sharedStrings.xml", sst)
    return path


def sheet(body: str, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{SHEET_HEAD}{dim}<sheetData>{body}</sheetData></worksheet>"


#: A small valid sheet: header 社区名称 | 建筑面积 and one row.
VALID_BODY = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>城东社区</t></is></c><c r="B2"><v>400</v></c></row>'
)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(src: Path, fmt: str, out_dir: Path) -> Path:
    """Convert with LibreOffice: fmt is 'xls', 'ods' or 'xlsx'."""
    exe = soffice()
    assert exe is not None
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
             "--outdir", str(out_dir), str(src)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    out = out_dir / f"{src.stem}.{fmt}"
    assert out.exists(), f"soffice did not write {out}"
    return out


def main() -> int:
    if soffice() is None:
        print("soffice not found; install LibreOffice Calc", file=sys.stderr)
        return 1
    DATA.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        for name, build in (("messy", messy_workbook), ("roster", roster_workbook)):
            src = build(t / f"{name}.xlsx")
            for fmt in ("xls", "ods"):
                shutil.copy(convert(src, fmt, t / "out"), DATA / f"{name}.{fmt}")
                print(f"wrote {DATA / f'{name}.{fmt}'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
