"""Generate ``samples/jinhua-2008.xlsx``: the synthetic sample a year on, for `compliance progress`.

It starts from ``samples/jinhua-2007.xlsx`` (itself synthetic) and, with a fixed
random seed, changes what a year of the 2008 plan might change:

- most communities short of 350 m² of premises get more: some reach 350 m²,
  some close part of their gap, some nothing;
- a few that complied lose premises (rooms taken back) and fall short;
- two communities are merged away and two new ones are set up;
- three rows lose their community code (matched by name and sub-district).

Everything else is copied. A second sheet, 街道情况, lists every sub-district
with its number of community service centres (社区服务中心数, mostly 1, some 0,
a few 2), which the sub-district rule of ``zhejiang-2008`` reads. Compare the
two snapshots, and check the 2008 rule set, with:

    compliance progress samples/jinhua-2007.xlsx samples/jinhua-2008.xlsx
    compliance check samples/jinhua-2008.xlsx --rules zhejiang-2008

Run:  python samples/make_progress_sample.py [OUTPUT.xlsx]
"""

from __future__ import annotations

import datetime as dt
import random
import runpy
import sys
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from compliance.reading.cells import parse_number

# The sibling generator, loaded by path so this works however the script is run.
_sample = runpy.run_path(str(Path(__file__).resolve().parent / "make_sample.py"))
fix_zip_times = _sample["fix_zip_times"]

SEED = 2008
HERE = Path(__file__).resolve().parent
BASELINE = HERE / "jinhua-2007.xlsx"
HEADER_ROW = 3
AREA, CODE, NAME, DATE = 8, 1, 2, 19  # 0-based columns of the 2007 sheet
MERGED_AWAY = ("330701003017", "330704002012")
NEW = (
    ["330701008201", "江南新城社区", "金华市", "婺城区", "江南街道", 2210, 6800, 380, 8, 6, 2600,
     26647, 6, 6, 6, 6, 6, 6],
    ["330782006201", "福田社区", "金华市", "义乌市", "稠江街道", 3120, 9400, 260, 9, 7, 2750,
     27900, 7, 7, 7, 7, 7, 7],
)  # fmt: skip


def _rows(rng: random.Random) -> tuple[list[str], list[list[object]]]:
    ws = load_workbook(BASELINE).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    headers = [str(h) for h in rows[HEADER_ROW - 1]]
    out: list[list[object]] = []
    for row in rows[HEADER_ROW:]:
        if not isinstance(row[0], int):  # the subtotal row and the notes below it
            break
        if row[CODE] in MERGED_AWAY:
            continue
        # Areas stored as text ("280平方米", "３５０") are read as the checker reads them.
        area, _ = parse_number(row[AREA])
        if area is not None:
            draw = rng.random()
            if area < 350:
                if draw < 0.6:  # new premises: now at the standard or above
                    row[AREA] = 350 + 10 * rng.randint(0, 12)
                elif draw < 0.9:  # partly closed
                    row[AREA] = round((area + (350 - area) * rng.uniform(0.4, 0.9)) * 2) / 2
            elif draw < 0.02:  # rooms taken back
                row[AREA] = 300 + 10 * rng.randint(0, 4)
        if len(out) % 60 == 59:
            # Some offices leave the code out; the comparison falls back to name + sub-district.
            row[CODE] = None
        day = row[DATE]
        if isinstance(day, dt.datetime):
            row[DATE] = day.replace(year=2008)
        out.append(row[1:])
    for extra in NEW:
        out.append([*extra, dt.datetime(2008, 12, 26)])
    return headers[1:], [[i, *r] for i, r in enumerate(out, start=1)]


SUBDISTRICT_HEADERS = ["序号", "所属市", "县（市、区）", "所属街道", "社区服务中心数"]
CITY, DISTRICT, SUBDISTRICT = 3, 4, 5  # 0-based columns of the community rows


def _subdistricts(rows: list[list[object]], rng: random.Random) -> list[list[object]]:
    """One row per sub-district, in order of first appearance, with its service centres."""
    seen: dict[tuple[object, ...], None] = {}
    for row in rows:
        seen.setdefault((row[CITY], row[DISTRICT], row[SUBDISTRICT]), None)
    out: list[list[object]] = []
    for i, key in enumerate(seen, start=1):
        draw = rng.random()
        centres = 0 if draw < 0.15 else 2 if draw > 0.92 else 1
        out.append([i, *key, centres])
    return out


def _subdistrict_sheet(wb: Workbook, rows: list[list[object]]) -> None:
    ws = wb.create_sheet("街道情况")
    ws.append(["金华市各街道社区服务中心情况（2008年底，合成示例数据 synthetic sample data）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SUBDISTRICT_HEADERS))
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(SUBDISTRICT_HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        ws.append(row)
    for col, w in zip("ABCDE", (6, 10, 14, 14, 16), strict=True):
        ws.column_dimensions[col].width = w


def build(path: Path) -> None:
    rng = random.Random(SEED)
    headers, rows = _rows(rng)
    # A stream of its own, so that the community rows stay as they were.
    subdistricts = _subdistricts(rows, random.Random(SEED + 1))
    wb = Workbook()
    ws = wb.active
    ws.title = "社区情况"
    width = len(headers) + 1
    ws.append(["金华市社区工作服务用房、专职社区工作者及待遇情况统计表（2008年底）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(
        [
            "填报单位：金华市民政局（示例）          单位：平方米、人、元          "
            "本表为合成示例数据（synthetic sample data）"
        ]
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.append(["序号", *headers])
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for row in rows:
        ws.append(row)
    for cell in ws["T"][3:]:
        cell.number_format = "yyyy-mm-dd"
    ws.append(["合计", "", "", "金华市", "", "", f"=SUM(G4:G{3 + len(rows)})"])
    ws.append([])
    ws.append(
        [
            "注：本表为合成示例数据，由 samples/make_progress_sample.py 从 jinhua-2007.xlsx 推演而来，"
            "社区名称与数字均为虚构。"
        ]
    )
    ws.freeze_panes = "D4"
    for col, w in zip(
        "ABCDEFGHIJKLMNOPQRST",
        (6, 16, 14, 8, 10, 10, 8, 9, 12, 7, 7, 11, 12, 8, 8, 8, 8, 8, 10, 12),
        strict=True,
    ):
        ws.column_dimensions[col].width = w
    _subdistrict_sheet(wb, subdistricts)
    fixed = dt.datetime(2009, 1, 15, 9, 0, 0)
    wb.properties.creator = "compliance samples/make_progress_sample.py"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    fix_zip_times(tmp, fixed)
    tmp.replace(path)


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "jinhua-2008.xlsx"
    build(out)
    print(out)
