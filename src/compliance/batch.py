"""Batch runs: turn arguments into input files, and check them in worker processes.

:func:`expand_inputs` turns files, folders and glob patterns into a list of
files in a fixed order. :func:`run_checks` checks each file, in this process or
spread over worker processes, and returns one outcome per file in input order,
whatever the number of workers: a :class:`~compliance.model.CheckResult`, or an
:class:`~compliance.model.InputFailure` for a file that could not be read. A
broken file never stops the others.

Worker processes are started with ``forkserver`` (or ``spawn`` where there is no
fork), never a plain fork of a process that may be running threads such as a
progress display. As with any Python multiprocessing, a script that calls
:func:`compliance.check_files` with ``jobs > 1`` must guard its entry point
with ``if __name__ == "__main__":``.
"""

from __future__ import annotations

import dataclasses
import gc
import glob
import multiprocessing
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, NamedTuple, cast

from compliance.errors import ComplianceError
from compliance.model import CheckResult, InputFailure
from compliance.rules.model import Rule, RuleSet

#: The suffixes a folder is searched for (case-insensitive).
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")
_GLOB_CHARS = frozenset("*?[")

Outcome = CheckResult | InputFailure


class Progress(NamedTuple):
    """What a progress callback is told after each file."""

    done: int
    total: int
    path: str
    #: Community rows read from this file (0 for a file that failed).
    rows: int


ProgressCallback = Callable[[Progress], None]


class Input(NamedTuple):
    """One input file, or an argument that named no readable file (``missing`` says why)."""

    path: Path
    missing: str | None = None


def _is_candidate(path: Path) -> bool:
    name = path.name
    # Office writes "~$name.xlsx" lock files next to an open workbook; they are not data.
    return not name.startswith(("~$", ".")) and path.suffix.lower() in SUFFIXES and path.is_file()


def _folder(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(p for p in (Path(root, f) for f in sorted(files)) if _is_candidate(p))
    return found


def is_pattern(arg: str | os.PathLike[str]) -> bool:
    """Whether an argument is a glob pattern rather than a path: it has ``*?[``
    and names no existing file (a file may have ``[`` in its name)."""
    text = os.fspath(arg)
    return bool(_GLOB_CHARS & set(text)) and not Path(text).exists()


def expand_inputs(args: Iterable[str | os.PathLike[str]]) -> list[Input]:
    """Files as given; folders searched (with their sub-folders) for .xlsx, .xlsm,
    .xls, .xlsb, .ods and .csv files; glob patterns (``returns/*.xlsx``,
    ``**/*.xls``) expanded.

    The order is fixed: arguments in the order given, and within a folder or a
    pattern by path. A file named twice is checked once. Office lock files
    (``~$*``) and hidden files are skipped in folders and patterns. An argument
    that names nothing to read (a path that does not exist, an empty folder, a
    pattern that matches no file) comes back as an :class:`Input` with
    ``missing`` set, so that a batch reports it rather than passing silently.
    """
    out: list[Input] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            out.append(Input(p))

    for arg in args:
        text = os.fspath(arg)
        p = Path(text)
        if p.is_dir():
            files = _folder(p)
            if not files:
                out.append(Input(p, "no .xlsx, .xlsm, .xls, .xlsb, .ods or .csv files in folder"))
            for f in files:
                add(f)
        elif not is_pattern(p):
            # A file given by name is read whatever its suffix: the format is sniffed.
            if p.exists():
                add(p)
            else:
                out.append(Input(p, "no such file or folder"))
        else:
            matches = sorted(
                Path(m) for m in glob.glob(text, recursive=True) if _is_candidate(Path(m))
            )
            if not matches:
                out.append(Input(p, "the pattern matches no spreadsheet or CSV file"))
            for m in matches:
                add(m)
    return out


def _failure(path: Path, message: str) -> InputFailure:
    from compliance.reading.records import file_sha256
    from compliance.safetext import one_line

    try:
        digest: str | None = file_sha256(path) if path.is_file() else None
    except OSError:
        digest = None
    # The message echoes a file name and perhaps cell text: one short printable line.
    return InputFailure(path=str(path), message=one_line(message), sha256=digest)


def check_one(
    path: Path, ruleset: RuleSet, rules: Sequence[Rule], options: Mapping[str, Any]
) -> Outcome:
    """Check one file; a file that cannot be read gives an :class:`InputFailure`."""
    from compliance.api import check

    try:
        return check(path, ruleset=ruleset, rules=rules, **options)
    except ComplianceError as exc:
        return _failure(path, str(exc))


# --- worker processes --------------------------------------------------------

# Set once per worker process by _init_worker: compiled rule sets hold code
# objects and cannot be pickled, so each worker loads the rule file itself.
_worker_state: tuple[RuleSet, tuple[Rule, ...], Mapping[str, Any]] | None = None


def _init_worker(ruleset_path: str, rule_ids: tuple[str, ...], options: Mapping[str, Any]) -> None:
    global _worker_state
    from compliance.rules.loader import load_ruleset

    # As in the command: findings hold no cycles, so the cyclic collector only costs time.
    gc.disable()

    rs = load_ruleset(ruleset_path)
    by_id = {r.id: r for r in rs.rules}
    _worker_state = (rs, tuple(by_id[i] for i in rule_ids), options)


def _work(path: Path) -> Outcome:
    assert _worker_state is not None, "worker used before _init_worker"
    rs, rules, options = _worker_state
    out = check_one(path, rs, rules, options)
    if isinstance(out, CheckResult):
        # The parent puts its own (equal) rule set back; see _adopt.
        return dataclasses.replace(out, ruleset=cast(RuleSet, None), rules=())
    return out


def _adopt(out: Outcome, ruleset: RuleSet, rules: tuple[Rule, ...]) -> Outcome:
    if isinstance(out, CheckResult):
        return dataclasses.replace(out, ruleset=ruleset, rules=rules)
    return out


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _rows(out: Outcome) -> int:
    return len(out.results) if isinstance(out, CheckResult) else 0


def run_checks(
    inputs: Sequence[Input],
    ruleset: RuleSet,
    rules: Sequence[Rule],
    *,
    jobs: int = 1,
    progress: ProgressCallback | None = None,
    options: Mapping[str, Any] | None = None,
) -> list[Outcome]:
    """Check every input and return one outcome per input, in input order.

    ``jobs`` is the number of worker processes; 1 (or a single file) checks in
    this process. ``options`` are passed to :func:`compliance.api.check`
    (``sheet``, ``columns``, ``as_of``...) and must be picklable. A rule set
    without a file (built in memory) is always checked in this process.
    """
    opts = dict(options or {})
    chosen = tuple(rules)
    total = len(inputs)
    results: list[Outcome | None] = [None] * total
    todo: list[int] = []
    done = 0

    def finish(i: int, out: Outcome) -> None:
        nonlocal done
        results[i] = out
        done += 1
        if progress is not None:
            progress(Progress(done, total, str(inputs[i].path), _rows(out)))

    for i, item in enumerate(inputs):
        if item.missing is not None:
            finish(i, InputFailure(path=str(item.path), message=f"{item.path}: {item.missing}"))
        else:
            todo.append(i)

    workers = min(max(jobs, 1), len(todo))
    if workers <= 1 or ruleset.path is None:
        for i in todo:
            finish(i, check_one(inputs[i].path, ruleset, chosen, opts))
    else:
        _run_pool(inputs, todo, workers, ruleset, chosen, opts, finish)
    return [r for r in results if r is not None]


def _run_pool(
    inputs: Sequence[Input],
    todo: list[int],
    workers: int,
    ruleset: RuleSet,
    rules: tuple[Rule, ...],
    options: Mapping[str, Any],
    finish: Callable[[int, Outcome], None],
) -> None:
    init = (str(ruleset.path), tuple(r.id for r in rules), options)
    broken: list[int] = []
    with ProcessPoolExecutor(workers, _context(), _init_worker, init) as pool:
        futures: dict[Future[Outcome], int] = {pool.submit(_work, inputs[i].path): i for i in todo}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                out = fut.result()
            except BrokenProcessPool:
                broken.append(i)
                continue
            finish(i, _adopt(out, ruleset, rules))
    if broken:
        # A worker died (out of memory, a crash in a reader) and every file still
        # in flight failed with it. Retry those one at a time, so that only the
        # file that kills its worker is reported and the rest are still checked.
        _isolate(inputs, sorted(broken), ruleset, rules, finish, init)


def _isolate(
    inputs: Sequence[Input],
    pending: list[int],
    ruleset: RuleSet,
    rules: tuple[Rule, ...],
    finish: Callable[[int, Outcome], None],
    init: tuple[str, tuple[str, ...], Mapping[str, Any]],
) -> None:
    for i in pending:
        with ProcessPoolExecutor(1, _context(), _init_worker, init) as pool:
            try:
                out = pool.submit(_work, inputs[i].path).result()
            except BrokenProcessPool:
                path = inputs[i].path
                out = _failure(
                    path,
                    f"{path}: the process reading this file stopped unexpectedly "
                    "(out of memory, or a crash in the spreadsheet reader)",
                )
        finish(i, _adopt(out, ruleset, rules))


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
