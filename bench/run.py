"""Time `compliance check` against the calamine floor (and pandas, frictionless).

For each size (10k, 100k, 1m rows; see ``bench/generate.py``) and each kind of
file (``bench``: the generator's workbook; ``plain``: an openpyxl write-only
workbook with no ``<dimension>``, 14 columns and a monthly pay column) the same
workbook is handed to each method, each in a fresh process:

- ``floor``: python-calamine reading every row of the sheet, and nothing more;
- ``json``, ``csv``, ``parquet``, ``xlsx``: ``compliance check FILE --format F -o OUT``;
- ``table``: ``compliance check FILE`` with the default table on stdout;
- ``junit``, ``details`` (on request): ``--format junit -o OUT``, and the table with
  ``--details``;
- ``batch``: 20 files of a tenth of the size in one run (``--format json -o``),
  against ``json`` on one file of twice the size (the ``batch-one`` line);
- ``pandas``: ``pandas.read_excel(engine="openpyxl")`` plus vectorised checks of
  the four standards (premises, staffing, pay, six insurance items);
- ``frictionless``: ``frictionless validate FILE``.

Each method runs several times; the table gives the median wall time, the peak
resident memory (the child's ``ru_maxrss`` from ``os.wait4``, the figure
``/usr/bin/time -v`` prints) and both as ratios to the floor. The pandas
method's failure counts are compared with the compliance report's, so the two
are known to check the same thing.

Run:  python bench/run.py [--sizes 10k 100k 1m] [--runs N] [--methods ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import OUT, ensure, rows_for  # noqa: E402

#: The check methods: compliance with each output format.
CHECKS = ("json", "csv", "parquet", "xlsx", "table")
#: Further reports, timed on request: JUnit XML (``junit``) and the terminal table
#: with every finding's derivation (``details``: ``--details``).
EXTRA_CHECKS = ("junit", "details")
METHODS = ("floor", *CHECKS, *EXTRA_CHECKS, "pandas", "frictionless")
DEFAULT_METHODS = ("floor", *CHECKS)
KINDS = ("bench", "plain")
#: Runs per size when --runs is not given. pandas and frictionless need minutes
#: per run at a million rows, so they run once there (the table says so).
DEFAULT_RUNS = {"200": 7, "10k": 5, "100k": 3, "1m": 3}
SLOW_RUNS_1M = 1
RULES = (
    "premises",
    "staffing",
    "pay",
    "pension",
    "unemployment",
    "medical",
    "injury",
    "maternity",
    "housing_fund",
)


@dataclass
class Result:
    size: str
    rows: int
    method: str
    kind: str = "bench"
    walls: list[float] = field(default_factory=list)
    peaks_mb: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def peak(self) -> float:
        return statistics.median(self.peaks_mb)


def measure(
    cmd: list[str],
    cwd: Path | None = None,
    ok: tuple[int, ...] = (0, 1),
    stdout: Path | None = None,
) -> tuple[float, float]:
    """Run ``cmd``; (wall seconds, peak RSS in MB) of that process alone."""
    sink = stdout.open("wb") if stdout else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE, cwd=cwd)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if stdout:
        sink.close()  # type: ignore[union-attr]
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    kib = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss
    if proc.returncode not in ok:
        sys.stderr.write(err.decode(errors="replace"))
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    return wall, kib / 1024


def _compliance() -> list[str]:
    exe = Path(sys.executable).parent / "compliance"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "compliance"]


def report_path(method: str, path: Path) -> Path:
    suffix = {
        "json": ".json",
        "csv": ".csv",
        "parquet": ".parquet",
        "xlsx": ".xlsx",
        "junit": ".xml",
    }
    suffix = suffix[method]
    return OUT / f"report-{path.stem}{suffix}"


def command(method: str, path: Path | list[Path]) -> list[str]:
    paths = [str(p) for p in path] if isinstance(path, list) else [str(path)]
    if method == "table":
        return [*_compliance(), "check", *paths, "--quiet"]
    if method == "details":
        return [*_compliance(), "check", *paths, "--details", "--quiet"]
    if method in (*CHECKS, "junit"):
        out = report_path(method, Path(paths[0]) if len(paths) == 1 else Path("batch"))
        return [*_compliance(), "check", *paths, "--format", method, "-o", str(out), "--quiet"]
    assert isinstance(path, Path)
    if method == "frictionless":
        exe = Path(sys.executable).parent / "frictionless"
        prog = [str(exe)] if exe.exists() else [shutil.which("frictionless") or "frictionless"]
        # The header is the third row (a title and a unit line sit above it);
        # no error limit, so that every row is read.
        # frictionless refuses absolute paths as unsafe: it runs in the file's folder.
        return [*prog, "validate", path.name, "--header-rows", "3", "--limit-errors", "0"]
    return [sys.executable, str(Path(__file__).resolve()), "_" + method, str(path)]


# --- the in-process methods, run as `python bench/run.py _floor FILE` ---------


def _floor(path: str) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(path)
    rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    print(len(rows))


def _pandas(path: str) -> None:
    import numpy as np
    import pandas as pd

    df = pd.read_excel(path, engine="openpyxl", header=2)
    col = df.columns

    def num(i: int) -> pd.Series:
        return pd.to_numeric(df[col[i]], errors="coerce")

    households, area, workers = num(6), num(8), num(10)
    monthly, wage = num(11), num(12)
    insured = [num(i) for i in range(13, 19)]
    need_workers = np.maximum(5, np.ceil(households.round(9) / 400))
    checks = {
        "premises": (area, 350.0),
        "staffing": (workers, need_workers),
        "pay": (monthly * 12, wage),
    }
    checks.update({r: (s, workers) for r, s in zip(RULES[3:], insured, strict=True)})
    counts = {}
    for rule, (actual, required) in checks.items():
        known = actual.notna() & (required.notna() if isinstance(required, pd.Series) else True)
        fail = known & (actual < required - 1e-9)
        counts[rule] = {"fail": int(fail.sum()), "unknown": int((~known).sum())}
    print(json.dumps(counts))


# --- the run ------------------------------------------------------------------


def _summary_counts(report: Path) -> dict[str, dict[str, int]]:
    """The summary's counts from the end of a (possibly huge) JSON report."""
    with report.open("rb") as fh:
        fh.seek(max(0, report.stat().st_size - 65536))
        tail = fh.read().decode("utf-8", errors="replace")
    start = tail.rindex('\n  "summary": ') + len('\n  "summary": ')
    doc: dict[str, dict[str, dict[str, int]]] = json.loads(tail[start:].rstrip()[:-1])
    return doc["by_rule"]


def _check_agreement(path: Path) -> str:
    """Compare the pandas method's counts with the compliance report's."""
    ours = _summary_counts(report_path("json", path))
    theirs = json.loads((OUT / f"pandas-{path.stem}.json").read_text(encoding="utf-8"))
    diff = [
        r
        for r in RULES
        if (ours[r]["fail"], ours[r]["unknown"]) != (theirs[r]["fail"], theirs[r]["unknown"])
    ]
    return "agree" if not diff else f"DIFFER on {', '.join(diff)}"


def _workbook(kind: str, size: str) -> Path:
    if kind == "bench":
        return ensure(size)
    from generate_plain import ensure_plain

    return ensure_plain(size)


def _measure_into(res: Result, cmd: list[str], k: int, **kw: object) -> None:
    for i in range(k):
        wall, peak = measure(cmd, **kw)  # type: ignore[arg-type]
        res.walls.append(wall)
        res.peaks_mb.append(peak)
        print(
            f"  {res.kind:>5} {res.size:>5} {res.method:<12} run {i + 1}/{k}:"
            f" {wall:7.2f} s {peak:8.0f} MB",
            file=sys.stderr,
            flush=True,
        )


def run(
    sizes: list[str], methods: list[str], runs: int | None, kinds: list[str], batch: bool
) -> list[Result]:
    results: list[Result] = []
    for kind in kinds:
        for size in sizes:
            path = _workbook(kind, size)
            n = rows_for(size)
            for method in methods:
                k = runs or DEFAULT_RUNS.get(size, 3)
                if size == "1m" and method in ("pandas", "frictionless") and runs is None:
                    k = SLOW_RUNS_1M
                res = Result(size, n, method, kind=kind)
                # frictionless must find the file valid (exit 0); compliance exits 1 on failures.
                cwd, ok = (path.parent, (0,)) if method == "frictionless" else (None, (0, 1))
                # The pandas method prints its failure counts, kept to compare with ours.
                keep = OUT / f"pandas-{path.stem}.json" if method == "pandas" else None
                _measure_into(res, command(method, path), k, cwd=cwd, ok=ok, stdout=keep)
                results.append(res)
            if kind == "bench" and "json" in methods and "pandas" in methods:
                note = _check_agreement(path)
                print(f"  {size:>5} pandas vs compliance counts: {note}", file=sys.stderr)
    if batch:
        one = ensure("200000")
        small = ensure("10k")
        folder = OUT / "batch20"
        folder.mkdir(parents=True, exist_ok=True)
        files = []
        for i in range(20):
            dest = folder / f"district-{i:02d}.xlsx"
            if not dest.exists():
                shutil.copyfile(small, dest)
            files.append(dest)
        k = runs or 3
        res = Result("20×10k", 200_000, "batch", kind="bench")
        _measure_into(res, command("json", files), k)
        ref = Result("20×10k", 200_000, "batch-one", kind="bench", note="one file of 200k")
        _measure_into(ref, command("json", one), k)
        results += [res, ref]
    return results


def table(results: list[Result]) -> str:
    floors = {(r.kind, r.size): r for r in results if r.method == "floor"}
    ones = {r.size: r for r in results if r.method == "batch-one"}
    lines = [
        "| file | rows | method | median wall (s) | peak RSS (MB) | wall ÷ floor"
        " | memory ÷ floor | runs |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        f = floors.get((r.kind, r.size))
        if r.method == "batch" and r.size in ones:
            tw = f"{r.wall / ones[r.size].wall:.2f}× one file"
            tm = f"{r.peak / ones[r.size].peak:.2f}× one file"
        else:
            tw = f"{r.wall / f.wall:.2f}×" if f else "–"
            tm = f"{r.peak / f.peak:.2f}×" if f else "–"
        lines.append(
            f"| {r.kind} | {r.rows:,} | {r.method} | {r.wall:.2f} | {r.peak:.0f} | {tw} | {tm}"
            f" | {len(r.walls)} |"
        )
    return "\n".join(lines)


def machine() -> str:
    cpus = os.cpu_count() or 0
    try:
        mem_kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
        mem = f"{mem_kib / 1024**2:.0f} GiB"
    except (OSError, StopIteration):
        mem = "unknown memory"
    return f"{cpus} cores, {mem}, {platform.system()} {platform.machine()}, Python {platform.python_version()}"


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] in ("_floor", "_pandas"):
        {"_floor": _floor, "_pandas": _pandas}[sys.argv[1]](sys.argv[2])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="+", default=["100k", "1m"])
    ap.add_argument("--methods", nargs="+", default=list(DEFAULT_METHODS), choices=METHODS)
    ap.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    ap.add_argument("--batch", action="store_true", help="also time 20 files of 10k vs one of 200k")
    ap.add_argument("--runs", type=int, help="runs per method (default: 5/3/3, 1 for slow 1m)")
    args = ap.parse_args()
    results = run(args.sizes, args.methods, args.runs, args.kinds, args.batch)
    text = f"Benchmark of {dt.date.today().isoformat()} on {machine()}.\n\n{table(results)}\n"
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.md").write_text(text, encoding="utf-8")
    (OUT / "results.json").write_text(
        json.dumps([asdict(r) for r in results], indent=2), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
