"""Which fields a rule set's template asks for, on which sheet, and their headers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from compliance.catalogue import Catalogue, Field, default_catalogue
from compliance.labels import unit as unit_label
from compliance.rules.model import Rule, RuleSet

IDENTITY = ("id", "name", "city", "district", "subdistrict")
_REGION = ("city", "district", "subdistrict")


@dataclass(frozen=True)
class TemplateLayout:
    """Which fields go on which sheet."""

    #: Fields of the community sheet, in column order.
    community: tuple[str, ...]
    #: Fields of the sub-district sheet (empty when no rule is checked per sub-district).
    subdistrict: tuple[str, ...]
    #: Field id -> the rules that read it.
    used_by: dict[str, tuple[Rule, ...]]
    #: Field id -> the lookup that can fill it when left blank.
    lookups: dict[str, str]


def layout(
    ruleset: RuleSet, rules: Sequence[Rule] | None = None, catalogue: Catalogue | None = None
) -> TemplateLayout:
    """The columns a rule set's template needs: identity and region fields, then
    every field a chosen rule reads, in rule order."""
    cat = catalogue or default_catalogue()
    chosen = tuple(rules if rules is not None else ruleset.rules)
    used_by: dict[str, list[Rule]] = {}
    community: dict[str, None] = dict.fromkeys(IDENTITY)
    subdistrict: dict[str, None] = {}
    for r in chosen:
        target = subdistrict if r.level == "subdistrict" else community
        if r.level == "subdistrict" and not subdistrict:
            target.update(dict.fromkeys(_REGION))
        # The scale too: a rule's total (yuan for all workers) needs it.
        for f in dict.fromkeys((*r.fields, *(r.scale.fields if r.scale else ()))):
            used_by.setdefault(f, []).append(r)
            target.setdefault(f, None)
    lookups = {lk.field: lk.id for lk in ruleset.lookups.values() if lk.field in community}
    return TemplateLayout(
        community=tuple(f for f in community if f in cat),
        subdistrict=tuple(f for f in subdistrict if f in cat),
        used_by={f: tuple(rs) for f, rs in used_by.items()},
        lookups=lookups,
    )


def header_text(field: Field, lang: str) -> str:
    """'工作服务用房面积(平方米)' / 'Premises area (m²)': the catalogue's name and its unit."""
    name = field.label(lang)
    u = unit_label(field.unit, lang) if field.unit else ""
    if not u or u.lower() in name.lower():
        # "Households (households)", "总户数(户)": the name already says it.
        return name
    return f"{name}({u})" if lang == "zh" else f"{name} ({u})"
