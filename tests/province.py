"""A synthetic province-sized return shaped like Zhejiang at the end of 2007.

The 2008 provincial report says that at the end of 2007 1128 communities, 40.5%
of all, had premises under 350 m²; that implies about 2,785 urban communities.
:func:`write_province` writes that many communities over the 11 cities and 90
county-level units of 2007, exactly :data:`UNDER` of them under 350 m² (some just
under, at 349.99) and the rest at 350 m² or more (some exactly 350). Every other
figure passes, so only the premises standard fails.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

COMMUNITIES = 2785
UNDER = 1128

# 2007 county-level units by city (Ministry of Civil Affairs division codes).
_CITIES = {
    "杭州市": "上城 下城 江干 拱墅 西湖 滨江 萧山 余杭 桐庐 淳安 建德 富阳 临安",
    "宁波市": "海曙 江东 江北 北仑 镇海 鄞州 象山 宁海 余姚 慈溪 奉化",
    "温州市": "鹿城 龙湾 瓯海 洞头 永嘉 平阳 苍南 文成 泰顺 瑞安 乐清",
    "嘉兴市": "南湖 秀洲 嘉善 海盐 海宁 平湖 桐乡",
    "湖州市": "吴兴 南浔 德清 长兴 安吉",
    "绍兴市": "越城 绍兴县 新昌 诸暨 上虞 嵊州",
    "金华市": "婺城 金东 武义 浦江 磐安 兰溪 义乌 东阳 永康",
    "衢州市": "柯城 衢江 常山 开化 龙游 江山",
    "舟山市": "定海 普陀 岱山 嵊泗",
    "台州市": "椒江 黄岩 路桥 玉环 三门 天台 仙居 温岭 临海",
    "丽水市": "莲都 青田 缙云 遂昌 松阳 云和 庆元 景宁 龙泉",
}
CITIES: dict[str, list[str]] = {city: names.split(" ") for city, names in _CITIES.items()}
DISTRICTS = [(city, district) for city, ds in CITIES.items() for district in ds]

HEADERS = [
    "社区名称",
    "所属市",
    "县(市、区)",
    "所属街道",
    "总户数",
    "建筑面积(m2)",
    "专职人数",
    "人均月报酬",
    "上年职工平均工资",
    "养老保险人数",
    "失业保险人数",
    "医疗保险人数",
    "工伤保险人数",
    "生育保险人数",
    "住房公积金人数",
]


def is_under(i: int) -> bool:
    """Spread the communities under 350 m² evenly: exactly UNDER of COMMUNITIES."""
    return (i * UNDER) // COMMUNITIES != ((i + 1) * UNDER) // COMMUNITIES


def area(i: int) -> float:
    if is_under(i):
        return 349.99 if i % 7 == 0 else float(120 + i % 229)
    return 350.0 if i % 5 == 0 else float(351 + i % 400)


def rows() -> list[list[object]]:
    out: list[list[object]] = []
    for i in range(COMMUNITIES):
        city, district = DISTRICTS[i % len(DISTRICTS)]
        out.append(
            [
                f"社区{i + 1:04d}",
                city,
                district,
                f"{district}街道{i % 3 + 1}",
                1500,
                area(i),
                6,
                3000,
                26647,
                6,
                6,
                6,
                6,
                6,
                6,
            ]
        )
    return out


def write_province(path: Path) -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("社区情况")
    ws.append(["2007年底全省城市社区情况（合成数据）"])
    ws.append(HEADERS)
    for row in rows():
        ws.append(row)
    wb.save(path)
    return path
