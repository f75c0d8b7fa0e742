"""`compliance annotate`: the user's workbook back, with its shortfalls marked."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from compliance.cli.batch import FailOnOption
from compliance.cli.errors import handle_errors
from compliance.cli.inputs import (
    CheckArgs,
    ColumnOption,
    MappingOption,
    MaxCellsOption,
    SheetOption,
    WorkersOption,
    run_checks,
)
from compliance.cli.options import (
    DEFAULT_RULES,
    AsOfOption,
    IgnoreOption,
    LangOption,
    QuietOption,
    RulesOption,
    SelectOption,
    WaiversOption,
    lang_default,
)
from compliance.exitcodes import FailOn

HELP = """Write a copy of a workbook with every shortfall marked on its own cells.

Each failing cell is filled red and carries a comment with the shortfall and
the requirement (短 10 m²（需 ≥ 350）); each unknown cell is filled yellow with
the reason; a result column is added to every row (subtotal rows say whether
they add up), with a 说明 (explanation) column beside it where the district
explains each advisory item: when the returned copy is checked again, its text
marks that row's advisory items explained. A scorecard sheet comes first. The
sheet keeps its values, formulas, layout, merges and column widths; .xls, .ods
and .csv inputs become .xlsx. FILE itself is never changed.

Exit codes are those of `compliance check`: 0 all pass, 1 some community fails,
2 bad input or usage, 3 internal error.
"""


@handle_errors
def annotate_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="The workbook or CSV file to mark up.", show_default=False, metavar="FILE"
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="OUT.xlsx", help="Where to write the annotated copy (.xlsx)."
        ),
    ],
    rules: RulesOption = DEFAULT_RULES,
    lang: LangOption = None,  # type: ignore[assignment]
    sheet: SheetOption = None,
    column: ColumnOption = None,
    mapping: MappingOption = None,
    max_cells: MaxCellsOption = None,
    workers: WorkersOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    quiet: QuietOption = False,
    fail_on: FailOnOption = FailOn.FAIL,
    as_of: AsOfOption = None,
    waivers: WaiversOption = None,
) -> None:
    from compliance import api
    from compliance.annotate import annotate

    language = (lang or lang_default()).value
    args = CheckArgs(
        rules=rules,
        output=[output],
        lang=lang,
        sheet=sheet,
        column=column,
        mapping=mapping,
        max_cells=max_cells,
        workers=workers,
        select=select,
        ignore=ignore,
        quiet=quiet,
        jobs=1,
        fail_on=fail_on,
        as_of=as_of,
        waivers=waivers,
    )
    report = run_checks([file], args)
    done = annotate(report, output, lang=language)
    code = api.exit_code(report, fail_on)
    if not quiet:
        line = (
            f"{done.path}：标出 {done.failing_cells} 个未达标单元格、{done.unknown_cells} 个无法判断单元格"
            if language == "zh"
            else f"{done.path}: {done.failing_cells} failing and {done.unknown_cells} unknown cells marked"
        )
        typer.echo(f"{line} (exit {int(code)})", err=True)
    raise typer.Exit(int(code))
