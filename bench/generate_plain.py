"""Generate the second bench file kind: an openpyxl write-only workbook with no <dimension>.

Many real files come from scripts that write with openpyxl's write-only mode:
no title rows, a plain header of 14 columns with a monthly pay column, and no
``<dimension>`` element, so the reader's extent check must follow every row.
The rows are the bench generator's (``generate.rows``), cut to those columns.
Nothing here is committed as data: the files go to ``bench/out/`` (git-ignored).

Run:  python bench/generate_plain.py [ROWS ...] [--out DIR]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import OUT, SIZES, rows  # noqa: E402

HEADERS = [
    "社区名称",
    "所属街道",
    "县(市、区)",
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
#: Where each header's value sits in a row of ``generate.rows``.
PICK = [2, 5, 4, 6, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18]
_DIMENSION = re.compile(rb"<dimension [^>]*/>")


def write_plain(path: Path, n: int) -> Path:
    """Write ``n`` rows with openpyxl's write-only mode, then drop any <dimension>."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(HEADERS)
    for row in rows(n):
        ws.append([row[i] for i in PICK])
    tmp = Path(tempfile.mkdtemp(dir=path.parent))
    try:
        raw = tmp / "raw.xlsx"
        wb.save(raw)
        with (
            zipfile.ZipFile(raw) as src,
            zipfile.ZipFile(tmp / "out.xlsx", "w", zipfile.ZIP_DEFLATED) as dst,
        ):
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename.startswith("xl/worksheets/"):
                    data = _DIMENSION.sub(b"", data)
                dst.writestr(item, data)
        (tmp / "out.xlsx").replace(path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", nargs="*", default=["100k"], help=f"row counts or {', '.join(SIZES)}")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        n = SIZES.get(size) or int(size)
        path = write_plain(args.out / f"plain-{size}.xlsx", n)
        print(f"{path}  ({n:,} rows, {path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
