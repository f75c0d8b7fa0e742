"""A reference table at run time (``[lookups.NAME]``): its figures, and how a record
finds the one that applies to it.

A lookup never invents a figure: names match exactly (after full-width forms are
folded and spaces dropped), each figure only against the key field of its scope,
and only an empty cell is filled (see rules/README.md, ``[lookups.NAME]``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field


def region_key(text: str) -> str:
    """A region name as lookups compare it: full-width forms folded (NFKC) and
    whitespace dropped, nothing else. "金华市" and "金华市区" stay different names."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class LookupEntry:
    """One figure of a reference table: the unit it was published for, and its scope.

    ``scope`` is the record field the name is matched against: the table's first key
    field (the unit itself, e.g. a district) unless the rule set says the figure applies
    to a whole coarser unit (``scope = "city"``: every community of that city).
    """

    name: str
    value: float
    scope: str
    #: The year, source and standing of this figure: those of the table that wrote it
    #: (an extending rule set's figures carry its own, not the parent's).
    year: int | None = None
    source: str = ""
    illustrative: bool = False


@dataclass(frozen=True)
class LookupMiss:
    """Why a reference table has no figure for a record: the unit it was asked for
    (the finest key value the record gives; "" when it gives none)."""

    lookup: str
    field: str
    unit: str
    key_field: str | None


@dataclass(frozen=True)
class Lookup:
    """Fills an empty ``field`` from ``entries``, matched exactly against the ``key``
    fields, finest first; an entry matches only the field of its scope."""

    id: str
    field: str
    key: tuple[str, ...]
    entries: tuple[LookupEntry, ...]
    year: int | None = None
    source: str = ""
    illustrative: bool = False
    note_zh: str = ""
    note_en: str = ""
    _index: Mapping[tuple[str, str], LookupEntry] = dc_field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        index = {(e.scope, region_key(e.name)): e for e in self.entries}
        object.__setattr__(self, "_index", index)

    @property
    def values(self) -> Mapping[str, float]:
        """Entry name -> figure."""
        return {e.name: e.value for e in self.entries}

    def find(self, record_values: Mapping[str, object]) -> tuple[str, float] | None:
        """(key value used, figure) for a record, or None when no entry applies.

        Each key field (finest first) is tried against the entries of its own scope
        only, so a county (义乌市) never receives a figure published for a city proper
        (金华市区), nor a city-wide one unless an entry says it applies to the whole city.
        """
        hit = self.find_entry(record_values)
        return None if hit is None else (hit[0], hit[1].value)

    def find_entry(self, record_values: Mapping[str, object]) -> tuple[str, LookupEntry] | None:
        """(key value used, the entry) for a record, or None: :meth:`find` with the
        entry's year and source."""
        for k in self.key:
            raw = record_values.get(k)
            if raw is None or not str(raw).strip():
                continue
            hit = self._index.get((k, region_key(str(raw))))
            if hit is not None:
                return str(raw), hit
        return None

    def miss(self, record_values: Mapping[str, object]) -> LookupMiss:
        """Why :meth:`find` has no figure: the finest unit the record names."""
        for k in self.key:
            raw = record_values.get(k)
            if raw is not None and str(raw).strip():
                return LookupMiss(self.id, self.field, " ".join(str(raw).split()), k)
        return LookupMiss(self.id, self.field, "", None)
