"""The Python API: everything the command line does, as plain functions.

It sits on top of the pipeline: :func:`check` and :func:`check_frame` come from
:mod:`compliance.pipeline`, :func:`check_files` runs :mod:`compliance.batch`,
and :func:`summarise`, :func:`render_report` and :func:`exit_code` take a report
or one check result.

>>> from compliance import api
>>> report = api.check_files(["samples/jinhua-2007.xlsx"])
>>> api.exit_code(report)          # doctest: +SKIP
<ExitCode.FAIL: 1>
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance import batch
from compliance.errors import UsageError
from compliance.exitcodes import ExitCode, FailOn
from compliance.exitcodes import exit_code as _exit_code
from compliance.inputs import expand_inputs
from compliance.pipeline import check, check_frame
from compliance.reading import ReadOptions, read_records
from compliance.results import CheckResult, InputFailure, Report
from compliance.rules.loader import DEFAULT_RULESET, load_ruleset
from compliance.rules.model import Rule, RuleSet

if TYPE_CHECKING:
    from typing import IO

    from compliance.batch import ProgressCallback
    from compliance.isolation import Limits
    from compliance.summary import Summary

__all__ = [
    "ExitCode",
    "FailOn",
    "check",
    "check_files",
    "check_frame",
    "exit_code",
    "load_ruleset",
    "read_records",
    "render_report",
    "select_rules",
    "summarise",
]


def select_rules(
    ruleset: RuleSet,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
) -> tuple[Rule, ...]:
    """The rules to evaluate: all, or those in ``select``, minus those in ``ignore``.

    Each entry is a rule id or a prefix ending in ``*`` (``"pension"``, ``"pay*"``).
    """
    ids = [r.id for r in ruleset.rules]

    def matches(pattern: str) -> set[str]:
        hit = {
            i for i in ids if i == pattern or (pattern.endswith("*") and i.startswith(pattern[:-1]))
        }
        if not hit:
            raise UsageError(
                "no_such_rule", id=repr(pattern), ruleset=ruleset.label, ids=", ".join(ids)
            )
        return hit

    chosen = set(ids)
    if select:
        chosen = set().union(*(matches(s) for s in select))
    for pattern in ignore or ():
        chosen -= matches(pattern)
    return tuple(r for r in ruleset.rules if r.id in chosen)


def _as_report(result: Report | CheckResult) -> Report:
    """A report of one check, for the functions that take either."""
    if isinstance(result, Report):
        return result
    return Report(ruleset=result.ruleset, rules=result.rules, checks=(result,))


def exit_code(result: Report | CheckResult, fail_on: FailOn = FailOn.FAIL) -> ExitCode:
    """The exit code of a finished run (a report, or one check result)."""
    return _exit_code(_as_report(result), fail_on)


def check_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    ruleset: RuleSet | str | os.PathLike[str] = DEFAULT_RULESET,
    rules: Sequence[Rule] | None = None,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    as_of: dt.date | None = None,
    options: Mapping[str, Any] | None = None,
    jobs: int = 1,
    read_options: ReadOptions | None = None,
    progress: ProgressCallback | None = None,
    limits: Limits | None = None,
) -> Report:
    """Check several files into one report.

    ``paths`` may name files, folders (searched for spreadsheets and CSV files,
    skipping ``~$`` lock files) and glob patterns; see
    :func:`compliance.inputs.expand_inputs`. A community found in two inputs is
    counted once (see :mod:`compliance.duplicates`). A file that cannot be read becomes
    an :class:`~compliance.results.InputFailure` in the report and the others are
    still checked. Each file is read in a worker process (``jobs`` of them;
    the report is the same, in the same order, whatever ``jobs`` is) under
    ``limits``, a :class:`compliance.isolation.Limits` of memory and time per
    file (default 4 GiB and 300 s): a file whose reader crashes, or needs more,
    becomes an ``InputFailure`` saying so. ``progress`` is called after each
    file with a :class:`compliance.batch.Progress`.
    """
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    rs = ruleset if isinstance(ruleset, RuleSet) else load_ruleset(ruleset)
    chosen = tuple(rules) if rules is not None else rs.rules
    check_options: dict[str, Any] = {"sheet": sheet, "columns": columns, "as_of": as_of}
    if read_options is not None:
        check_options["read_options"] = read_options
    outcomes = batch.run_checks(
        expand_inputs(paths),
        rs,
        chosen,
        jobs=jobs,
        progress=progress,
        options=check_options,
        limits=limits,
    )
    from compliance.duplicates import deduplicate

    # A community in two inputs is counted from one of them (compliance.duplicates).
    return deduplicate(
        Report(
            ruleset=rs,
            rules=chosen,
            checks=tuple(o for o in outcomes if isinstance(o, CheckResult)),
            failures=tuple(o for o in outcomes if isinstance(o, InputFailure)),
            started_at=started,
            options=dict(options or {}),
            as_of=as_of,
        )
    )


def summarise(
    report: Report | CheckResult, *, by: str | None = None, cost_per_m2: float | None = None
) -> Summary:
    """Roll a report (or one check result) up by region (``"city"``, ``"district"`` or
    ``"subdistrict"``): communities failing each rule and the total shortfall; see
    :func:`compliance.summary.summarise`."""
    from compliance.summary import summarise as _summarise

    return _summarise(_as_report(report), by=by, cost_per_m2=cost_per_m2)


def render_report(
    report: Report | CheckResult,
    fmt: str = "json",
    out: str | os.PathLike[str] | IO[str] | IO[bytes] | None = None,
    *,
    lang: str = "en",
    show_all: bool = False,
    details: bool = False,
    fail_on: FailOn = FailOn.FAIL,
    all_findings: bool = False,
) -> str | None:
    """Render a report (or one check result) in one of the CLI's formats (``table``,
    ``json``, ``jsonl``, ``junit``, ``csv``, ``markdown``, ``xlsx``, ``parquet``).
    ``all_findings`` gives the JSON report a full object for every finding.

    With ``out`` None the text is returned; ``out`` may also be a path (written
    atomically) or an open file. The xlsx format is binary and needs ``out``.
    The report records the exit code ``fail_on`` gives.
    """
    import io

    from compliance.output import atomic_writer
    from compliance.render import BINARY_FORMATS, Format, RenderOptions, get_renderer

    try:
        fmt_enum = Format(fmt)
    except ValueError:
        raise UsageError(
            "api_format_choice", value=repr(fmt), choices=", ".join(f.value for f in Format)
        ) from None
    report = _as_report(report)
    options = RenderOptions(
        lang=lang,
        show_all=show_all,
        details=details,
        exit_code=int(exit_code(report, fail_on)),
        all_findings=all_findings,
    )
    write = get_renderer(fmt_enum)
    binary = fmt_enum in BINARY_FORMATS
    if out is None:
        if binary:
            raise UsageError("api_format_binary", value=str(fmt))
        buffer = io.StringIO()
        write(report, options, buffer)
        return buffer.getvalue()
    if isinstance(out, str | os.PathLike):
        with atomic_writer(Path(out), binary=binary) as fh:
            write(report, options, fh)
        return None
    write(report, options, out)
    return None
