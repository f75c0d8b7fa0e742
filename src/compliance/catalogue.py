"""The field catalogue: which record fields exist and the headers that name them.

The catalogue is data (``data/fields.toml``). This module loads it once and
answers two questions for the reader: which field does this header name, and
which field did the user probably mean.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Literal

FieldType = Literal["text", "integer", "number", "flag", "date"]
FIELD_TYPES: tuple[FieldType, ...] = ("text", "integer", "number", "flag", "date")
REGION_LEVELS = ("city", "district", "subdistrict")


@dataclass(frozen=True, slots=True)
class Annualise:
    """A per-month field that stands in for a per-year one (value × factor)."""

    into: str
    factor: float


@dataclass(frozen=True, slots=True)
class Field:
    """One record field: its type, unit, display names and recognised headers."""

    id: str
    type: FieldType
    zh: str
    en: str
    headers: tuple[str, ...]
    unit: str | None = None
    role: str | None = None
    level: str | None = None
    annualise: Annualise | None = None
    #: A value of 0 or less is a data problem, not a figure (a wage).
    positive: bool = False
    #: A 合计/小计 row sums this figure over its communities (not an average or a rate).
    additive: bool = False
    description_zh: str = ""
    description_en: str = ""
    example: object = None

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def is_numeric(self) -> bool:
        return self.type in ("integer", "number")


# A trailing bracketed unit, closed or not: "(m2)", "(㎡)", "(平方米)", "(元/月", "(人)".
_UNIT_SUFFIX = re.compile(r"\([^()]*\)?$")
_DROP = re.compile(r"[\s*:：※]+")


def normalise_header(text: object) -> str:
    """Reduce a header cell to a comparable key.

    Full-width forms become half-width (NFKC: "（㎡）" -> "(m2)"), letters are
    lower-cased and whitespace, line breaks, colons and required-field stars
    are dropped.
    """
    s = unicodedata.normalize("NFKC", str(text)).lower()
    s = s.replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    return _DROP.sub("", s)


def strip_unit(key: str) -> str:
    """Drop a trailing unit in brackets from a normalised header key."""
    stripped = _UNIT_SUFFIX.sub("", key)
    return stripped or key


class Catalogue:
    """All known fields, indexed by normalised header."""

    def __init__(self, fields: Iterable[Field]) -> None:
        self.fields: dict[str, Field] = {f.id: f for f in fields}
        # Exact normalised headers win over unit-stripped ones, so that
        # "人均报酬(元/月)" can name the monthly field while "人均报酬" alone does not.
        self._exact: dict[str, str] = {}
        stripped: dict[str, set[str]] = {}
        for f in self.fields.values():
            for h in (*f.headers, f.zh, f.en, f.id):
                key = normalise_header(h)
                self._exact.setdefault(key, f.id)
                stripped.setdefault(strip_unit(key), set()).add(f.id)
        # A unit-less key shared by two fields ("人均报酬" for monthly and annual
        # pay) is ambiguous, so only the exact form can name either.
        self._stripped = {k: next(iter(v)) for k, v in stripped.items() if len(v) == 1}

    def __getitem__(self, field_id: str) -> Field:
        return self.fields[field_id]

    def __contains__(self, field_id: object) -> bool:
        return field_id in self.fields

    def match(self, header: object) -> str | None:
        """The field a header names, or None."""
        return self.match_key(normalise_header(header))

    def match_key(self, key: str) -> str | None:
        """The field a normalised header key (see :func:`normalise_header`) names, or None."""
        if not key:
            return None
        hit = self._exact.get(key)
        if hit is None:
            hit = self._stripped.get(strip_unit(key) if "(" in key else key)
        return hit

    def may_begin(self, key: str) -> bool:
        """Whether a normalised key that starts with ``key`` could name a field.

        True when ``key`` begins some known key, or a known unit-less key followed
        by a bracketed unit. The header search uses it to skip joining a cell to
        the cells below it when no joined text could match.
        """
        if key in self._prefixes:
            return True
        at = key.find("(")
        while at >= 0:
            if key[:at] in self._stripped:
                return True
            at = key.find("(", at + 1)
        return False

    @cached_property
    def _prefixes(self) -> frozenset[str]:
        return frozenset(k[:n] for k in (*self._exact, *self._stripped) for n in range(len(k) + 1))

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """Field ids whose id or headers are closest to ``text``."""
        key = strip_unit(normalise_header(text))
        pool: dict[str, str] = {}
        for k, fid in (*self._stripped.items(), *((f, f) for f in self.fields)):
            pool.setdefault(k, fid)
        close = difflib.get_close_matches(key, list(pool), n=n * 3, cutoff=0.5)
        out: list[str] = []
        for k in close:
            if pool[k] not in out:
                out.append(pool[k])
        return out[:n]

    def extended(self, fields: Iterable[Field]) -> Catalogue:
        """This catalogue with more fields (a rule set's ``[fields.*]``), matched after
        this catalogue's own: an added header never takes a known one."""
        return Catalogue((*self.fields.values(), *fields))


def _field_from_toml(fid: str, raw: Mapping[str, object]) -> Field:
    ann = raw.get("annualise")
    annualise = None
    if isinstance(ann, Mapping):
        annualise = Annualise(into=str(ann["into"]), factor=float(ann["factor"]))
    ftype = str(raw["type"])
    if ftype not in FIELD_TYPES:
        raise ValueError(f"field {fid!r}: unknown type {ftype!r}")
    headers = raw.get("headers", [])
    assert isinstance(headers, list)
    return Field(
        id=fid,
        type=ftype,
        zh=str(raw["zh"]),
        en=str(raw["en"]),
        headers=tuple(str(h) for h in headers),
        unit=str(raw["unit"]) if "unit" in raw else None,
        role=str(raw["role"]) if "role" in raw else None,
        level=str(raw["level"]) if "level" in raw else None,
        annualise=annualise,
        positive=bool(raw.get("positive", False)),
        additive=bool(raw.get("additive", False)),
        description_zh=str(raw.get("description_zh", "")),
        description_en=str(raw.get("description_en", "")),
        example=raw.get("example"),
    )


#: What a rule file's ``[fields.NAME]`` may declare (``kind``): the catalogue type and
#: the unit each kind stands for.
DECLARED_KINDS: dict[str, tuple[FieldType, str | None]] = {
    "yes_no": ("flag", None),
    "count": ("integer", None),
    "number": ("number", None),
    "area": ("number", "m2"),
    "money": ("number", "yuan"),
    "text": ("text", None),
}

#: Fields declared by the rule sets loaded in this process, by id: only for naming them
#: in words (:func:`field_named`). Reading and checking use the rule set's own
#: :attr:`~compliance.rules.model.RuleSet.catalogue`.
_DECLARED: dict[str, Field] = {}


def remember_declared(fields: Iterable[Field]) -> None:
    """Let reports name fields a loaded rule set declared (the latest declaration wins)."""
    for f in fields:
        _DECLARED[f.id] = f


def field_named(field_id: str) -> Field | None:
    """A built-in field, or one a loaded rule set declared; None for an unknown id."""
    cat = default_catalogue()
    return cat[field_id] if field_id in cat else _DECLARED.get(field_id)


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the package."""
    text = resources.files("compliance").joinpath("data/fields.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return Catalogue(_field_from_toml(fid, raw) for fid, raw in data["fields"].items())
