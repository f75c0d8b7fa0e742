"""The rule set: each standard with its source sentence, deadline and what to do
about a shortfall, and the interpretation choices the figures depend on."""

from __future__ import annotations

from compliance import labels
from compliance.render.html import document
from compliance.render.html.text import esc, h
from compliance.render.shortfall import remediation
from compliance.results import Report
from compliance.rules.model import Rule


def _rule(rule: Rule, lang: str) -> str:
    facts = [f"<code>{esc(rule.id)}</code>", esc(labels.unit(rule.unit, lang))]
    if rule.severity != "error":
        facts.append(esc(labels.t(f"severity_{rule.severity}", lang)))
    if rule.level != "community":
        facts.append(esc(labels.t(f"level_{rule.level}", lang)))
    if rule.deadline:
        facts.append(esc(labels.t("due", lang, date=rule.deadline)))
    doc = rule.document(lang)
    source = f"{esc(doc)} {esc(rule.issued or '')}".strip()
    parts = [
        f'<div class="rule"><h3>{esc(rule.title(lang))}</h3>',
        f'<div class="mut">{" · ".join(facts)}</div>',
        f"<blockquote>{esc(rule.citation)}"
        + (f'<br><span class="mut">— {source}</span>' if source else "")
        + "</blockquote>",
    ]
    note = rule.note_zh if lang == "zh" else rule.note_en
    if note:
        parts.append(f'<p class="mut">{esc(note)}</p>')
    fix = remediation(rule, lang)
    if fix:
        parts.append(
            f'<div class="fix"><b>{h("remediation", lang)}</b>：{esc(fix)}</div>'
            if lang == "zh"
            else f'<div class="fix"><b>{h("remediation", lang)}</b>: {esc(fix)}</div>'
        )
    parts.append("</div>")
    return "".join(parts)


def ruleset(report: Report, lang: str) -> str:
    """The rule-set section."""
    rs = report.ruleset
    items = [(h("cover_ruleset", lang), esc(f"{rs.title(lang)} · {rs.label}"))]
    if rs.document(lang):
        items.append((h("document", lang), esc(f"{rs.document(lang)} {rs.issued or ''}".strip())))
    if rs.source_text(lang):
        items.append((h("source", lang), esc(rs.source_text(lang))))
    if report.as_of is not None:
        items.append((h("as_of", lang), esc(report.as_of.isoformat())))
    parts = [document.meta(items)]
    if rs.illustrative:
        parts.append(f'<p class="warn">{h("illustrative", lang)}</p>')
    notes = rs.notes_zh if lang == "zh" else rs.notes_en
    if notes:
        parts.append(f'<p class="mut">{esc(notes)}</p>')
    choices = rs.interpretations
    if choices:
        parts.append(f"<h3>{h('interpretations', lang)}</h3><ul>")
        parts += [
            f"<li><b>{esc(p.label(lang))}</b> = <code>{esc(p.value)}</code>: {esc(p.note(lang))}</li>"
            for p in choices
        ]
        parts.append("</ul>")
    parts += [_rule(r, lang) for r in report.rules]
    return document.titled("ruleset", "ruleset", lang, "".join(parts))
