"""What `check` and `summary` share: the options that say what to read and which
rules to apply, and the one function that turns them into a checked report."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from compliance.cli.batch import check_inputs, progress_enabled
from compliance.cli.options import as_of_date, isolation_limits
from compliance.errors import UsageError

if TYPE_CHECKING:
    from compliance.model import Report

SheetOption = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        metavar="SHEET",
        help="Sheet name or 1-based number (default: the sheet that looks like data).",
    ),
]
ColumnOption = Annotated[
    list[str] | None,
    typer.Option(
        "--column",
        "-c",
        metavar="FIELD=COLUMN",
        help="Map a field to a column letter or header text (or HEADER=FIELD); repeatable.",
    ),
]
MappingOption = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        "-m",
        metavar="FILE",
        help='TOML column mapping: [columns] "表头" = "field", optional sheet and '
        "header_row. --column and --sheet override it.",
    ),
]
MaxCellsOption = Annotated[
    int | None,
    typer.Option(
        "--max-cells",
        metavar="N",
        min=1,
        help="Refuse a sheet larger than N cells (rows × columns; default 30,000,000).",
    ),
]
WorkersOption = Annotated[
    str | None,
    typer.Option(
        "--workers",
        metavar="SHEET|none",
        help="Per-worker roster sheet to roll up (default: a sheet that looks like one; "
        "'none' to ignore rosters).",
    ),
]
SelectOption = Annotated[
    list[str] | None,
    typer.Option(
        "--select", metavar="RULE", help="Only these rule ids (prefix* allowed); repeatable."
    ),
]
IgnoreOption = Annotated[
    list[str] | None,
    typer.Option(
        "--ignore", metavar="RULE", help="Skip these rule ids (prefix* allowed); repeatable."
    ),
]
QuietOption = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="No progress display and no summary line on stderr."),
]


def parse_columns(values: list[str]) -> dict[str, str]:
    """``--column`` values as a mapping; each must look like ``A=B``."""
    out: dict[str, str] = {}
    for v in values:
        field, sep, target = v.partition("=")
        if not sep or not field.strip() or not target.strip():
            raise UsageError(
                f"--column {v!r}: expected FIELD=COLUMN, e.g. premises_area=H or premises_area=用房面积"
            )
        out[field.strip()] = target.strip()
    return out


def run_checks(
    files: list[Path],
    *,
    output: Path | None,
    rules: str,
    sheet: str | None,
    column: list[str] | None,
    mapping: Path | None,
    max_cells: int | None,
    workers: str | None,
    select: list[str] | None,
    ignore: list[str] | None,
    jobs: int | None,
    as_of: str | None,
    waivers: Path | None,
    quiet: bool,
    lang: str,
    max_memory: str | None = None,
    file_timeout: float | None = None,
) -> Report:
    """Expand the inputs, read and check them, and apply deadlines and waivers.

    Refuses (before reading anything) an ``output`` that is one of the inputs.
    """
    from compliance import api
    from compliance.batch import expand_inputs
    from compliance.output import guard_inputs

    limits = isolation_limits(max_memory, file_timeout)
    inputs = expand_inputs(files)
    guard_inputs(output, [i.path for i in inputs])
    ruleset = api.load_ruleset(rules)
    chosen = api.select_rules(ruleset, select, ignore)
    columns = parse_columns(column or [])
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
    exceptions = None
    if waivers is not None:
        from compliance.waivers import load_waivers

        exceptions = load_waivers(waivers)
    report = check_inputs(
        files,
        inputs,
        ruleset=ruleset,
        rules=chosen,
        jobs=jobs,
        show_progress=progress_enabled(quiet),
        lang=lang,
        limits=limits,
        check_options={
            "sheet": sheet,
            "columns": columns,
            "as_of": when,
            **({"read_options": read_options} if read_options is not None else {}),
        },
    )
    # Deadlines and waivers decide which shortfalls are failures.
    report = replace(report, as_of=when)
    if exceptions is not None:
        from compliance.waivers import apply_waivers

        report = apply_waivers(report, exceptions, when)
    return report
