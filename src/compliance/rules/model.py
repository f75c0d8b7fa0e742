"""Runtime rule sets: validated, with every expression compiled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path

from compliance.catalogue import Catalogue, Field, default_catalogue
from compliance.rules.checks import ConsistencyCheck
from compliance.rules.expressions import Expression, Value
from compliance.rules.inherit import Key, Origin
from compliance.rules.lookup_table import Lookup, LookupEntry, LookupMiss, region_key

__all__ = [
    "Lookup",
    "LookupEntry",
    "LookupMiss",
    "Parameter",
    "ProgressTarget",
    "Rule",
    "RuleSet",
    "partial_date",
    "region_key",
]


def partial_date(text: str) -> dt.date:
    """'2008' -> 2008-01-01; '2010-04' -> 2010-04-01; '2010-04-15' -> 2010-04-15."""
    parts = [int(p) for p in text.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


@dataclass(frozen=True)
class Parameter:
    id: str
    value: Value
    zh: str = ""
    en: str = ""
    unit: str | None = None
    choices: tuple[Value, ...] | None = None
    interpretation: bool = False
    note_zh: str = ""
    note_en: str = ""

    def label(self, lang: str) -> str:
        return (self.zh if lang == "zh" else self.en) or self.id

    def note(self, lang: str) -> str:
        return self.note_zh if lang == "zh" else self.note_en


@dataclass(frozen=True)
class Rule:
    """One standard, ready to evaluate."""

    id: str
    title_zh: str
    title_en: str
    short_zh: str
    short_en: str
    citation: str
    document_zh: str
    document_en: str
    issued: str | None
    unit: str
    severity: str
    level: str
    measure: Expression
    require: Expression
    compare: str
    applies_if: Expression | None
    scale: Expression | None
    total_unit: str | None
    deadline: str | None
    note_zh: str = ""
    note_en: str = ""
    #: Why the rule does not apply where ``applies_if`` is false ("no full-time workers").
    not_applicable_zh: str = ""
    not_applicable_en: str = ""
    #: Judged worker by worker where a roster gives each worker's value of the measure:
    #: it fails if any worker falls short; the total is the sum of their shortfalls.
    per_worker: bool = False
    #: What an office does about a shortfall (shown with failures in reports).
    remediation_zh: str = ""
    remediation_en: str = ""
    #: A shortfall up to this much (in the rule's unit) still passes; 0 for none.
    tolerance: float = 0.0
    #: The parameter expression the tolerance came from ("premises_tolerance_m2").
    tolerance_source: str = ""
    #: field -> field that stands in for it where a sheet has no column for it.
    stand_in: Mapping[str, str] = dc_field(default_factory=dict)
    #: The stand-ins are used on every sheet (the rule set's ``stand_in_if`` holds).
    stand_in_always: bool = False

    @property
    def expression_fields(self) -> tuple[str, ...]:
        """Every record field the rule's expressions read."""
        seen: dict[str, None] = {}
        for e in (self.applies_if, self.measure, self.require):
            if e is not None:
                seen.update(dict.fromkeys(e.fields))
        return tuple(seen)

    def fields_for(self, columns: AbstractSet[str] | None) -> tuple[str, ...]:
        """The fields the outcome depends on for a sheet with ``columns`` (None: as if it
        had them all): a stand-in replaces a field the sheet has no column for."""
        use = self.stand_ins(columns)
        return tuple(dict.fromkeys(use.get(f, f) for f in self.expression_fields))

    def stand_ins(self, columns: AbstractSet[str] | None) -> dict[str, str]:
        """The stand-ins used on a sheet with ``columns`` (None: as if it had them all)."""
        if self.stand_in_always:
            return dict(self.stand_in)
        if columns is None:
            return {}
        return {f: sub for f, sub in self.stand_in.items() if f not in columns}

    @property
    def fields(self) -> tuple[str, ...]:
        """Record fields the outcome depends on: a missing one makes it unknown. A field
        with a stand-in counts as its stand-in (the sheet need not have its column)."""
        return self.fields_for(frozenset())

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def short(self, lang: str) -> str:
        return (self.short_zh if lang == "zh" else self.short_en) or self.title(lang)

    def document(self, lang: str) -> str:
        return self.document_zh if lang == "zh" else self.document_en

    @property
    def deadline_date(self) -> dt.date | None:
        return partial_date(self.deadline) if self.deadline else None


@dataclass(frozen=True)
class ProgressTarget:
    """The gap-closure target of ``[progress]``: close ``share`` of ``rule``'s gap by ``due``."""

    rule: str
    parameter: str
    share: float
    due: str | None = None
    note_zh: str = ""
    note_en: str = ""

    def note(self, lang: str) -> str:
        return self.note_zh if lang == "zh" else self.note_en


@dataclass(frozen=True)
class RuleSet:
    """A loaded rule set: its identity, parameters, lookups and rules."""

    id: str
    version: str
    title_zh: str
    title_en: str
    region_zh: str
    region_en: str
    document_zh: str
    document_en: str
    issued: str | None
    source: str
    illustrative: bool
    notes_zh: str
    notes_en: str
    parameters: Mapping[str, Parameter]
    lookups: Mapping[str, Lookup]
    rules: tuple[Rule, ...]
    path: Path | None = None
    sha256: str = ""
    #: The rule sets this one extends, nearest first ("zhejiang-2007").
    extends: tuple[str, ...] = ()
    #: Where each value came from (see :mod:`compliance.rules.inherit`); keys such as
    #: ("parameters", "min_premises_m2", "value") or ("rules", "premises", "deadline").
    origins: Mapping[Key, Origin] = dc_field(default_factory=dict, repr=False)
    progress: ProgressTarget | None = None
    #: Consistency checks between fields (审核), in file order.
    checks: tuple[ConsistencyCheck, ...] = ()
    #: ``source`` in each language, where the file gives it.
    source_zh: str = ""
    source_en: str = ""
    #: Record fields the rule file declares (``[fields.*]``), in file order.
    declared: tuple[Field, ...] = ()
    #: The fields its records may hold: the built-in catalogue and the declared fields.
    catalogue: Catalogue = dc_field(default_factory=default_catalogue, repr=False)

    def origin(self, *key: str) -> Origin | None:
        """Where a value came from, or None for a rule set loaded without origins."""
        for cut in range(len(key), 0, -1):
            hit = self.origins.get(key[:cut])
            if hit is not None:
                return hit
        return None

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def document(self, lang: str) -> str:
        return self.document_zh if lang == "zh" else self.document_en

    def source_text(self, lang: str) -> str:
        """Where the text was found, in ``lang`` (the plain ``source`` if not given in it)."""
        return (self.source_zh if lang == "zh" else self.source_en) or self.source

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    @property
    def interpretations(self) -> tuple[Parameter, ...]:
        """Parameters that record a reading of the source text, to show in every report."""
        return tuple(p for p in self.parameters.values() if p.interpretation)

    @property
    def fields(self) -> tuple[str, ...]:
        """Every record field some rule's outcome depends on, in rule order."""
        seen: dict[str, None] = {}
        for r in self.rules:
            seen.update(dict.fromkeys(r.fields))
        return tuple(seen)

    @property
    def label(self) -> str:
        return f"{self.id} {self.version}"
