"""Time a batch of many small files: the per-file fixed cost (issue 17, item 5).

200 district files of 200 rows each (``bench/generate.py``'s workbook, one seed
per file, each with communities of its own) are checked in one run (``compliance check FOLDER --format json -o``),
against one process that reads every file with python-calamine and nothing more
(the floor). Both are run in fresh processes, several times; the table gives the
median wall time per file and the ratio to the floor, measured in pairs run in turn (the
issue's target: ≤ 10×).

Run:  python bench/small_batch.py [--files 200] [--rows 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import OUT, SEED, write_xlsx
from run import _compliance


def _floor(folder: str) -> None:
    from python_calamine import CalamineWorkbook

    for path in sorted(Path(folder).glob("*.xlsx")):
        book = CalamineWorkbook.from_path(str(path))
        book.get_sheet_by_index(0).to_python()


def measure(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of ``cmd`` and the processes it waited for (its workers):
    on a loaded machine the CPU time is the steadier figure."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


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
            write_xlsx(path, args.rows, seed=SEED + i, first=i * args.rows)
    floor_cmd = [sys.executable, str(Path(__file__).resolve()), "_floor", str(folder)]
    check_cmd = [*_compliance(), "check", str(folder), "--format", "json"]
    check_cmd += ["-o", str(OUT / "report-batch.json"), "--quiet"]
    # Floor and check in turn, so that a machine whose speed drifts (other load, clock
    # changes) moves both sides of each pair alike; the ratio is the median of the pairs'.
    floors: list[tuple[float, float]] = []
    checks: list[tuple[float, float]] = []
    for _ in range(args.runs):
        floors.append(measure(floor_cmd))
        checks.append(measure(check_cmd))
    n = args.files
    print(f"{n} files of {args.rows} rows, median of {args.runs} runs (wall, CPU ms per file)")
    for label, runs in (("floor (python-calamine)", floors), ("compliance check -f json", checks)):
        wall = statistics.median(w for w, _ in runs) / n * 1000
        cpu = statistics.median(c for _, c in runs) / n * 1000
        print(f"{label:26} {wall:7.1f} {cpu:7.1f}")
    pairs = list(zip(floors, checks, strict=True))
    ratio_wall = statistics.median(c[0] / f[0] for f, c in pairs)
    ratio_cpu = statistics.median(c[1] / f[1] for f, c in pairs)
    print(f"ratio to the floor (median of the pairs): {ratio_wall:.1f}x wall, {ratio_cpu:.1f}x CPU")


if __name__ == "__main__":
    main()
