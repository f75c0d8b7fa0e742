"""Batch options shared by commands that check files (``--jobs``, ``--fail-on``),
and the progress display on stderr."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from compliance.exitcodes import FailOn

if TYPE_CHECKING:
    from compliance.batch import ProgressCallback
    from compliance.inputs import Input
    from compliance.isolation import Limits
    from compliance.results import Report
    from compliance.rules.model import Rule, RuleSet

JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        metavar="N",
        help="Check up to N files at once in worker processes (default: the number of CPUs). "
        "The report is the same, in the same order, whatever N is.",
        show_default=False,
    ),
]
FailOnOption = Annotated[
    FailOn,
    typer.Option(
        "--fail-on",
        metavar="fail|unknown|never",
        help="What gives exit code 1: a failing community (fail, the default), a failing or "
        "unknown one (unknown), or nothing (never). An unreadable input always gives 2.",
    ),
]


def check_inputs(
    files: Sequence[Path],
    inputs: Sequence[Input],
    *,
    ruleset: RuleSet,
    rules: Sequence[Rule],
    jobs: int | None,
    show_progress: bool,
    lang: str,
    check_options: Mapping[str, Any],
    as_batch: bool = False,
    limits: Limits | None = None,
) -> Report:
    """Check the expanded inputs into one report.

    One file named on its own is checked directly, and a problem with it is the
    run's error (one line, exit 2); folders, patterns and several files make a
    batch, where an unreadable file becomes an entry in the report. With
    ``as_batch`` (a report file was asked for) a single file is checked as a
    batch too, so that its report is written even when it cannot be read.
    """
    from compliance import api
    from compliance.batch import check_isolated, default_jobs
    from compliance.inputs import is_pattern
    from compliance.results import Report

    with progress_display(len(inputs), enabled=show_progress, lang=lang) as progress:
        single = len(files) == 1 and not is_pattern(files[0]) and not files[0].is_dir()
        if single and not as_batch:
            started = dt.datetime.now(dt.UTC).replace(microsecond=0)
            result = check_isolated(files[0], ruleset, rules, check_options, limits)
            return Report(ruleset=ruleset, rules=tuple(rules), checks=(result,), started_at=started)
        return api.check_files(
            [i.path for i in inputs],
            ruleset=ruleset,
            rules=rules,
            jobs=jobs or default_jobs(),
            progress=progress,
            limits=limits,
            **check_options,
        )


def progress_enabled(quiet: bool) -> bool:
    """A progress display only for a person watching: not with --quiet, not into a file."""
    return not quiet and sys.stderr.isatty()


@contextlib.contextmanager
def progress_display(total: int, *, enabled: bool, lang: str) -> Iterator[ProgressCallback | None]:
    """A rich progress bar on stderr: files done out of total, rows read, rows per second.

    It is transient (gone when the run ends, leaving only the summary line) and
    yields None when disabled, so that nothing is imported or drawn.
    """
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from compliance.batch import Progress as Step
    from compliance.labels import t

    start = time.perf_counter()
    rows = 0
    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[files]}"),
        TextColumn("{task.fields[rows]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )

    def files(done: int) -> str:
        return t("progress_files", lang, done=done, total=total)

    def rate() -> str:
        per_second = rows / max(time.perf_counter() - start, 1e-6)
        return t("progress_rows", lang, rows=f"{rows:,}", rate=f"{per_second:,.0f}")

    task = bar.add_task(t("progress_checking", lang), total=total, files=files(0), rows=rate())

    def step(p: Step) -> None:
        nonlocal rows
        rows += p.rows
        bar.update(task, completed=p.done, files=files(p.done), rows=rate())

    with bar:
        yield step
