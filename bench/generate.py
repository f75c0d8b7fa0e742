"""Generate synthetic benchmark workbooks of N community rows (deterministic).

The workbooks look like a civil-affairs return: a title row and a unit line
above the header, the 20 columns of ``samples/make_sample.py`` (Chinese
headers), shared strings for text and a date column, as Excel writes them.
Each row is a function of its index and a fixed seed, so every run writes the
same bytes. Nothing here is committed as data: the files go to ``bench/out/``
(git-ignored).

openpyxl's write-only mode needs minutes for a million rows, so the sheet XML
is written directly into the zip archive, row by row.

Run:  python bench/generate.py [ROWS ...] [--out DIR] [--csv]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().parent / "out"
SEED = 2007
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}

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
# Real 2007 cities and county-level units; the wages are illustrative.
DISTRICTS = [
    ("杭州市", "上城区", 31000),
    ("杭州市", "西湖区", 31000),
    ("宁波市", "海曙区", 30000),
    ("宁波市", "鄞州区", 29500),
    ("温州市", "鹿城区", 27000),
    ("嘉兴市", "南湖区", 26000),
    ("湖州市", "吴兴区", 25000),
    ("绍兴市", "越城区", 26500),
    ("金华市", "婺城区", 26647),
    ("金华市", "义乌市", 27900),
    ("衢州市", "柯城区", 22000),
    ("舟山市", "定海区", 25500),
    ("台州市", "椒江区", 26000),
    ("丽水市", "莲都区", 22500),
]
SUBDISTRICTS = ["城东街道", "城西街道", "城南街道", "城北街道", "城中街道", "江滨街道"]
NAME_PARTS = ["东苑", "西园", "南湖", "北山", "三江", "长春", "银湖", "青春", "丹溪", "八一"]
DATE_BASE = dt.date(1899, 12, 30)
LETTERS = [chr(65 + i) for i in range(len(HEADERS))]


def rows(n: int, seed: int = SEED, first: int = 0) -> Iterator[list[object]]:
    """The community rows: ints, floats, strings and a date, deterministic per seed.
    ``first`` numbers the communities (their codes and names) from another start."""
    rng = random.Random(seed)
    for k in range(n):
        i = first + k
        city, district, wage = DISTRICTS[i % len(DISTRICTS)]
        sub = SUBDISTRICTS[(i // len(DISTRICTS)) % len(SUBDISTRICTS)]
        households = int(rng.triangular(600, 4200, 1700))
        need = max(5, -(-households // 400))
        workers = max(2, need + rng.choice((-2, -1, 0, 0, 0, 0, 0, 1, 1)))
        area: float | None = round(rng.triangular(80, 900, 380) / 5) * 5 + rng.choice((0, 0, 0.5))
        monthly: float | None = round(wage / 12 * rng.uniform(0.85, 1.35), -1)
        insured = [
            workers if rng.random() < share else max(0, workers - rng.randint(1, 3))
            for share in (0.97, 0.9, 0.96, 0.92, 0.9, 0.8)
        ]
        if i % 997 == 5:
            area = None  # a blank cell: must come out as "unknown"
        if i % 1499 == 7:
            monthly = None
        yield [
            i + 1,
            f"33{i:010d}",
            f"{NAME_PARTS[i % len(NAME_PARTS)]}{i + 1}社区",
            city,
            district,
            sub,
            households,
            int(households * rng.uniform(2.6, 3.2)),
            area,
            workers + rng.randint(0, 4),
            workers,
            monthly,
            wage,
            *insured,
            dt.date(2007, 12, 20 + i % 12),
        ]


class _Strings:
    """The shared-string table: text cells refer to it by index, as in Excel's files."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def ref(self, text: str) -> int:
        i = self.index.get(text)
        if i is None:
            i = self.index[text] = len(self.index)
        return i

    def xml(self) -> Iterator[str]:
        yield (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(self.index)}" uniqueCount="{len(self.index)}">'
        )
        for text in self.index:
            space = ' xml:space="preserve"' if "\n" in text else ""
            yield f"<si><t{space}>{escape(text)}</t></si>"
        yield "</sst>"


def _cell(ref: str, value: object, strings: _Strings) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return f'<c r="{ref}" t="s"><v>{strings.ref(value)}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="1"><v>{(value - DATE_BASE).days}</v></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def _row(r: int, values: list[object], strings: _Strings) -> str:
    cells = "".join(_cell(f"{LETTERS[c]}{r}", v, strings) for c, v in enumerate(values))
    return f'<row r="{r}">{cells}</row>'


_STATIC = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="社区情况" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        "</cellXfs></styleSheet>"
    ),
}


def write_xlsx(path: Path, n: int, seed: int = SEED, first: int = 0) -> Path:
    """Write an .xlsx of ``n`` community rows under a title, a unit line and the header."""
    strings = _Strings()
    width = LETTERS[len(HEADERS) - 1]
    # A fixed timestamp keeps the archive byte-for-byte reproducible.
    stamp = (2008, 1, 15, 9, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, text in _STATIC.items():
            zf.writestr(zipfile.ZipInfo(name, stamp), text, zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as fh:
            head = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f'<dimension ref="A1:{width}{n + 3}"/><sheetData>'
                + _row(
                    1, ["浙江省社区工作服务用房及专职社区工作者情况统计表（合成基准数据）"], strings
                )
                + _row(2, ["单位：平方米、人、元"], strings)
                + _row(3, list(HEADERS), strings)
            )
            fh.write(head.encode())
            batch: list[str] = []
            for i, values in enumerate(rows(n, seed, first)):
                batch.append(_row(i + 4, values, strings))
                if len(batch) == 5000:
                    fh.write("".join(batch).encode())
                    batch.clear()
            tail = "".join(batch) + (
                f'</sheetData><mergeCells count="2"><mergeCell ref="A1:{width}1"/>'
                f'<mergeCell ref="A2:{width}2"/></mergeCells></worksheet>'
            )
            fh.write(tail.encode())
        info = zipfile.ZipInfo("xl/sharedStrings.xml", stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as fh:
            for part in strings.xml():
                fh.write(part.encode())
    tmp.replace(path)
    return path


def write_csv(path: Path, n: int, seed: int = SEED) -> Path:
    """The same rows as UTF-8 CSV (header line first), for tools that prefer CSV."""
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([h.replace("\n", "") for h in HEADERS])
        for values in rows(n, seed):
            w.writerow(["" if v is None else v for v in values])
    tmp.replace(path)
    return path


def bench_path(label: str, out: Path = OUT, suffix: str = ".xlsx") -> Path:
    return out / f"communities-{label}{suffix}"


def ensure(label: str, out: Path = OUT) -> Path:
    """The workbook for a size label ("10k", "100k", "1m"), generated if not there yet."""
    path = bench_path(label, out)
    if not path.exists():
        write_xlsx(path, rows_for(label))
    return path


def rows_for(label: str) -> int:
    """The row count of a size label: "10k" -> 10000; a plain number stands for itself."""
    return SIZES.get(label) or int(label)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", nargs="*", default=list(SIZES), help="10k, 100k, 1m or a number")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--csv", action="store_true", help="also write a CSV of the same rows")
    args = ap.parse_args()
    for label in args.sizes:
        n = rows_for(label)
        path = write_xlsx(bench_path(label, args.out), n)
        print(f"{path}  ({n:,} rows, {path.stat().st_size / 1e6:.1f} MB)")
        if args.csv:
            print(write_csv(bench_path(label, args.out, ".csv"), n))


if __name__ == "__main__":
    main()
