"""Run the atheris targets, each in a subprocess with memory and time limits.

Short run (what CI runs, about 90 s in all)::

    python -m tests.fuzz.run --seconds 10

Long run (e.g. one hour per target, all crashes kept, in the background)::

    nohup python -m tests.fuzz.run --seconds 3600 --keep-going --out /tmp/fuzz-long &

Each target gets ``-rss_limit_mb`` and an address-space limit (a native abort,
an out-of-memory and a slow input all count as failures), a per-input
``-timeout`` and ``-max_total_time``. New inputs go to ``OUT/corpus/<target>``;
crashes to ``OUT/artifacts/<target>-*``. The summary prints, per target,
executions per second and the final coverage (libFuzzer's ``cov:`` edges of
the instrumented Python code). Exit 1 when any target found a crash.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TARGETS = (
    "xlsx",
    "xlsx-pure",
    "shared-strings",
    "xls",
    "ods",
    "csv",
    "rules",
    "waivers",
    "mapping",
    "number",
)
#: Memory for one fuzzing process: libFuzzer's RSS check, and a hard address-space cap.
RSS_LIMIT_MB = 2048
ADDRESS_SPACE = 3 * 1024**3
#: One input may take this long (libFuzzer's -timeout, seconds).
INPUT_TIMEOUT = 20

_COV = re.compile(r"cov: (\d+)")
_EXECS = re.compile(r"exec/s: (\d+)")
_RUNS = re.compile(r"^#(\d+)", re.M)
_STAT_RUNS = re.compile(r"stat::number_of_executed_units: (\d+)")


def _limits() -> None:
    # Only ever lower the limit the process already has.
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = min(x for x in (ADDRESS_SPACE, soft, hard) if x != resource.RLIM_INFINITY)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _once(name: str, seconds: int, out: Path, log: Path) -> int:
    cmd = [
        sys.executable,
        str(HERE / "fuzz_targets.py"),
        name,
        str(out / "corpus" / name),
        f"-max_total_time={seconds}",
        f"-rss_limit_mb={RSS_LIMIT_MB}",
        f"-timeout={INPUT_TIMEOUT}",
        "-max_len=262144",
        f"-artifact_prefix={out / 'artifacts'}/{name}-",
        "-print_final_stats=1",
    ]
    env = {"PYTHONPATH": str(ROOT / "src"), "FUZZ_TMP": str(out / "tmp"), "PATH": "/usr/bin:/bin"}
    with log.open("a") as fh:
        proc = subprocess.run(
            cmd,
            cwd=ROOT,
            stdout=fh,
            stderr=subprocess.STDOUT,
            preexec_fn=_limits,
            env=env,
            timeout=seconds + INPUT_TIMEOUT * 3 + 60,
            check=False,
        )
    return proc.returncode


def run_target(name: str, seconds: int, out: Path, keep_going: bool) -> dict[str, object]:
    """Fuzz one target for ``seconds``; with ``keep_going``, restart after each crash
    (the crashing input is saved, not added to the corpus) until the time is up."""
    work = out / "corpus" / name
    work.mkdir(parents=True, exist_ok=True)
    # The seeds join the working corpus under their SHA-1, as libFuzzer names inputs,
    # so that an input that crashes can be taken out before the restart.
    for seed in sorted((HERE / "corpus" / name.removesuffix("-pure")).iterdir()):
        data = seed.read_bytes()
        (work / hashlib.sha1(data).hexdigest()).write_bytes(data)
    (out / "artifacts").mkdir(parents=True, exist_ok=True)
    (out / "tmp").mkdir(parents=True, exist_ok=True)
    log = out / f"{name}.log"
    log.write_text("")
    start = time.monotonic()
    rc = 0
    while True:
        left = int(seconds - (time.monotonic() - start))
        if left < 3:
            break
        rc = _once(name, left, out, log)
        for crash in (out / "artifacts").glob(f"{name}-*"):
            (work / hashlib.sha1(crash.read_bytes()).hexdigest()).unlink(missing_ok=True)
        if rc == 0 or not keep_going:
            break
    text = log.read_text("utf-8", "replace")
    covs = _COV.findall(text)
    execs = _EXECS.findall(text)
    crashes = sorted(p.name for p in (out / "artifacts").glob(f"{name}-*"))
    return {
        "target": name,
        "rc": rc,
        "seconds": round(time.monotonic() - start, 1),
        "runs": sum(int(r) for r in _STAT_RUNS.findall(text))
        or max(map(int, _RUNS.findall(text) or ["0"])),
        "exec_per_s": int(execs[-1]) if execs else 0,
        "cov": max(map(int, covs)) if covs else 0,
        "crashes": crashes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="fuzzing time per target")
    parser.add_argument("--targets", nargs="*", default=list(TARGETS), choices=TARGETS)
    parser.add_argument("--out", type=Path, default=Path("/tmp/compliance-fuzz"))
    parser.add_argument(
        "--keep-going", action="store_true", help="restart a target after a crash until time is up"
    )
    args = parser.parse_args(argv)
    failed = False
    for name in args.targets:
        r = run_target(name, args.seconds, args.out, args.keep_going)
        failed |= bool(r["crashes"]) or r["rc"] != 0
        print(
            f"{r['target']:8} runs {r['runs']:>8}  exec/s {r['exec_per_s']:>6}  "
            f"cov {r['cov']:>5}  {r['seconds']:>7}s  rc {r['rc']}  "
            f"crashes {len(r['crashes'])} {' '.join(r['crashes'][:3])}",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
