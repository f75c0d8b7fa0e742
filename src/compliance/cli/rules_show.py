"""How ``compliance rules show`` prints a rule set as text (:mod:`.rules_data` gives
it as JSON-ready data).

Every value says where it came from when the rule set extends another.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from compliance.labels import field_label, number, t, unit
from compliance.rules.constants import constant_value
from compliance.rules.language import EvaluationError

if TYPE_CHECKING:
    from compliance.rules.model import RuleSet


def value_text(v: object) -> str:
    """A parameter or constant as a rule file would write it."""
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
        text += "; " + t("was", lang, value=value_text(value), ruleset=ruleset)
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
    if rs.source_text(lang):
        console.print(f"{t('source', lang)}: {rs.source_text(lang)}")
    if rs.extends:
        console.print(f"{t('extends', lang)}: {' → '.join(rs.extends)}")
    if rs.path:
        console.print(
            Text(f"{t('rule_file', lang)}: {rs.path} (sha256 {rs.sha256[:12]}…)", style="dim")
        )
    notes = rs.notes_zh if lang == "zh" else rs.notes_en
    if notes:
        console.print(notes)

    if rs.declared:
        fields = Table(title=t("declared_fields", lang), box=box.SIMPLE_HEAD, title_justify="left")
        fields.add_column("id", style="bold")
        fields.add_column(t("field", lang), overflow="fold")
        fields.add_column(t("field_kind", lang))
        fields.add_column(t("headers", lang), overflow="fold")
        for f in rs.declared:
            headers = ("、" if lang == "zh" else ", ").join(f.headers)
            kind = t(f"kind_{f.type}", lang) + (f" ({unit(f.unit, lang)})" if f.unit else "")
            fields.add_row(f.id, f.label(lang), kind, headers)
        console.print(fields)

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
                value_text(p.value),
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
                own = [
                    str(x)
                    for x, table in ((e.year, lk.year), (e.source, lk.source))
                    if x and x != table
                ]
                if e.illustrative and not lk.illustrative:
                    own.append(t("illustrative", lang))
                if (e.year, e.source) != (lk.year, lk.source) and not own:
                    own.append(t("no_year", lang))
                extra = f"; {'; '.join(own)}" if own else ""
                console.print(
                    f"    {e.name} = {number(e.value)}  ({_scope_text(e.scope, lang)}{extra})"
                )
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
        if r.require.is_constant:
            try:
                shown = value_text(constant_value(r.require.tree))
            except EvaluationError:
                shown = r.require.source  # shown as written; the engine says why per record
            if r.require.source != shown:
                req += f"  (= {shown})"
        console.print(f"      {req}")
        if r.applies_if is not None:
            console.print(f"      {t('applies_if', lang)}: {r.applies_if.source}")
        doc = r.document(lang)
        console.print(f"      “{r.citation}”" + (f" — {doc} ({r.issued})" if doc else ""))
        if rs.extends:
            console.print(
                Text(f"      {t('set_in', lang)}: {_rule_origin(rs, r.id, lang)}", style="dim")
            )

    if rs.checks:
        console.print()
        console.print(Text(t("checks_title", lang), style="bold"))
        for c in rs.checks:
            line = Text(f"  {c.id}", style="bold")
            line.append(f"  {c.title(lang)}  ")
            line.append(f"[{t('check_' + c.severity, lang)}]", style="dim")
            console.print(line)
            console.print(f"      {c.expression.source}")
            if c.severity == "blocking":
                zh = lang == "zh"
                blocked = ("、" if zh else ", ").join(c.blocks) or t("blocks_nothing", lang)
                default = t("blocks_default", lang)
                how = "" if c.blocks_declared else (f"（{default}）" if zh else f" ({default})")
                console.print(f"      {t('blocks', lang)}{'：' if zh else ': '}{blocked}{how}")
    if rs.interpretations:
        console.print()
        console.print(Text(t("interpretations", lang), style="bold"))
        for p in rs.interpretations:
            console.print(f"  {p.label(lang)} = {value_text(p.value)}: {p.note(lang)}")
    if rs.progress is not None:
        pg = rs.progress
        console.print()
        share = f"{pg.share:.0%}"
        console.print(
            f"{t('progress_target', lang)}: "
            + t("progress_target_text", lang, share=share, rule=pg.rule, due=pg.due or "—")
            + f" ({pg.parameter})"
        )
