"""The rule-file format, as pydantic models.

These models describe what a TOML rule file may contain and validate it; they
hold expressions as text. :mod:`compliance.rules.loader` turns a validated file
into the runtime :class:`~compliance.rules.model.RuleSet` with compiled expressions.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from compliance.rules.checks import CheckSpec

FORMAT_VERSION = 1

_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def _partial_date(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and not _PARTIAL_DATE.match(value):
        raise ValueError("must be a date as YYYY, YYYY-MM or YYYY-MM-DD")
    return value


#: "2008", "2007-04" or "2007-04-01"; a year or month stands for its first day
#: when compared.
PartialDate = Annotated[str, BeforeValidator(_partial_date)]
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
RuleId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_.-]*$", max_length=64)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleSetInfo(_Model):
    """The ``[ruleset]`` table: what the rule set is and where it comes from."""

    id: RuleId
    version: Annotated[str, Field(min_length=1, max_length=32)]
    title_zh: str
    title_en: str
    region_zh: str = ""
    region_en: str = ""
    document_zh: str = ""
    document_en: str = ""
    issued: PartialDate | None = None
    source: str = ""
    #: Where the text was found, in each language (``source`` is shown when one is missing).
    source_zh: str = ""
    source_en: str = ""
    illustrative: bool = False
    notes_zh: str = ""
    notes_en: str = ""
    #: Another rule set (a name, or a path relative to this file) whose parameters,
    #: lookups and rules this one starts from; see :mod:`compliance.rules.inherit`.
    extends: str | None = None
    #: Rules of the extended rule set that this one leaves out.
    remove_rules: list[RuleId] = Field(default_factory=list)


class ParameterSpec(_Model):
    """A named value that rules use, such as the 350 m² minimum or a rounding choice."""

    value: float | int | str | bool
    zh: str = ""
    en: str = ""
    unit: str | None = None
    choices: list[float | int | str | bool] | None = None
    #: An interpretation choice the source text leaves open; always shown in output.
    interpretation: bool = False
    note_zh: str = ""
    note_en: str = ""

    @field_validator("value", mode="before")
    @classmethod
    def _finite(cls, v: object) -> object:
        if isinstance(v, float) and v != v:  # NaN
            raise ValueError("must be a number, not NaN")
        return v


class LookupEntrySpec(_Model):
    """A lookup entry written as a table: its figure and the field it is matched against."""

    value: float | int
    #: The key field the entry's name is matched against; default the lookup's first
    #: key field (the unit the figure was published for). ``"city"`` says the figure
    #: applies to every community of that city, whatever its district or county.
    scope: Identifier | None = None


class LookupSpec(_Model):
    """A reference table that fills a field the record leaves empty, keyed by region."""

    field: Identifier
    key: list[Identifier] = Field(min_length=1)
    values: dict[str, float | int | LookupEntrySpec]
    #: The default scope of the entries (a key field); default the first key field.
    scope: Identifier | None = None
    year: int | None = None
    source: str = ""
    illustrative: bool = False
    note_zh: str = ""
    note_en: str = ""


class FieldSpec(_Model):
    """A record field the rule file declares (``[fields.NAME]``): what a sheet's column
    holds, so that a new kind of standard (a facility checklist) needs no Python."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)
    #: The column headers it is recognised by (its zh and en name count too).
    headers: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    #: yes_no (是/否 → 1/0), count (a whole number), number, area (m²), money (yuan), text.
    kind: Literal["yes_no", "count", "number", "area", "money", "text"]
    #: The unit, where the kind has none of its own (a count of rooms: "rooms").
    unit: str | None = None
    description_zh: str = ""
    description_en: str = ""
    #: A value for the template's example row.
    example: str | int | float | bool | None = None


class RuleSpec(_Model):
    """One standard: what it measures, what it requires and where it comes from."""

    id: RuleId
    title_zh: str
    title_en: str
    short_zh: str = ""
    short_en: str = ""
    citation: str = Field(min_length=1, description="The quoted source sentence.")
    document_zh: str = ""
    document_en: str = ""
    issued: PartialDate | None = None
    unit: str
    severity: Literal["error", "warning"] = "error"
    level: Literal["community", "subdistrict"] = "community"
    measure: str = Field(min_length=1)
    require: str = Field(min_length=1)
    compare: Literal[">=", ">", "<=", "<", "=="] = ">="
    applies_if: str | None = None
    scale: str | None = None
    total_unit: str | None = None
    deadline: PartialDate | None = None
    #: Why the rule does not apply where ``applies_if`` is false, shown with that outcome.
    not_applicable_zh: str = ""
    not_applicable_en: str = ""
    #: Judge each worker of a per-worker roster against the requirement (pay: 确保其年收入…).
    per_worker: bool = False
    #: A shortfall up to this much still passes (基本达到, "basically reached"): an
    #: expression of parameters only, in the rule's unit; default none.
    tolerance: str | None = None
    #: field -> field: where a sheet has no column for the first, the second stands in
    #: (maternity: full_time_workers for female_workers), and every finding says so.
    stand_in: dict[Identifier, Identifier] = Field(default_factory=dict)
    #: An expression of parameters only: where true, the stand-ins are used on every
    #: sheet, column or not (maternity counted against all workers).
    stand_in_if: str | None = None
    note_zh: str = ""
    note_en: str = ""
    #: What an office does about a shortfall of this rule.
    remediation_zh: str = ""
    remediation_en: str = ""


class ProgressSpec(_Model):
    """The ``[progress]`` table: the gap-closure target that ``compliance progress`` tracks."""

    #: The rule whose shortfall is the gap (for zhejiang-2007, premises).
    rule: RuleId
    #: A parameter holding the share of the baseline gap to close, from 0 to 1.
    target: Identifier
    #: When the target is due ("2008-12" for the end of 2008).
    due: PartialDate | None = None
    note_zh: str = ""
    note_en: str = ""


class RuleSetFile(_Model):
    """A whole rule file (after any ``extends`` has been merged in)."""

    format: Literal[1] = 1
    ruleset: RuleSetInfo
    #: Record fields the file declares beside the built-in ones (see FieldSpec).
    fields: dict[Identifier, FieldSpec] = Field(default_factory=dict)
    parameters: dict[Identifier, ParameterSpec] = Field(default_factory=dict)
    lookups: dict[Identifier, LookupSpec] = Field(default_factory=dict)
    rules: list[RuleSpec] = Field(min_length=1)
    progress: ProgressSpec | None = None
    #: Consistency checks between fields (审核); see :mod:`compliance.rules.checks`.
    checks: list[CheckSpec] = Field(default_factory=list)
