"""One finding in a few words, for a cell comment or a report line.

``短 10 平方米（需 ≥ 350）`` / ``short 10 m² (needs ≥ 350)`` for a measured
shortfall; a staffing requirement computed from households says so, with its
rounding: ``少 1 人（2150 户需 6 人，向上取整）``. The annotated workbook and
the HTML report both use these, so a user reads the same words in each.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from compliance import labels
from compliance.model import Outcome

if TYPE_CHECKING:
    from compliance.rules.model import Rule

_SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}
#: Units counted in whole things: "少 1 人" reads right, "短 1 人" does not; English
#: says "1 worker short", with the noun in the singular where it is one.
_COUNTED = {
    "workers": ("worker", "workers"),
    "persons": ("person", "persons"),
    "centres": ("centre", "centres"),
    "facilities": ("facility", "facilities"),
}


def remediation(rule: Rule, lang: str) -> str:
    """What an office does about a shortfall of ``rule`` ("" when the rule file says nothing)."""
    return rule.remediation_zh if lang == "zh" else rule.remediation_en


def _rounding(derivation: str, lang: str) -> str:
    if "ceil(" in derivation:
        return "向上取整" if lang == "zh" else "rounded up"
    if "floor(" in derivation:
        return "向下取整" if lang == "zh" else "rounded down"
    return ""


def shortfall_words(
    finding: Mapping[str, Any], rule: Rule, households: Any = None, *, lang: str
) -> str:
    """A failing (or not-yet-due, or waived) finding, a row of the findings table, as
    a short phrase; "" for a pass (``households``: the community's, where the rule
    reads it)."""
    outcome = finding["outcome"]
    if outcome == Outcome.UNKNOWN or outcome == Outcome.NOT_APPLICABLE:
        return labels.reason_text(
            finding["reason"],
            finding["derivation"],
            finding["cells"],
            finding["notes"],
            finding["missing"],
            lang,
        )
    shortfall = finding["shortfall"]
    if shortfall is None or outcome == Outcome.PASS:
        return ""
    # A comment is read in a cell's margin: "m²" is shorter than "平方米" and as clear.
    unit = "m²" if rule.unit == "m2" else labels.unit(rule.unit, lang)
    short = labels.number(shortfall)
    need = labels.number(finding["required"])
    if "households" not in rule.fields:
        households = None
    counted = _COUNTED.get(rule.unit)
    if counted is not None and households is not None:
        how = _rounding(finding["derivation"], lang)
        # "2150 户", as a count is written in a sentence, not "2,150".
        hh = f"{households:g}" if isinstance(households, float) else str(households)
        if lang == "zh":
            tail = f"，{how}" if how else ""
            return f"少 {short} {unit}（{hh} 户需 {need} {unit}{tail}）"
        noun = counted[0] if shortfall == 1 else counted[1]
        tail = f", {how}" if how else ""
        return f"{short} {noun} short ({hh} households need {need}{tail})"
    cmp = _SYMBOL.get(rule.compare, rule.compare)
    if lang == "zh":
        verb = "短" if counted is None else "少"
        return f"{verb} {short} {unit}（需 {cmp} {need}）"
    if counted is not None:
        noun = counted[0] if shortfall == 1 else counted[1]
        return f"{short} {noun} short (needs {cmp} {need})"
    return f"short {short} {unit} (needs {cmp} {need})"
