"""`compliance rules`: list, show, validate and explain rule sets.

Bare ``compliance rules`` shows the chosen rule set (``--rules``, default
zhejiang-2007), as ``rules show`` does. How a rule set and an explanation are
printed is in :mod:`~compliance.cli.rules_show` and :mod:`~compliance.cli.rules_explain`.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from compliance.cli.errors import handle_errors
from compliance.cli.options import (
    DEFAULT_RULES,
    LangOption,
    RulesOption,
    as_of_date,
    lang_default,
)
from compliance.cli.rules_data import ruleset_dict
from compliance.cli.rules_explain import print_explanation
from compliance.cli.rules_show import show_ruleset
from compliance.errors import RuleSetError, UsageError
from compliance.exitcodes import ExitCode
from compliance.labels import t

if TYPE_CHECKING:
    pass

app = typer.Typer(
    help="Rule sets: list them, show one with where each value came from, validate a file, "
    "explain a requirement.",
    no_args_is_help=False,
)


def _console() -> Console:
    # markup=False: rule text and derivations contain [brackets] that are not markup.
    return Console(file=sys.stdout, highlight=False, markup=False, width=max(Console().width, 100))


@app.callback(invoke_without_command=True)
@handle_errors
def rules_command(
    ctx: typer.Context,
    rules: RulesOption = DEFAULT_RULES,
    lang: LangOption = None,  # type: ignore[assignment]
) -> None:
    """Show a rule set's rules with their quoted source text (see the subcommands)."""
    if ctx.invoked_subcommand is not None:
        return
    from compliance.rules.loader import load_ruleset

    language = (lang or lang_default()).value
    console = _console()
    show_ruleset(load_ruleset(rules), language, console)
    console.print()
    console.print(Text(t("rules_hint", language), style="dim"))


@app.command("list")
@handle_errors
def list_command(lang: LangOption = None) -> None:  # type: ignore[assignment]
    """List the rule sets found: $COMPLIANCE_RULES_PATH, ./rules and the shipped ones."""
    from compliance.rules.files import find_rulesets
    from compliance.rules.loader import load_ruleset

    language = (lang or lang_default()).value
    console = _console()
    table = Table(title=t("rulesets_title", language), box=box.SIMPLE_HEAD, title_justify="left")
    for col in ("id", t("rule", language), t("extends", language), t("file", language)):
        table.add_column(col, overflow="fold")
    for entry in find_rulesets():
        where = t("shipped", language) if entry.builtin else str(entry.path)
        try:
            rs = load_ruleset(entry.path)
        except RuleSetError as exc:
            table.add_row(entry.id, Text(f"✗ {exc.problems[0]}", style="red"), "", where)
            continue
        title = f"{rs.title(language)} ({rs.version})"
        if rs.illustrative:
            title += f"\n{t('illustrative', language)}"
        table.add_row(rs.id, title, " → ".join(rs.extends), where)
    console.print(table)


@app.command("show")
@handle_errors
def show_command(
    ruleset: Annotated[
        str, typer.Argument(help="A rule-set name or .toml path.", metavar="ID|PATH")
    ] = DEFAULT_RULES,
    lang: LangOption = None,  # type: ignore[assignment]
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table or json.", metavar="FORMAT")
    ] = "table",
) -> None:
    """Show a rule set: parameters, rules, citations, deadlines, and where each value came from."""
    from compliance.rules.loader import load_ruleset

    rs = load_ruleset(ruleset)
    if fmt == "json":
        json.dump(ruleset_dict(rs), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if fmt != "table":
        raise UsageError("rules_format", value=repr(fmt))
    show_ruleset(rs, (lang or lang_default()).value, _console())


@app.command("validate")
@handle_errors
def validate_command(
    files: Annotated[
        list[str],
        typer.Argument(help="Rule files (or rule-set names) to check.", metavar="FILE..."),
    ],
    lang: LangOption = None,  # type: ignore[assignment]
) -> None:
    """Check rule files. Exit 0 if all are valid, else 2 with one line per problem and its place."""
    from compliance.rules.loader import load_ruleset

    language = (lang or lang_default()).value
    bad = False
    for name in files:
        try:
            rs = load_ruleset(name)
        except RuleSetError as exc:
            bad = True
            where = exc.place(language) or name
            lines = exc.problem_lines(language)
            n = len(lines)
            typer.echo(t("invalid" if n != 1 else "invalid_one", language, path=where, n=n))
            colon = "：" if language == "zh" else ": "
            for problem in lines:
                typer.echo(f"{where}{colon}{problem}")
            continue
        label = rs.label
        if rs.extends:
            label += f" ({t('extends', language).lower()} {rs.extends[0]})"
        typer.echo(t("valid", language, path=name, ruleset=label, n=len(rs.rules)))
    raise typer.Exit(ExitCode.INPUT if bad else ExitCode.OK)


def _parse_given(args: list[str]) -> dict[str, str]:
    """'--households 2150', '--households=2150' or 'households=2150'."""
    given: dict[str, str] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("--"):
            key, sep, value = arg[2:].partition("=")
            if not sep:
                if i + 1 >= len(args):
                    raise UsageError("explain_needs_value", arg=arg)
                value = args[i + 1]
                i += 1
        else:
            key, sep, value = arg.partition("=")
            if not sep:
                raise UsageError("explain_pair", arg=repr(arg))
        given[key.strip()] = value.strip()
        i += 1
    return given


@app.command(
    "explain",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
@handle_errors
def explain_command(
    ctx: typer.Context,
    rule: Annotated[str, typer.Argument(help="The rule id, e.g. staffing.", metavar="RULE")],
    rules: RulesOption = DEFAULT_RULES,
    lang: LangOption = None,  # type: ignore[assignment]
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE", help="Date for deadlines (default today)."),
    ] = None,
) -> None:
    """Show what RULE requires for given values and how: `explain staffing --households 2150`.

    Give field values as --FIELD VALUE or FIELD=VALUE (field ids such as
    households, full_time_workers, premises_area, district); the measured
    field too to see pass or fail.
    """
    from compliance.engine.requirement import explain
    from compliance.rules.loader import load_ruleset

    language = (lang or lang_default()).value
    given = _parse_given(list(ctx.args))
    when = as_of_date(as_of)
    ex = explain(load_ruleset(rules), rule, given, as_of=when)
    print_explanation(ex, language, _console())
