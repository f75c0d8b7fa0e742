"""`compliance template OUT.xlsx`: write an input workbook for a rule set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from compliance.cli.errors import handle_errors
from compliance.cli.options import DEFAULT_RULES, LangOption, RulesOption, lang_default
from compliance.errors import UsageError

HELP = """Write an input workbook (.xlsx) for offices to fill in, made from a rule set.

The data sheet has one column per field the rule set's standards need, headed as the
checker recognises them (Chinese, or English with --lang en) with the unit in
brackets; its input cells are styled and validated (whole numbers ≥ 0 for counts,
decimals ≥ 0 for areas and pay, 是/否 for yes/no fields). An instructions sheet
explains each field, its unit and the standards that use it; an example sheet shows
a filled row. Rule sets with sub-district standards get a sheet for sub-districts.

A filled template checks with: compliance check OUT.xlsx --rules NAME
"""


@handle_errors
def template_command(
    output: Annotated[
        Path,
        typer.Argument(help="The .xlsx file to write.", metavar="OUT.xlsx", show_default=False),
    ],
    rules: RulesOption = DEFAULT_RULES,
    lang: LangOption = None,  # type: ignore[assignment]
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select", metavar="RULE", help="Only the fields of these rules; repeatable."
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="RULE", help="Leave out these rules' fields; repeatable."),
    ] = None,
    rows: Annotated[
        int,
        typer.Option("--rows", min=1, max=100_000, help="Rows of validated input cells."),
    ] = 500,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite OUT.xlsx if it exists.")
    ] = False,
) -> None:
    from compliance import api
    from compliance.template import write_template

    if output.suffix.lower() != ".xlsx":
        raise UsageError("template_xlsx", path=str(output))
    if output.exists() and not force:
        # A filled-in return may have this name; never overwrite it silently.
        raise UsageError("template_exists", path=str(output))
    ruleset = api.load_ruleset(rules)
    chosen = api.select_rules(ruleset, select, ignore)
    write_template(output, ruleset, lang=(lang or lang_default()).value, rules=chosen, rows=rows)
    typer.echo(str(output))
