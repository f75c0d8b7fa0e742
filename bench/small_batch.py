"""Time a batch of many small files: the per-file fixed cost (issue 17, item 5).

200 district files of 200 rows each (``bench/generate.py``'s workbook, one seed
per file) are checked in one run (``compliance check FOLDER --format json -o``),
against one process that reads every file with python-calamine and nothing more
(the floor). Both are run in fresh processes, several times; the table gives the
median wall time per file and the ratio to the floor (the issue's target: ≤ 10×).

Run:  python bench/small_batch.py [--files 200] [--rows 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import OUT, SEED, write_xlsx
from run import _compliance, measure


def _floor(folder: str) -> None:
    from python_calamine import CalamineWorkbook

    for path in sorted(Path(folder).glob("*.xlsx")):
        book = CalamineWorkbook.from_path(str(path))
        book.get_sheet_by_index(0).to_python()


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "_floor":
        _floor(sys.argv[2])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--rows", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    folder = OUT / f"batch{args.files}x{args.rows}"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(args.files):
        path = folder / f"district-{i:03d}.xlsx"
        if not path.exists():
            write_xlsx(path, args.rows, seed=SEED + i)
    floor_cmd = [sys.executable, str(Path(__file__).resolve()), "_floor", str(folder)]
    check_cmd = [*_compliance(), "check", str(folder), "--format", "json"]
    check_cmd += ["-o", str(OUT / "report-batch.json"), "--quiet"]
    floor = statistics.median(measure(floor_cmd)[0] for _ in range(args.runs))
    check = statistics.median(measure(check_cmd)[0] for _ in range(args.runs))
    n = args.files
    print(f"{n} files of {args.rows} rows, median of {args.runs} runs")
    print(f"floor (python-calamine, one process): {floor / n * 1000:.1f} ms/file")
    print(f"compliance check --format json:       {check / n * 1000:.1f} ms/file")
    print(f"ratio to the floor:                   {check / floor:.1f}x")


if __name__ == "__main__":
    main()
