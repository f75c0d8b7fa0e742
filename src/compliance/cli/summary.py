"""`compliance summary`: how big the gap is, where it is, and what closing it would take."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated

import typer

from compliance.cli.emit import destinations, emit
from compliance.cli.errors import handle_errors
from compliance.cli.inputs import CheckArgs, check_options, run_checks, single_file

HELP = """Sum up the shortfalls by region: per city, district or sub-district.

For each region and for the total: communities checked and how many comply with
every standard; per standard the failing communities and their share, the
unknowns, and the total shortfall in the standard's unit (m² of premises,
full-time workers, yuan of pay for all workers, uninsured workers per insurance
item); a ranking of the regions with the largest premises gaps; and, when a
unit cost is known (--cost-per-m2 or the rule set's premises_cost_per_m2), the
cost of closing the premises gap. Unknowns (missing data) are shown but count
toward neither the shortfalls nor compliance. Shortfalls not yet due (--as-of
before a rule's deadline) or waived (--waivers) are counted apart from failures.

FILES are read as by `compliance check` (files, folders, glob patterns).
--format xlsx writes a workbook with charts; it needs --output.

Exit codes are those of `compliance check`: 0 all pass, 1 some community fails,
2 bad input or usage, 3 internal error.
"""


@handle_errors
@check_options
def summary_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Workbooks, CSV files, folders or glob patterns to sum up.",
            show_default=False,
            metavar="FILE...",
        ),
    ],
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            "-b",
            metavar="city|district|subdistrict",
            help="Region level to group by (default: the coarsest level the data has a "
            "column for and more than one name in).",
            show_default=False,
        ),
    ] = None,
    cost_per_m2: Annotated[
        float | None,
        typer.Option(
            "--cost-per-m2",
            metavar="YUAN",
            help="Unit cost of premises in yuan per m², to price the premises gap "
            "(overrides the rule set's premises_cost_per_m2). Without either, no cost is shown.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="Output format: table (the default), json, csv, markdown, html or xlsx "
            "(xlsx needs --output).",
            show_default=False,
        ),
    ] = None,
    *,
    args: CheckArgs,
) -> None:
    from compliance import api
    from compliance.render import SUMMARY_FORMATS, RenderOptions, get_summary_renderer
    from compliance.summary import summarise

    language = args.language
    targets = destinations(fmt, args.outputs, SUMMARY_FORMATS)
    attestation = args.attested()
    report = run_checks(files, args, {"format": fmt, "by": by, "cost_per_m2": cost_per_m2})
    summary = summarise(report, by=by, cost_per_m2=cost_per_m2)
    code = api.exit_code(report, args.fail_on)
    for fmt_enum, output in targets:
        options = RenderOptions(
            lang=language,
            color=output is None and sys.stdout.isatty(),
            exit_code=int(code),
            csv_layout=args.csv_layout.value,
            attestation=attestation,
        )
        render = get_summary_renderer(fmt_enum)
        emit(fmt_enum, output, functools.partial(render, summary, report, options))
    if args.outputs and report.failures and single_file(files):
        # As `check`: the report lists the unreadable input; the user still gets its line.
        from compliance.cli.errors import error_line

        error_line(report.failures[0].said, language)
    elif not args.quiet:
        from compliance.labels import t
        from compliance.render.summary.common import compliant_line

        text = compliant_line(summary.total, language)
        if report.failures:
            text += t("unreadable_count", language, n=len(report.failures))
        typer.echo(f"{text} (exit {int(code)})", err=True)
    raise typer.Exit(int(code))
