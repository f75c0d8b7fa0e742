"""`compliance check`: read workbooks, evaluate them, print or write the report."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated

import typer

from compliance.cli.emit import destinations, emit
from compliance.cli.errors import handle_errors
from compliance.cli.inputs import CheckArgs, check_options, run_checks, single_file

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
  1    some community fails a rule of severity "error" or a blocking check
  2    bad input or usage: unreadable file, no header, missing column, bad rule file
  3    internal error (a bug)

An unreadable input (2) outranks failures (1): a run that could not see all its
data cannot vouch for it. --fail-on unknown also turns unknowns into 1;
--fail-on never gives 0 whatever the findings (unreadable inputs still give 2).
"""


@handle_errors
@check_options
def check_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Workbooks, CSV files, folders or glob patterns to check.",
            show_default=False,
            metavar="FILE...",
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format: table (the default), json, jsonl (one finding per line, "
            "streamed), junit (JUnit XML for CI), csv, markdown, html (one self-contained page) or xlsx (needs --output).",
            metavar="FORMAT",
            show_default=False,
        ),
    ] = None,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            "-a",
            help="List every community, in input order, not only those that fall short "
            "(the table is streamed row by row).",
        ),
    ] = False,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            metavar="N",
            min=0,
            help="Table: list at most N communities that fall short or are unknown, the "
            "most failures first; 0 lists them all.",
        ),
    ] = 50,
    compact: Annotated[
        bool,
        typer.Option(
            "--compact",
            help="Table: only the totals per standard and the headline, no community rows.",
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
    *,
    args: CheckArgs,
) -> None:
    from compliance import api
    from compliance.render import RenderOptions, get_renderer

    language = args.language
    targets = destinations(fmt, args.outputs)
    attestation = args.attested()
    report = run_checks(
        files, args, {"format": fmt, "all": show_all, "details": details, "limit": limit}
    )
    code = api.exit_code(report, args.fail_on)
    for fmt_enum, output in targets:
        options = RenderOptions(
            lang=language,
            show_all=show_all,
            details=details,
            limit=limit,
            compact=compact,
            color=output is None and sys.stdout.isatty(),
            exit_code=int(code),
            csv_layout=args.csv_layout.value,
            all_findings=all_findings,
            attestation=attestation,
        )
        render = get_renderer(fmt_enum)
        emit(fmt_enum, output, functools.partial(render, report, options))
    if args.outputs and report.failures and single_file(files):
        # The report lists the unreadable input; the user still gets its one line.
        from compliance.cli.errors import error_line

        error_line(report.failures[0].said, language)
    elif not args.quiet:
        _summary_line(report, language, int(code))
    raise typer.Exit(int(code))


def _summary_line(report: object, lang: str, code: int) -> None:
    from compliance.labels import t
    from compliance.model import Outcome
    from compliance.results import Report

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
