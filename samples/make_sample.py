"""Generate the synthetic sample workbook ``samples/jinhua-2007.xlsx``.

The data is synthetic: community names, codes and figures are made up, with a
fixed random seed so that every run writes the same cells. District and
sub-district names are the real ones of Jinhua (金华) city at the end of 2007.
Only the 2006 average wage of Jinhua city proper (婺城区, 金东区: 26,647 yuan,
Jinhua statistics bureau) is a sourced figure; the other districts' wages are
illustrative, and the workbook says so.

Run:  python samples/make_sample.py [OUTPUT.xlsx]
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

SEED = 2007
CITY = "金华市"
# district -> (sub-districts, communities, previous-year average wage, sourced?)
DISTRICTS: dict[str, tuple[list[str], int, int, bool]] = {
    "婺城区": (
        ["城东街道", "城中街道", "城西街道", "城北街道", "江南街道", "西关街道", "秋滨街道"],
        48,
        26647,
        True,
    ),
    "金东区": (["多湖街道", "东孝街道"], 14, 26647, True),
    "兰溪市": (["云山街道", "兰江街道", "上华街道", "永昌街道"], 20, 22300, False),
    "义乌市": (["稠城街道", "北苑街道", "稠江街道", "江东街道", "后宅街道"], 40, 27900, False),
    "东阳市": (["吴宁街道", "白云街道", "江北街道", "城东街道", "南市街道"], 26, 24800, False),
    "永康市": (["东城街道", "西城街道", "江南街道"], 22, 25600, False),
    "武义县": (["壶山街道", "白洋街道", "熟溪街道"], 12, 20900, False),
    "浦江县": (["浦阳街道", "仙华街道", "浦南街道"], 12, 21200, False),
    "磐安县": (["安文镇"], 6, 19500, False),
}
NAME_PARTS = (  # noqa: SIM905 - a word list reads best as text
    "东苑 西园 南湖 北山 三江 长春 银湖 青春 丹溪 燕尾洲 八一 解放 人民 "
    "胜利 新华 五星 百花 双龙 芙蓉 环城 市北 湖海塘 金竹 桂花 柳湖 宾虹 "
    "望江 香溪 明月 春晖 杏花 翠苑 清风 朝阳 幸福 和平 团结 振兴 兴隆 "
    "红旗 绣湖 宾王 江滨 稠州 龙华 荷叶塘 三溪 城南 城北 新村 东门 西门 "
    "南门 北门 月亮湾 凤凰 紫薇 丽泽 锦绣 康乐 永安 长山 "
).split()
HEADERS = [
    "序号",
    "社区代码",
    "社区名称",
    "所属市",
    "县（市、区）",
    "所属街道",
    "总户数",
    "常住人口",
    "工作服务用房\n面积（㎡）",
    "总人数",
    "专职人数",
    "人均月报酬\n（元）",
    "上年职工平均工资（元）",
    "养老保险人数",
    "失业保险人数",
    "医疗保险人数",
    "工伤保险人数",
    "生育保险人数",
    "住房公积金人数",
    "填报日期",
]


def _community_rows(rng: random.Random) -> list[list[object]]:
    rows: list[list[object]] = []
    used: set[str] = set()
    seq = 0
    for d_index, (district, (subs, count, wage, _)) in enumerate(DISTRICTS.items()):
        for i in range(count):
            seq += 1
            sub = subs[i % len(subs)]
            name = rng.choice(NAME_PARTS) + "社区"
            while name in used:
                name = (
                    rng.choice(NAME_PARTS)
                    + rng.choice(("一", "二", "三", "新", "东", "西"))
                    + "社区"
                )
            used.add(name)
            code = f"3307{d_index + 1:02d}{(subs.index(sub) + 1):03d}{i + 1:03d}"
            households = int(rng.triangular(600, 4200, 1700))
            population = int(households * rng.uniform(2.6, 3.2))
            area: float | None = round(rng.triangular(80, 900, 380) / 5) * 5 + rng.choice(
                (0, 0, 0.5)
            )
            need = max(5, -(-households // 400))
            workers = max(2, need + rng.choice((-2, -1, 0, 0, 0, 0, 0, 1, 1)))
            staff = workers + rng.randint(0, 4)
            monthly: float | None = round(wage / 12 * rng.uniform(0.85, 1.35), -1)
            insured = []
            for share in (0.97, 0.9, 0.96, 0.92, 0.9, 0.8):
                insured.append(
                    workers if rng.random() < share else max(0, workers - rng.randint(1, 3))
                )
            date = dt.date(2007, 12, rng.randint(20, 31))
            row: list[object] = [
                seq,
                code,
                name,
                CITY,
                district,
                sub,
                households,
                population,
                area,
                staff,
                workers,
                monthly,
                wage,
                *insured,
                date,
            ]
            rows.append(row)
    # A few blank cells, as in real returns: they must come out as "unknown".
    for index, col in ((5, 8), (17, 11), (33, 13), (61, 16), (88, 8), (140, 18), (151, 10)):
        rows[index][col] = None
    # Numbers typed as text, with a unit or full-width digits.
    rows[9][8] = "３２０"
    rows[21][8] = "410平方米"
    rows[45][6] = "2,150"
    rows[70][14] = "待核实"
    # Exact boundaries.
    rows[2][8] = 350
    rows[3][8] = 349.99
    rows[4][6], rows[4][10] = 2001, 6
    rows[6][6], rows[6][10] = 2400, 6
    rows[7][6], rows[7][10] = 2401, 6
    return rows


def build(path: Path) -> None:
    rng = random.Random(SEED)
    wb = Workbook()
    ws = wb.active
    ws.title = "社区情况"
    width = len(HEADERS)
    ws.append([f"{CITY}社区工作服务用房、专职社区工作者及待遇情况统计表（2007年底）"])
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
    ws.append(HEADERS)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    rows = _community_rows(rng)
    for row in rows:
        ws.append(row)
    for cell in ws["T"][3:]:
        cell.number_format = "yyyy-mm-dd"
    total = ["合计", "", "", CITY, "", "", f"=SUM(G4:G{3 + len(rows)})"]
    ws.append(total)
    ws.append([])
    ws.append(
        [
            "注：本表为合成示例数据，社区名称与数字均为虚构；婺城区、金东区的上年职工平均工资"
            "26647元为金华市统计局公布的2006年金华市区数据，其余县（市）的数字为示意值。"
        ]
    )
    ws.append(
        [
            "Note: synthetic sample data. Names and figures are made up; the 26,647-yuan wage for "
            "Wucheng and Jindong is Jinhua city proper's 2006 figure (Jinhua statistics bureau); "
            "the other districts' wages are illustrative."
        ]
    )
    ws.freeze_panes = "D4"
    for col, w in zip(
        "ABCDEFGHIJKLMNOPQRST",
        (6, 16, 14, 8, 10, 10, 8, 9, 12, 7, 7, 11, 12, 8, 8, 8, 8, 8, 10, 12),
        strict=True,
    ):
        ws.column_dimensions[col].width = w

    about = wb.create_sheet("说明")
    about.append(["项目", "说明"])
    about.append(["数据性质", "合成示例数据（synthetic），仅用于演示 compliance 工具。"])
    about.append(["生成方式", f"samples/make_sample.py，随机种子 {SEED}"])
    for district, (_, _, wage, sourced) in DISTRICTS.items():
        about.append(
            [
                f"{district}上年职工平均工资",
                f"{wage} 元（{'金华市统计局，2006年金华市区' if sourced else '示意值，非官方数据'}）",
            ]
        )
    fixed = dt.datetime(2008, 1, 15, 9, 0, 0)
    wb.properties.creator = "compliance samples/make_sample.py"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    fix_zip_times(tmp)
    tmp.replace(path)


def fix_zip_times(path: Path, stamp: dt.datetime = dt.datetime(2008, 1, 15, 9, 0, 0)) -> None:
    """Give every zip entry (and the workbook's modified date) a fixed time, so that
    the same cells make the same bytes. openpyxl stamps the save time otherwise."""
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info)) for info in src.infolist()]
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + when, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("jinhua-2007.xlsx")
    build(out)
    print(out)
