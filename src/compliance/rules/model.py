"""Runtime rule sets: validated, with every expression compiled."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path

from compliance.rules.checks import ConsistencyCheck
from compliance.rules.expressions import Expression, Value
from compliance.rules.inherit import Key, Origin


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


def _region_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class Lookup:
    """Fills ``field`` from ``values`` by the first of ``key`` fields that has an entry."""

    id: str
    field: str
    key: tuple[str, ...]
    values: Mapping[str, float]
    year: int | None = None
    source: str = ""
    illustrative: bool = False
    note_zh: str = ""
    note_en: str = ""
    _index: Mapping[str, float] = dc_field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, float] = {}
        for k, v in self.values.items():
            key = _region_key(k)
            index[key] = v
            # "婺城区" is also found as "婺城", and "婺城" as "婺城区".
            index.setdefault(key.rstrip("区县市"), v)
        object.__setattr__(self, "_index", index)

    def find(self, record_values: Mapping[str, object]) -> tuple[str, float] | None:
        """(key value used, looked-up value) for a record, or None."""
        for k in self.key:
            raw = record_values.get(k)
            if not raw:
                continue
            key = _region_key(str(raw))
            hit = self._index.get(key)
            if hit is None:
                hit = self._index.get(key.rstrip("区县市"))
            if hit is not None:
                return str(raw), hit
        return None


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

    @property
    def fields(self) -> tuple[str, ...]:
        """Record fields the outcome depends on: a missing one makes it unknown."""
        seen: dict[str, None] = {}
        for e in (self.applies_if, self.measure, self.require):
            if e is not None:
                seen.update(dict.fromkeys(e.fields))
        return tuple(seen)

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
