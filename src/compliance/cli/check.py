"""`compliance check`: read workbooks, evaluate them, print or write the report."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from compliance.cli.batch import FailOnOption, JobsOption, check_inputs, progress_enabled
from compliance.cli.emit import OUTPUT_HELP, emit, require_destination
from compliance.cli.errors import handle_errors
from compliance.cli.options import (
    DEFAULT_RULES,
    AsOfOption,
    LangOption,
    RulesOption,
    WaiversOption,
    as_of_date,
    lang_default,
)
from compliance.errors import UsageError
from compliance.exitcodes import FailOn
from compliance.waivers import apply_waivers, load_waivers

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


def _parse_columns(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        field, sep, target = v.partition("=")
        if not sep or not field.strip() or not target.strip():
            raise UsageError(
                f"--column {v!r}: expected FIELD=COLUMN, e.g. premises_area=H or premises_area=用房面积"
            )
        out[field.strip()] = target.strip()
    return out


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
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet",
            metavar="SHEET",
            help="Sheet name or 1-based number (default: the sheet that looks like data).",
        ),
    ] = None,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            "-c",
            metavar="FIELD=COLUMN",
            help="Map a field to a column letter or header text (or HEADER=FIELD); repeatable.",
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            "-m",
            metavar="FILE",
            help='TOML column mapping: [columns] "表头" = "field", optional sheet and '
            "header_row. --column and --sheet override it.",
        ),
    ] = None,
    max_cells: Annotated[
        int | None,
        typer.Option(
            "--max-cells",
            metavar="N",
            min=1,
            help="Refuse a sheet larger than N cells (rows × columns; default 30,000,000).",
        ),
    ] = None,
    workers: Annotated[
        str | None,
        typer.Option(
            "--workers",
            metavar="SHEET|none",
            help="Per-worker roster sheet to roll up (default: a sheet that looks like one; "
            "'none' to ignore rosters).",
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select", metavar="RULE", help="Only these rule ids (prefix* allowed); repeatable."
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore", metavar="RULE", help="Skip these rule ids (prefix* allowed); repeatable."
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="No progress display and no summary line on stderr."),
    ] = False,
    jobs: JobsOption = None,
    fail_on: FailOnOption = FailOn.FAIL,
    as_of: AsOfOption = None,
    waivers: WaiversOption = None,
) -> None:
    from compliance import api
    from compliance.output import guard_inputs
    from compliance.render import Format, RenderOptions, get_renderer

    language = (lang or lang_default()).value
    try:
        fmt_enum = Format(fmt)
    except ValueError:
        raise UsageError(
            f"--format {fmt!r}: choose one of {', '.join(f.value for f in Format)}"
        ) from None
    require_destination(fmt_enum, output)
    from compliance.batch import expand_inputs

    inputs = expand_inputs(files)
    guard_inputs(output, [i.path for i in inputs])
    ruleset = api.load_ruleset(rules)
    chosen = api.select_rules(ruleset, select, ignore)
    columns = _parse_columns(column or [])
    read_options = None
    if mapping is not None or max_cells is not None or workers is not None:
        from compliance.catalogue import default_catalogue
        from compliance.reading import ReadOptions, load_mapping

        mapped = load_mapping(mapping, default_catalogue()) if mapping is not None else None
        if mapped is not None:
            columns = {**mapped.columns, **columns}
            if sheet is None and mapped.sheet is not None:
                sheet = str(mapped.sheet)
        roster: str | bool | None = False if workers in ("none", "no", "0") else workers
        read_options = ReadOptions(
            header_row=mapped.header_row if mapped is not None else None,
            max_cells=max_cells,
            workers=roster,
        )
    when = as_of_date(as_of)
    exceptions = load_waivers(waivers) if waivers is not None else None
    report = check_inputs(
        files,
        inputs,
        ruleset=ruleset,
        rules=chosen,
        jobs=jobs,
        show_progress=progress_enabled(quiet),
        lang=language,
        check_options={
            "sheet": sheet,
            "columns": columns,
            "as_of": when,
            **({"read_options": read_options} if read_options is not None else {}),
        },
    )
    report = replace(report, as_of=when)
    if exceptions is not None:
        report = apply_waivers(report, exceptions, when)
    code = api.exit_code(report, fail_on)
    options = RenderOptions(
        lang=language,
        show_all=show_all,
        details=details,
        color=output is None and sys.stdout.isatty(),
        exit_code=int(code),
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
        total=len(report.results),
        passed=o[Outcome.PASS],
        failed=o[Outcome.FAIL],
        unknown=o[Outcome.UNKNOWN],
    )
    if report.failures:
        text += t("unreadable_count", lang, n=len(report.failures))
    typer.echo(f"{text} (exit {code})", err=True)
