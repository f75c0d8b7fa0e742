"""The Python API: everything the command line does, as plain functions.

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

from compliance.errors import InputError, UsageError
from compliance.exitcodes import ExitCode, FailOn
from compliance.exitcodes import exit_code as _exit_code
from compliance.model import CheckResult, InputFailure, Report, SheetData
from compliance.reading import ReadOptions, read_frame, read_records
from compliance.reading.frame import SheetFrame
from compliance.reading.records import found_headers, missing_fields, suggest_columns
from compliance.rules.loader import load_ruleset
from compliance.rules.model import Rule, RuleSet
from compliance.rules.names import DEFAULT_RULESET

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
            raise UsageError(f"no rule {pattern!r} in {ruleset.label}; rules: {', '.join(ids)}")
        return hit

    chosen = set(ids)
    if select:
        chosen = set().union(*(matches(s) for s in select))
    for pattern in ignore or ():
        chosen -= matches(pattern)
    return tuple(r for r in ruleset.rules if r.id in chosen)


def _require_columns(data: SheetData | SheetFrame, ruleset: RuleSet, rules: Sequence[Rule]) -> None:
    needed: dict[str, None] = {}
    for r in rules:
        needed.update(dict.fromkeys(r.fields))
    looked_up = {lk.field for lk in ruleset.lookups.values()}
    missing = [f for f in missing_fields(data, list(needed)) if f not in looked_up]
    if missing:
        from compliance.catalogue import default_catalogue

        cat = default_catalogue()
        names = ", ".join(f"{f} ({cat[f].zh})" for f in missing)
        found = "; ".join(found_headers(data)) or "none"
        hints = [f"--column '{h}={f}'" for f in missing for h in suggest_columns(data, f)[:1]]
        if hints:
            found += f"; perhaps {', '.join(hints)}"
        raise InputError(
            f"no column for {names}, needed by rule(s) "
            f"{', '.join(r.id for r in rules if set(r.fields) & set(missing))}; "
            f"headers found: {found}",
            where=f"{data.source.path} [{data.source.sheet}]",
        )


def check(
    path: str | os.PathLike[str],
    *,
    ruleset: RuleSet | str | os.PathLike[str] = DEFAULT_RULESET,
    rules: Sequence[Rule] | None = None,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    as_of: dt.date | None = None,
    read_options: ReadOptions | None = None,
) -> CheckResult:
    """Read one file and evaluate it.

    Raises :class:`~compliance.errors.InputError` if the file cannot be read or
    lacks a column that a selected rule needs.
    """
    rs = ruleset if isinstance(ruleset, RuleSet) else load_ruleset(ruleset)
    chosen = tuple(rules) if rules is not None else rs.rules
    extra = read_options.kwargs() if read_options is not None else {}
    frame = read_frame(path, sheet=sheet, columns=columns, **extra)
    _require_columns(frame, rs, [r for r in chosen if r.level == "community"])
    subdistricts = None
    if any(r.level == "subdistrict" for r in chosen):
        from compliance.subdistricts import subdistrict_source

        subdistricts = subdistrict_source(path, frame, chosen)
    from compliance.engine import evaluate

    return evaluate(frame, rs, chosen, as_of=as_of, subdistricts=subdistricts)


def check_frame(
    frame: Any,
    *,
    ruleset: RuleSet | str | os.PathLike[str] = DEFAULT_RULESET,
    rules: Sequence[Rule] | None = None,
    as_of: dt.date | None = None,
    name: str = "<frame>",
) -> CheckResult:
    """Check a table the caller already holds: a polars or pandas DataFrame, or
    anything Arrow (a pyarrow Table, a record batch...).

    Its columns are field ids (``households``) or headers the catalogue
    recognises (``户数``); other columns are ignored (listed as unmatched
    headers). Rows are numbered from 1. Text numbers and yes/no flags are parsed
    as in a workbook; a value that cannot be read is empty, with a data
    problem. ``name`` stands for the source in the report. Returns the same
    :class:`~compliance.model.CheckResult` as :func:`check`; raises
    :class:`~compliance.errors.InputError` if a column a selected rule needs is
    missing.
    """
    from compliance.engine import evaluate
    from compliance.engine.frames import sheet_from_table

    rs = ruleset if isinstance(ruleset, RuleSet) else load_ruleset(ruleset)
    chosen = tuple(rules) if rules is not None else rs.rules
    sheet = sheet_from_table(frame, name=name)
    community = [r for r in chosen if r.level == "community"]
    looked_up = {lk.field for lk in rs.lookups.values()}
    have = set(sheet.source.columns)
    missing = [
        f
        for f in dict.fromkeys(f for r in community for f in r.fields)
        if f not in have and f not in looked_up
    ]
    if missing:
        raise InputError(
            f"no column for {', '.join(missing)}, needed by rule(s) "
            f"{', '.join(r.id for r in community if set(r.fields) & set(missing))}; "
            f"columns found: {', '.join(map(str, sheet.source.columns)) or 'none'}",
            where=name,
        )
    return evaluate(sheet, rs, chosen, as_of=as_of)


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
    :func:`compliance.batch.expand_inputs`. A file that cannot be read becomes
    an :class:`~compliance.model.InputFailure` in the report and the others are
    still checked. Each file is read in a worker process (``jobs`` of them;
    the report is the same, in the same order, whatever ``jobs`` is) under
    ``limits``, a :class:`compliance.isolation.Limits` of memory and time per
    file (default 4 GiB and 300 s): a file whose reader crashes, or needs more,
    becomes an ``InputFailure`` saying so. ``progress`` is called after each
    file with a :class:`compliance.batch.Progress`.
    """
    from compliance import batch

    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    rs = ruleset if isinstance(ruleset, RuleSet) else load_ruleset(ruleset)
    chosen = tuple(rules) if rules is not None else rs.rules
    check_options: dict[str, Any] = {"sheet": sheet, "columns": columns, "as_of": as_of}
    if read_options is not None:
        check_options["read_options"] = read_options
    outcomes = batch.run_checks(
        batch.expand_inputs(paths),
        rs,
        chosen,
        jobs=jobs,
        progress=progress,
        options=check_options,
        limits=limits,
    )
    return Report(
        ruleset=rs,
        rules=chosen,
        checks=tuple(o for o in outcomes if isinstance(o, CheckResult)),
        failures=tuple(o for o in outcomes if isinstance(o, InputFailure)),
        started_at=started,
        options=dict(options or {}),
        as_of=as_of,
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
            f"format {fmt!r}: choose one of {', '.join(f.value for f in Format)}"
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
            raise UsageError(f"format {fmt}: binary, give a path or a binary file as out")
        buffer = io.StringIO()
        write(report, options, buffer)
        return buffer.getvalue()
    if isinstance(out, str | os.PathLike):
        with atomic_writer(Path(out), binary=binary) as fh:
            write(report, options, fh)
        return None
    write(report, options, out)
    return None
