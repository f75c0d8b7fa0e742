"""`compliance rules`: list, show, validate and explain rule sets.

Bare ``compliance rules`` shows the chosen rule set (``--rules``, default
zhejiang-2007), as ``rules show`` does.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
from compliance.errors import RuleSetError, UsageError
from compliance.exitcodes import ExitCode
from compliance.labels import field_label, number, t, unit

if TYPE_CHECKING:
    from compliance.engine.requirement import Explanation
    from compliance.rules.model import Rule, RuleSet

app = typer.Typer(
    help="Rule sets: list them, show one with where each value came from, validate a file, "
    "explain a requirement.",
    no_args_is_help=False,
)


def _console() -> Console:
    # markup=False: rule text and derivations contain [brackets] that are not markup.
    return Console(file=sys.stdout, highlight=False, markup=False, width=max(Console().width, 100))


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return number(v)
    return str(v)


def _origin_text(rs: RuleSet, key: tuple[str, ...], lang: str) -> str:
    """'zhejiang-2007' or 'city-2008 (city.toml:12); was 350 in zhejiang-2007'."""
    o = rs.origin(*key)
    if o is None:
        return rs.id
    text = o.ruleset if not rs.extends else f"{o.ruleset} ({Path(o.path).name}:{o.line or '?'})"
    for ruleset, value in o.overrides[:1]:
        text += "; " + t("was", lang, value=_value(value), ruleset=ruleset)
    return text


def _rule_origin(rs: RuleSet, rule_id: str, lang: str) -> str:
    base = rs.origin("rules", rule_id)
    text = base.ruleset if base else rs.id
    changed: dict[str, list[str]] = {}
    for key, o in rs.origins.items():
        if len(key) == 3 and key[:2] == ("rules", rule_id) and base and o.ruleset != base.ruleset:
            changed.setdefault(o.ruleset, []).append(key[2])
    for ruleset, keys in changed.items():
        text += "; " + t("changed_in", lang, ruleset=ruleset, keys=", ".join(keys))
    return text


def _scope_text(scope: str, lang: str) -> str:
    """Which record field a reference-table entry is matched against."""
    if lang == "zh":
        return f"适用范围：按{field_label(scope, 'zh')}匹配"
    return f"scope: matched against the {field_label(scope, 'en').lower()}"


def show_ruleset(rs: RuleSet, lang: str, console: Console) -> None:
    """Print a rule set: identity, parameters, reference tables, rules, citations, targets."""
    head = Text(t("rules_title", lang, ruleset=rs.label), style="bold")
    head.append(f"  {rs.title(lang)}", style="")
    console.print(head)
    if rs.illustrative:
        console.print(Text(t("illustrative", lang), style="bold yellow"))
    if rs.document(lang):
        console.print(f"{t('document', lang)}: {rs.document(lang)} ({rs.issued or ''})")
    if rs.source:
        console.print(f"{t('source', lang)}: {rs.source}")
    if rs.extends:
        console.print(f"{t('extends', lang)}: {' → '.join(rs.extends)}")
    if rs.path:
        console.print(Text(f"{t('file', lang)}: {rs.path} (sha256 {rs.sha256[:12]}…)", style="dim"))
    notes = rs.notes_zh if lang == "zh" else rs.notes_en
    if notes:
        console.print(notes)

    if rs.parameters:
        table = Table(title=t("parameters", lang), box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("id", style="bold")
        table.add_column(t("field", lang), overflow="fold")
        table.add_column(t("value", lang), justify="right")
        table.add_column(t("unit", lang))
        table.add_column(t("set_in", lang), overflow="fold")
        for p in rs.parameters.values():
            table.add_row(
                p.id,
                p.label(lang),
                _value(p.value),
                unit(p.unit, lang),
                _origin_text(rs, ("parameters", p.id, "value"), lang),
            )
        console.print(table)

    if rs.lookups:
        console.print(Text(t("lookups", lang), style="bold"))
        for lk in rs.lookups.values():
            keys = ", ".join(field_label(k, lang) for k in lk.key)
            year = f", {lk.year}" if lk.year else ""
            console.print(
                f"  {lk.id}: {field_label(lk.field, lang)} {t('keyed_by', lang, keys=keys)}"
                f"{year}; {t('entries', lang, n=len(lk.values))}"
                + (f" ({t('illustrative', lang)})" if lk.illustrative else "")
            )
            for e in lk.entries:
                console.print(f"    {e.name} = {number(e.value)}  ({_scope_text(e.scope, lang)})")
            if lk.source:
                console.print(f"    {t('source', lang)}: {lk.source}")

    console.print(Text(t("rules_heading", lang), style="bold"))
    for r in rs.rules:
        tags = [t(f"severity_{r.severity}", lang), unit(r.unit, lang)]
        if r.level != "community":
            tags.append(t(f"level_{r.level}", lang))
        if r.deadline:
            tags.append(t("due", lang, date=r.deadline))
        line = Text(f"  {r.id}", style="bold")
        line.append(f"  {r.title(lang)}  ")
        line.append(f"[{' · '.join(tags)}]", style="dim")
        console.print(line)
        req = f"{r.measure.source} {r.compare} {r.require.source}"
        if r.require.is_constant and r.require.source != _value(r.require.evaluate({})):
            req += f"  (= {_value(r.require.evaluate({}))})"
        console.print(f"      {req}")
        if r.applies_if is not None:
            console.print(f"      {t('applies_if', lang)}: {r.applies_if.source}")
        doc = r.document(lang)
        console.print(f"      “{r.citation}”" + (f" — {doc} ({r.issued})" if doc else ""))
        if rs.extends:
            console.print(
                Text(f"      {t('set_in', lang)}: {_rule_origin(rs, r.id, lang)}", style="dim")
            )

    if rs.interpretations:
        console.print()
        console.print(Text(t("interpretations", lang), style="bold"))
        for p in rs.interpretations:
            console.print(f"  {p.label(lang)} = {_value(p.value)}: {p.note(lang)}")
    if rs.progress is not None:
        pg = rs.progress
        console.print()
        share = f"{pg.share:.0%}"
        console.print(
            f"{t('progress_target', lang)}: "
            + t("progress_target_text", lang, share=share, rule=pg.rule, due=pg.due or "—")
            + f" ({pg.parameter})"
        )


def ruleset_dict(rs: RuleSet) -> dict[str, Any]:
    """A rule set as JSON-ready data, with the origin of each value."""

    def origin(*key: str) -> dict[str, Any] | None:
        o = rs.origin(*key)
        if o is None:
            return None
        return {
            "ruleset": o.ruleset,
            "path": o.path,
            "line": o.line,
            "overrides": [{"ruleset": r, "value": v} for r, v in o.overrides],
        }

    return {
        "id": rs.id,
        "version": rs.version,
        "title_zh": rs.title_zh,
        "title_en": rs.title_en,
        "illustrative": rs.illustrative,
        "extends": list(rs.extends),
        "path": str(rs.path) if rs.path else None,
        "sha256": rs.sha256,
        "parameters": {
            p.id: {"value": p.value, "unit": p.unit, "origin": origin("parameters", p.id, "value")}
            for p in rs.parameters.values()
        },
        "lookups": {
            lk.id: {
                "field": lk.field,
                "key": list(lk.key),
                "values": dict(lk.values),
                "scopes": {e.name: e.scope for e in lk.entries},
            }
            for lk in rs.lookups.values()
        },
        "rules": [
            {
                "id": r.id,
                "title_zh": r.title_zh,
                "title_en": r.title_en,
                "citation": r.citation,
                "unit": r.unit,
                "severity": r.severity,
                "level": r.level,
                "measure": r.measure.source,
                "compare": r.compare,
                "require": r.require.source,
                "applies_if": r.applies_if.source if r.applies_if else None,
                "deadline": r.deadline,
                "origin": origin("rules", r.id),
                "changed": {
                    key[2]: origin(*key)
                    for key in rs.origins
                    if len(key) == 3
                    and key[:2] == ("rules", r.id)
                    and (o := rs.origins[key]) is not None
                    and (base := rs.origin("rules", r.id)) is not None
                    and o.ruleset != base.ruleset
                },
            }
            for r in rs.rules
        ],
        "progress": (
            {
                "rule": rs.progress.rule,
                "parameter": rs.progress.parameter,
                "share": rs.progress.share,
                "due": rs.progress.due,
            }
            if rs.progress
            else None
        ),
    }


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
        raise UsageError(f"--format {fmt!r}: choose table or json")
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
            where = exc.where or name
            n = len(exc.problems)
            typer.echo(t("invalid" if n != 1 else "invalid_one", language, path=where, n=n))
            for problem in exc.problems:
                typer.echo(f"{where}: {problem}")
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
                    raise UsageError(f"{arg}: give a value, e.g. {arg} 2150")
                value = args[i + 1]
                i += 1
        else:
            key, sep, value = arg.partition("=")
            if not sep:
                raise UsageError(f"{arg!r}: expected FIELD=VALUE or --FIELD VALUE")
        given[key.strip()] = value.strip()
        i += 1
    return given


def _stand_in_text(rule: Rule, f: str, sub: str, lang: str) -> str:
    """Why the requirement counts ``sub`` where the rule names ``f``."""
    f_zh, sub_zh = field_label(f, "zh"), field_label(sub, "zh")
    f_en, sub_en = field_label(f, "en").lower(), field_label(sub, "en").lower()
    if rule.stand_in_always:
        if lang == "zh":
            return f"按规则集口径以{sub_zh}代替{f_zh}计"
        return f"counted against {sub_en}, not {f_en} (rule-set reading)"
    if lang == "zh":
        return f"未给出{f_zh}（--{f}），按{sub_zh}计，与表中没有该列时相同"
    return f"no {f_en} given (--{f}): counted against {sub_en}, as on a sheet without that column"


def print_explanation(ex: Explanation, lang: str, console: Console) -> None:
    """Print what a rule requires for given values, step by step."""
    from compliance import labels
    from compliance.model import Outcome

    r = ex.rule
    u = unit(r.unit, lang)
    console.print(Text(f"{r.id}: {r.title(lang)} ({ex.ruleset.label})", style="bold"))
    console.print(f"  {t('citation', lang)}: “{r.citation}”")
    console.print(f"  {t('require', lang)}: {r.measure.source} {r.compare} {r.require.source}")
    if r.applies_if is not None:
        console.print(f"  {t('applies_if', lang)}: {r.applies_if.source}")
    if r.deadline:
        console.print(f"  {t('deadline', lang)}: {r.deadline}")
    if ex.values:
        shown = ", ".join(f"{k} = {_value(v)}" for k, v in ex.values.items())
        console.print(f"  {t('explain_with', lang)}: {shown}")
    for n in ex.notes:
        console.print(f"  {labels.note(n, lang)}")
    for named, sub in ex.stand_ins.items():
        console.print(f"  {_stand_in_text(r, named, sub, lang)}")
    if ex.needs:
        names = ", ".join(f"--{f} ({field_label(f, lang)})" for f in ex.needs)
        console.print(Text(f"  {t('explain_needs', lang, fields=names)}", style="yellow"))
        return
    if ex.error:
        console.print(Text(f"  {ex.error}", style="red"))
        return
    if ex.applies is False:
        console.print(f"  {t('not_applicable', lang)}: {ex.applies_derivation}")
        return
    console.print(Text(f"  → {ex.derivation} {u}", style="bold"))
    # Parameters are folded into the expression, so find them by name in its text.
    for p in ex.ruleset.interpretations:
        if re.search(rf"\b{re.escape(p.id)}\b", r.require.source):
            console.print(f"  {p.label(lang)} = {_value(p.value)}: {p.note(lang)}")
    f = ex.finding
    if f is None:
        missing = [m for m in r.measure.fields if ex.values.get(m) is None]
        if missing:
            names = ", ".join(f"--{m}" for m in missing)
            console.print(Text(f"  ({t('explain_needs', lang, fields=names)})", style="dim"))
        return
    verdict = {
        Outcome.PASS: "✓ " + t("pass", lang),
        Outcome.FAIL: "✗ " + t("fail", lang),
        Outcome.NOT_YET_DUE: "⏳ " + t("not_yet_due_until", lang, date=r.deadline or ""),
    }.get(f.outcome, t(f.outcome.value, lang))
    line = f"  {t('explain_result', lang)}: {number(f.actual)} {r.compare} {number(f.required)} {verdict}"
    if f.shortfall:
        short = number(f.shortfall)
        line += f"，缺 {short} {u}" if lang == "zh" else f", short {short} {u}"
        if f.total is not None:
            line += f" ({number(f.total)} {unit(r.total_unit, lang)})"
    console.print(line)


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
