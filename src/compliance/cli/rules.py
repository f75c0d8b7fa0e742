"""`compliance rules`: show the rule set's rules with their sources."""

from __future__ import annotations

import sys

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from compliance.cli.errors import handle_errors
from compliance.cli.options import DEFAULT_RULES, LangOption, RulesOption, lang_default

app = typer.Typer(help="Show rule sets and their rules.", no_args_is_help=False)


@app.callback(invoke_without_command=True)
@handle_errors
def rules_command(
    ctx: typer.Context,
    rules: RulesOption = DEFAULT_RULES,
    lang: LangOption = None,  # type: ignore[assignment]
) -> None:
    """List the rules of a rule set, with the quoted source text of each."""
    if ctx.invoked_subcommand is not None:
        return
    from compliance.labels import t, unit
    from compliance.rules.loader import load_ruleset

    language = (lang or lang_default()).value
    rs = load_ruleset(rules)
    console = Console(file=sys.stdout, highlight=False, width=max(Console().width, 100))
    console.print(
        f"[bold]{t('rules_title', language, ruleset=rs.label)}[/bold]  {rs.title(language)}"
    )
    if rs.document(language):
        console.print(f"{t('document', language)}: {rs.document(language)} ({rs.issued or ''})")
    if rs.illustrative:
        console.print(f"[yellow]{t('illustrative', language)}[/yellow]")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("id", style="bold")
    table.add_column(t("rule", language), overflow="fold")
    table.add_column(t("require", language), overflow="fold")
    table.add_column(t("unit", language))
    table.add_column(t("citation", language), overflow="fold")
    for r in rs.rules:
        table.add_row(
            r.id,
            r.title(language),
            f"{r.measure.source} {r.compare} {r.require.source}",
            unit(r.unit, language),
            f"“{r.citation}”",
        )
    console.print(table)
    for p in rs.interpretations:
        console.print(
            f"{t('interpretations', language)}: {p.label(language)} = {p.value} — {p.note(language)}"
        )
