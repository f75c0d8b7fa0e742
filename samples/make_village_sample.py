"""Generate the illustrative village sample ``samples/shengzhou-villages-illustrative.xlsx``.

Made-up villages of Shengzhou (嵊州市) with their village public service centre's
"one hall, seven rooms, three centres" (一厅、七室、三中心) marked 有/无 and in the
other ways offices write yes and no (是/否, √/×, 1/0), plus a few cells that are
empty or cannot be read, for the ILLUSTRATIVE rule set
``rules/illustrative-shengzhou-village-centre.toml``. The town names are Shengzhou's
own; the villages and every mark are invented, and the sheet says so.

Run:  python samples/make_village_sample.py [OUTPUT.xlsx]
"""

from __future__ import annotations

import datetime as dt
import random
import runpy
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

SEED = 2008
#: The facility headers, as one office might write them (some short, some long).
FACILITIES = [
    "百姓议事厅",
    "治安调解室",
    "科普阅览室",
    "老年活动室",
    "医疗计生",
    "党员活动室",
    "村务办公室",
    "综合会议室",
    "农民培训中心",
    "文化活动中心",
    "体育活动中心",
]
HEADERS = ["序号", "单位名称", "所属乡镇(街道)", "所属区县", *FACILITIES]
#: Made-up villages by (real) town of Shengzhou.
VILLAGES = {
    "甘霖镇": ["上东村", "苍岩村", "施家岙村"],
    "长乐镇": ["小昆村", "沃基村", "开元村"],
    "崇仁镇": ["崇仁一村", "高田村"],
    "黄泽镇": ["黄泽村", "白泥坎村"],
    "三界镇": ["三界村", "嶀浦村"],
}
#: How a mark is written: mostly 有/无, sometimes the other ways offices write it.
_YES = ["有", "有", "有", "是", "√", 1]
_NO = ["无", "无", "否", "×", 0]


def _rows(rng: random.Random) -> list[list[object]]:
    rows: list[list[object]] = []
    n = 0
    for town, villages in VILLAGES.items():
        for village in villages:
            n += 1
            has = rng.random() < 0.35  # a centre complete in every item
            marks: list[object] = []
            for _ in FACILITIES:
                present = has or rng.random() < 0.8
                marks.append(rng.choice(_YES if present else _NO))
            rows.append([n, village, town, "嵊州市", *marks])
    # Cells that say nothing usable: empty, and written but not yes or no.
    rows[3][4 + 4] = None
    rows[6][4 + 9] = "在建"
    rows[10][4 + 1] = "部分"
    return rows


def build(path: Path) -> None:
    rng = random.Random(SEED)
    wb = Workbook()
    ws = wb.active
    ws.title = "村级服务中心"
    width = len(HEADERS)
    ws.append(["嵊州市村级公共服务中心“一厅、七室、三中心”设置情况（示例数据）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(
        [
            "本表为示例数据（illustrative）：村名与有无情况均为虚构，乡镇名为嵊州市实有；"
            "所依据的“一厅、七室、三中心”为省报告所举做法，不是正式标准。"
        ]
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.append(HEADERS)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for row in _rows(rng):
        ws.append(row)
    ws.append([])
    ws.append(
        [
            "Note: illustrative data. The villages and every mark are made up; the towns are "
            "Shengzhou's own. 'One hall, seven rooms, three centres' is a practice the 2008 "
            "provincial report cites, not an official standard."
        ]
    )
    ws.freeze_panes = "C4"
    fixed = dt.datetime(2008, 6, 30, 9, 0, 0)
    wb.properties.creator = "compliance samples/make_village_sample.py"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    fix_zip_times = runpy.run_path(str(Path(__file__).with_name("make_sample.py")))["fix_zip_times"]
    fix_zip_times(tmp, fixed)
    tmp.replace(path)


if __name__ == "__main__":
    default = Path(__file__).with_name("shengzhou-villages-illustrative.xlsx")
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    build(out)
    print(out)
