"""Time the read stage alone against the python-calamine ``to_python`` floor.

Each method runs in a fresh process, several times; the table gives the median
wall and CPU seconds (user + system, from ``os.wait4``: on a shared machine CPU
time is the steadier figure), the peak RSS, and each as a ratio to the floor.
``--stages`` also prints where one ``read_frame`` spends its CPU time.

Run:  python bench/read_stage.py FILE [FILE ...] [--runs N] [--stages]
(files from ``bench/generate.py`` and ``bench/generate_plain.py``)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

METHODS = ("floor", "read_frame", "read_records")


def _child(method: str, path: str) -> None:
    if method == "floor":
        from python_calamine import CalamineWorkbook

        CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python(skip_empty_area=False)
    elif method == "read_frame":
        from compliance.reading.records import read_frame

        read_frame(path)
    else:
        from compliance.reading import read_records

        read_records(path)


def _measure(method: str, path: Path) -> tuple[float, float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "_" + method, str(path)])
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{method} {path} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _stages(path: Path) -> None:
    """CPU seconds per step of one read_frame, in this process."""
    from compliance.reading import build, records, xlsx_columns, xlsx_read
    from compliance.reading import grid as grid_mod

    spent: dict[str, float] = {}

    def cpu() -> float:
        t = os.times()
        return t.user + t.system

    def wrap(mod: object, name: str, label: str) -> None:
        real = getattr(mod, name)

        def timed(*args: object, **kwargs: object) -> object:
            t0 = cpu()
            try:
                return real(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + cpu() - t0

        setattr(mod, name, timed)

    wrap(grid_mod, "open_workbook", "open (sniff, container guards)")
    records.open_workbook = grid_mod.open_workbook  # type: ignore[attr-defined]
    wrap(xlsx_read, "load_rows", "head rows (one-pass reader)")
    wrap(xlsx_read, "merged_ranges", "merged ranges scan")
    wrap(xlsx_columns, "load_columns", "data rows (one-pass reader)")
    wrap(build, "build_frame", "parse, sort rows, build frame")
    t0 = cpu()
    frame = records.read_frame(path)
    total = cpu() - t0
    t1 = cpu()
    frame.to_sheet_data()
    print(f"  {path.name}: read_frame {total:.2f} s CPU; to_sheet_data {cpu() - t1:.2f} s")
    for label, s in spent.items():
        print(f"    {label:<40} {s:5.2f} s")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1].lstrip("_") in METHODS:
        _child(sys.argv[1].lstrip("_"), sys.argv[2])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--stages", action="store_true")
    args = ap.parse_args()
    print("| file | method | wall (s) | CPU (s) | peak (MB) | wall ÷ floor | CPU ÷ floor |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for path in args.files:
        floor: tuple[float, float, float] | None = None
        for method in METHODS:
            runs = [_measure(method, path) for _ in range(args.runs)]
            wall, cpu, peak = (statistics.median(r[i] for r in runs) for i in range(3))
            floor = floor or (wall, cpu, peak)
            print(
                f"| {path.name} | {method} | {wall:.2f} | {cpu:.2f} | {peak:.0f} | "
                f"{wall / floor[0]:.2f}× | {cpu / floor[1]:.2f}× |",
                flush=True,
            )
    if args.stages:
        for path in args.files:
            _stages(path)


if __name__ == "__main__":
    main()
