"""A rule prepared for one sheet: which fields it reads there, and what it says.

A rule may name a field with a stand-in (``stand_in = { female_workers =
"full_time_workers" }``): on a sheet without a column for the first, the second
is read instead and every finding notes it. :class:`RulePlan` holds that
choice, so that outcomes and explanations read the same columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from compliance import labels
from compliance.rules.model import Rule


@dataclass(frozen=True)
class RulePlan:
    rule: Rule
    #: The fields the outcome depends on here: a null one makes it unknown.
    fields: tuple[str, ...]
    #: field -> the column read for it (its stand-in).
    rename: Mapping[str, str]
    #: Notes every finding of the rule carries on this sheet.
    static_notes: tuple[str, ...]
    #: The reason of a not-applicable finding.
    na_reason: str

    @property
    def id(self) -> str:
        return self.rule.id

    def column(self, field_id: str) -> str:
        return self.rename.get(field_id, field_id)

    def columns(self, fields: Iterable[str]) -> list[str]:
        """The distinct columns that ``fields`` read, in order."""
        return list(dict.fromkeys(self.column(f) for f in fields))


def plan(rule: Rule, columns: AbstractSet[str]) -> RulePlan:
    """``rule`` for a sheet whose mapped fields are ``columns``."""
    rename = rule.stand_ins(columns)
    na = (
        f"not_applicable:{rule.not_applicable_zh}|{rule.not_applicable_en}"
        if rule.not_applicable_zh or rule.not_applicable_en
        else "not_applicable"
    )
    return RulePlan(
        rule,
        rule.fields_for(columns),
        rename,
        tuple(f"{f}=stand_in:{sub}" for f, sub in rename.items()),
        na,
    )


def stand_in_notes(
    rules: Sequence[Rule], columns: AbstractSet[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Sheet notes (Chinese, English) for every stand-in used: which count a rule is
    judged against because the sheet has no column for the one it names."""
    zh: list[str] = []
    en: list[str] = []
    for r in rules:
        for f, sub in r.stand_ins(columns).items():
            f_zh, sub_zh = labels.field_label(f, "zh"), labels.field_label(sub, "zh")
            f_en, sub_en = (
                labels.field_label(f, "en").lower(),
                labels.field_label(sub, "en").lower(),
            )
            if f not in columns:
                zh.append(f"{r.short('zh')}：表中没有“{f_zh}”列，按{sub_zh}计")
                en.append(
                    f"{r.short('en')}: the sheet has no {f_en} column, "
                    f"so it is counted against {sub_en}"
                )
            else:
                zh.append(f"{r.short('zh')}：按规则集口径以{sub_zh}代替{f_zh}计")
                en.append(
                    f"{r.short('en')}: counted against {sub_en}, not {f_en} (rule-set reading)"
                )
    return tuple(zh), tuple(en)
