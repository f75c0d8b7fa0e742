"""`compliance check`: read workbooks, evaluate them, print or write the report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from compliance.cli.batch import FailOnOption, JobsOption
from compliance.cli.emit import OUTPUT_HELP, emit, parse_format, require_destination
from compliance.cli.errors import handle_errors
from compliance.cli.inputs import (
    ColumnOption,
    IgnoreOption,
    MappingOption,
    MaxCellsOption,
    QuietOption,
    SelectOption,
    SheetOption,
    WorkersOption,
    run_checks,
)
from compliance.cli.options import (
    DEFAULT_RULES,
    AsOfOption,
    LangOption,
    RulesOption,
    WaiversOption,
    lang_default,
)
from compliance.exitcodes import FailOn

HELP = """Check workbooks and print which communities pass or fail each standard.

FILES are .xlsx, .xlsm, .xls, .xlsb, .ods or .csv files, folders (searched for
those, skipping ~$ lock files) or glob patterns such as 'returns/**/*.xlsx'. The
header row is found automatically (title rows above it are fine) and matched to
known fields by its Chinese or English names. Several files make one report; a
file that cannot be read is listed in it and the others are still checked.

The table lists failing and unknown communities first (--all lists every one),
with ✗ and the shortfall in the standard's unit; ? means a needed cell is
empty or unreadable, which is never a pass.

Exit codes:

\b
  0    every evaluated rule passes
  1    some community fails a rule of severity "error"
  2    bad input or usage: unreadable file, no header, missing column, bad rule file
  3    internal error (a bug)

An unreadable input (2) outranks failures (1): a run that could not see all its
data cannot vouch for it. --fail-on unknown also turns unknowns into 1;
--fail-on never gives 0 whatever the findings (unreadable inputs still give 2).
"""


@handle_errors
def check_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Workbooks, CSV files, folders or glob patterns to check.",
            show_default=False,
            metavar="FILE...",
        ),
    ],
    rules: RulesOption = DEFAULT_RULES,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="Output format: table, json, jsonl (one finding per line, streamed), junit "
            "(JUnit XML for CI), csv, markdown or xlsx (needs --output).",
            metavar="FORMAT",
        ),
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help=OUTPUT_HELP,
        ),
    ] = None,
    lang: LangOption = None,  # type: ignore[assignment]
    show_all: Annotated[
        bool,
        typer.Option(
            "--all", "-a", help="List every community, not only failing and unknown ones."
        ),
    ] = False,
    details: Annotated[
        bool,
        typer.Option(
            "--details",
            "-d",
            help="Show each failure's figures and how the requirement was computed.",
        ),
    ] = False,
    all_findings: Annotated[
        bool,
        typer.Option(
            "--all-findings",
            help="JSON: a full object for every finding, passes included "
            "(default: passes listed by rule id).",
        ),
    ] = False,
    sheet: SheetOption = None,
    column: ColumnOption = None,
    mapping: MappingOption = None,
    max_cells: MaxCellsOption = None,
    workers: WorkersOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    fail_on: FailOnOption = FailOn.FAIL,
    as_of: AsOfOption = None,
    waivers: WaiversOption = None,
) -> None:
    from compliance import api
    from compliance.render import RenderOptions, get_renderer

    language = (lang or lang_default()).value
    fmt_enum = parse_format(fmt)
    require_destination(fmt_enum, output)
    report = run_checks(
        files,
        output=output,
        rules=rules,
        sheet=sheet,
        column=column,
        mapping=mapping,
        max_cells=max_cells,
        workers=workers,
        select=select,
        ignore=ignore,
        jobs=jobs,
        as_of=as_of,
        waivers=waivers,
        quiet=quiet,
        lang=language,
    )
    code = api.exit_code(report, fail_on)
    options = RenderOptions(
        lang=language,
        show_all=show_all,
        details=details,
        color=output is None and sys.stdout.isatty(),
        exit_code=int(code),
        all_findings=all_findings,
    )
    render = get_renderer(fmt_enum)
    emit(fmt_enum, output, lambda out: render(report, options, out))
    if not quiet:
        _summary_line(report, language, int(code))
    raise typer.Exit(int(code))


def _summary_line(report: object, lang: str, code: int) -> None:
    from compliance.labels import t
    from compliance.model import Outcome, Report

    assert isinstance(report, Report)
    o = report.overall()
    text = t(
        "overall",
        lang,
        total=sum(len(c.table) for c in report.checks),
        passed=o[Outcome.PASS],
        failed=o[Outcome.FAIL],
        unknown=o[Outcome.UNKNOWN],
    )
    if report.failures:
        text += t("unreadable_count", lang, n=len(report.failures))
    typer.echo(f"{text} (exit {code})", err=True)
