"""Batch runs: check input files in worker processes.

:func:`run_checks` checks each file (from :func:`compliance.inputs.expand_inputs`), in this process or
spread over worker processes, and returns one outcome per file in input order,
whatever the number of workers: a :class:`~compliance.results.CheckResult`, or an
:class:`~compliance.results.InputFailure` for a file that could not be read. A
broken file never stops the others.

Every file is read in a worker process (:mod:`compliance.isolation`), with
``jobs`` 1 as with N, so that a parser that aborts, a file that takes all the
memory or all the time, costs that file and not the batch. Workers are fresh
interpreters (``python -m compliance.isolation.worker``), never a fork of a
process that may be running threads such as a progress display, so a script
that calls :func:`compliance.check_files` needs no ``__main__`` guard.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from compliance.errors import ComplianceError, InputError
from compliance.inputs import Input
from compliance.labels.messages import Msg, msg
from compliance.pipeline import check
from compliance.reading.sheets import file_sha256
from compliance.results import CheckResult, InputFailure
from compliance.rules.loader import load_ruleset
from compliance.rules.model import Rule, RuleSet
from compliance.safetext import one_line

if TYPE_CHECKING:
    from compliance.isolation import Limits

Outcome = CheckResult | InputFailure


class Progress(NamedTuple):
    """What a progress callback is told after each file."""

    done: int
    total: int
    path: str
    #: Community rows read from this file (0 for a file that failed).
    rows: int


ProgressCallback = Callable[[Progress], None]


def _failure(path: Path, reason: Msg) -> InputFailure:
    try:
        digest: str | None = file_sha256(path) if path.is_file() else None
    except OSError:
        digest = None
    # The message echoes a file name and perhaps cell text: one short printable line.
    return InputFailure(
        path=str(path), message=one_line(reason.text("en")), sha256=digest, reason=reason
    )


def _said(exc: ComplianceError) -> Msg:
    """An error as one message: "where: what" (in either language)."""
    where = exc.where
    return exc.msg if where is None else msg("located", where=where, what=exc.msg)


def check_one(
    path: Path, ruleset: RuleSet, rules: Sequence[Rule], options: Mapping[str, Any]
) -> Outcome:
    """Check one file; a file that cannot be read gives an :class:`InputFailure`."""
    try:
        return check(path, ruleset=ruleset, rules=rules, **options)
    except ComplianceError as exc:
        return _failure(path, _said(exc))


# --- worker processes --------------------------------------------------------

# Set once per worker process by init_worker: compiled rule sets hold code
# objects and cannot be pickled, so each worker loads the rule file itself.
_worker_state: tuple[RuleSet, tuple[Rule, ...], Mapping[str, Any]] | None = None

#: The task a worker runs for each input (tests name their own).
WORK_TASK = "compliance.batch:work"
#: The task of :func:`check_isolated`: a reader's error goes back as itself.
STRICT_TASK = "compliance.batch:work_strict"


def init_worker(ruleset_path: str, rule_ids: tuple[str, ...], options: Mapping[str, Any]) -> None:
    """Load the rule set once in a worker process."""
    global _worker_state

    # As in the command: findings hold no cycles, so the cyclic collector only costs time.
    gc.disable()

    rs = load_ruleset(ruleset_path)
    by_id = {r.id: r for r in rs.rules}
    _worker_state = (rs, tuple(by_id[i] for i in rule_ids), options)


def work(path: str) -> bytes:
    """Check one file in a worker; its outcome encoded for the parent."""
    from compliance.isolation.codec import encode_outcome

    assert _worker_state is not None, "worker used before init_worker"
    rs, rules, options = _worker_state
    return encode_outcome(check_one(Path(path), rs, rules, options))


def work_strict(path: str) -> bytes:
    """Check one file in a worker, letting a ComplianceError go back to the parent."""
    from compliance.isolation.codec import encode_outcome

    assert _worker_state is not None, "worker used before init_worker"
    rs, rules, options = _worker_state
    return encode_outcome(check(path, ruleset=rs, rules=rules, **options))


def check_isolated(
    path: Path,
    ruleset: RuleSet,
    rules: Sequence[Rule],
    options: Mapping[str, Any],
    limits: Limits | None = None,
) -> CheckResult:
    """Check one file in a worker process, as :func:`compliance.pipeline.check` does
    in this one: a file that cannot be read raises :class:`InputError`, and so
    does a worker that crashes, runs out of memory or out of time."""
    from compliance.isolation import Limits

    if ruleset.path is None:
        return check(path, ruleset=ruleset, rules=rules, **options)
    outcome: list[Outcome] = []
    isolated(
        [path],
        ruleset,
        tuple(rules),
        options,
        jobs=1,
        limits=limits or Limits(),
        finish=lambda _, out: outcome.append(out),
        task=STRICT_TASK,
    )
    out = outcome[0]
    if isinstance(out, InputFailure):
        raise InputError(out.said)
    return out


def _rows(out: Outcome) -> int:
    return len(out.table) if isinstance(out, CheckResult) else 0


def run_checks(
    inputs: Sequence[Input],
    ruleset: RuleSet,
    rules: Sequence[Rule],
    *,
    jobs: int = 1,
    progress: ProgressCallback | None = None,
    options: Mapping[str, Any] | None = None,
    limits: Limits | None = None,
) -> list[Outcome]:
    """Check every input and return one outcome per input, in input order.

    Each file is read and checked in a worker process (``jobs`` of them, at
    least one), under ``limits`` (memory and time per file; the defaults of
    :class:`~compliance.isolation.Limits` when None). A worker that crashes,
    runs out of memory or out of time makes that file an
    :class:`~compliance.results.InputFailure` and is replaced; the others go on.
    ``options`` are passed to :func:`compliance.pipeline.check` (``sheet``,
    ``columns``, ``as_of``...) and must be picklable. A rule set without a
    file (built in memory) cannot be loaded by a worker, and is checked in
    this process, without isolation.
    """
    from compliance.isolation import Limits

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
            reason = msg("located", where=str(item.path), what=item.missing)
            finish(i, InputFailure(str(item.path), reason.text("en"), reason=reason))
        else:
            todo.append(i)

    if ruleset.path is None:
        for i in todo:
            finish(i, check_one(inputs[i].path, ruleset, chosen, opts))
    elif todo:
        isolated(
            [inputs[i].path for i in todo],
            ruleset,
            chosen,
            opts,
            jobs=min(max(jobs, 1), len(todo)),
            limits=limits or Limits(),
            finish=lambda k, out: finish(todo[k], out),
        )
    return [r for r in results if r is not None]


def isolated(
    paths: Sequence[Path],
    ruleset: RuleSet,
    rules: tuple[Rule, ...],
    options: Mapping[str, Any],
    *,
    jobs: int,
    limits: Limits,
    finish: Callable[[int, Outcome], None],
    task: str | None = None,
) -> None:
    """Check ``paths`` in a pool of ``jobs`` workers; ``finish(k, outcome)`` for the
    k-th path as each one ends, in the order they end. ``task`` is the worker's
    task (default :data:`WORK_TASK`)."""
    from compliance.isolation import WorkerPool
    from compliance.isolation.codec import decode_outcome
    from compliance.isolation.wire import Malformed

    init = (
        "compliance.batch:init_worker",
        (str(ruleset.path), tuple(r.id for r in rules), options),
    )
    with WorkerPool(jobs, limits, init) as pool:
        target = task or WORK_TASK
        for k, reply in pool.imap(target, [(str(p),) for p in paths], _import_decoder):
            failure = reply.failure
            out: Outcome | None = None
            if reply.data is not None:
                try:
                    out = decode_outcome(reply.data, ruleset, rules)
                except Malformed as exc:
                    failure = msg("worker_malformed", why=str(exc))
            if out is None:
                what = failure if failure is not None else msg("worker_no_reply")
                out = _failure(
                    paths[k],
                    msg("located", where=str(paths[k]), what=msg("worker_failed", what=what)),
                )
            finish(k, out)


def _import_decoder() -> None:
    # What decoding the first outcome needs (polars, the engine's explainer), and what
    # a run does with the outcomes (compliance.api counts a community found in two
    # inputs once), imported while the workers read rather than after.
    import compliance.duplicates
    import compliance.isolation.codec  # noqa: F401


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
