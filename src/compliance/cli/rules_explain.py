"""How ``compliance rules explain`` prints what a rule requires for given values."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from compliance.cli.rules_show import value_text
from compliance.labels import field_label, number, t, unit

if TYPE_CHECKING:
    from compliance.engine.requirement import Explanation
    from compliance.rules.model import Rule


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
        shown = ", ".join(f"{k} = {value_text(v)}" for k, v in ex.values.items())
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
            console.print(f"  {p.label(lang)} = {value_text(p.value)}: {p.note(lang)}")
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
    }.get(f["outcome"], t(f["outcome"], lang))
    figures = f"{number(f['actual'])} {r.compare} {number(f['required'])}"
    line = f"  {t('explain_result', lang)}: {figures} {verdict}"
    if f["shortfall"]:
        short = number(f["shortfall"])
        line += f"，缺 {short} {u}" if lang == "zh" else f", short {short} {u}"
        if f["total"] is not None:
            line += f" ({number(f['total'])} {unit(r.total_unit, lang)})"
    console.print(line)
