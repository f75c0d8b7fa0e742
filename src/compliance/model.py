"""The data the checker produces: records read from a sheet, and findings about them.

Everything here is immutable. The reading layer makes :class:`Record` and
:class:`DataProblem`; evaluation makes :class:`Finding` and :class:`CheckResult`;
renderers only read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from compliance.rules.model import Rule, RuleSet
    from compliance.waivers import WaiverStatus


class Outcome(StrEnum):
    """The result of one rule for one record."""

    PASS = "pass"
    FAIL = "fail"
    #: A needed field is missing, empty or unreadable. Never counted as a pass.
    UNKNOWN = "unknown"
    #: The rule's ``applies_if`` is false for this record.
    NOT_APPLICABLE = "not_applicable"
    #: A waiver file excuses this failure (see ``--waivers``).
    WAIVED = "waived"
    #: The rule fails but its deadline is after the ``--as-of`` date.
    NOT_YET_DUE = "not_yet_due"

    def __str__(self) -> str:
        return self.value


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class DataProblem:
    """Something wrong with the input data, pinned to a cell ("Sheet1!E12")."""

    code: str
    cell: str
    message_zh: str
    message_en: str
    field: str | None = None
    raw: str | None = None
    row: int | None = None
    #: For a consistency check (code "review"): "blocking" (强制性) or "advisory" (提示性).
    severity: str | None = None
    #: For a consistency check: the id of the check in the rule set.
    check: str | None = None
    #: Every cell the problem names, ``cell`` first (a check or a swing names several).
    cells: tuple[str, ...] = ()

    def message(self, lang: str) -> str:
        return self.message_zh if lang == "zh" else self.message_en


@dataclass(frozen=True, slots=True)
class Record:
    """One community row.

    ``values`` maps field ids to parsed values (``None`` when the cell is empty
    or unreadable); ``cells`` maps field ids to the cell they came from;
    ``derived`` explains values that did not come straight from a cell
    ("pay_annual": "pay_monthly × 12").
    """

    source: str
    sheet: str
    row: int
    values: Mapping[str, Any]
    cells: Mapping[str, str]
    derived: Mapping[str, str] = field(default_factory=dict)

    def get(self, field_id: str) -> Any:
        return self.values.get(field_id)

    @property
    def name(self) -> str:
        return str(self.values.get("name") or self.values.get("id") or f"#{self.row}")

    @property
    def ref(self) -> str:
        return f"{self.sheet}!{self.row}" if self.sheet else f"row {self.row}"


class Finding(NamedTuple):
    """The outcome of one rule for one record, with the figures behind it.

    ``shortfall`` is in the rule's unit (m² short, workers short, yuan per
    worker short, uninsured workers) and is 0 for a pass; ``total`` is the
    shortfall times the rule's ``scale`` (yuan short for all of a community's
    workers), when the rule has one. ``derivation`` shows how the requirement
    was computed; ``reason`` says why an outcome is unknown or not applicable
    and names the cells; ``notes`` say where derived inputs came from.
    """

    rule: str
    outcome: Outcome
    actual: float | None
    required: float | None
    shortfall: float | None
    total: float | None
    derivation: str
    #: "" | "missing" | "not_applicable" | "error:<message>"
    reason: str = ""
    #: For a failure the cells measured; for an unknown the cells that lacked data.
    cells: tuple[str, ...] = ()
    #: Where derived inputs came from: "pay_annual=pay_monthly × 12",
    #: "local_avg_wage=lookup:local_avg_wage[婺城区, 2006]".
    notes: tuple[str, ...] = ()
    #: Field ids whose values were missing or unreadable (for UNKNOWN).
    missing: tuple[str, ...] = ()


_ATTENTION = frozenset({Outcome.FAIL, Outcome.UNKNOWN, Outcome.NOT_YET_DUE, Outcome.WAIVED})


@dataclass(frozen=True, slots=True)
class RecordResult:
    """A record and one finding per rule, in rule-set order."""

    record: Record
    findings: tuple[Finding, ...]

    @property
    def worst(self) -> Outcome:
        outcomes = {f.outcome for f in self.findings}
        for o in (Outcome.FAIL, Outcome.UNKNOWN):
            if o in outcomes:
                return o
        return Outcome.PASS

    @property
    def needs_attention(self) -> bool:
        """Some finding is not a plain pass: a failure, an unknown, or a shortfall
        that is waived or not yet due. Such records are listed even when only
        failures are asked for."""
        return any(f.outcome in _ATTENTION for f in self.findings)

    def finding(self, rule_id: str) -> Finding | None:
        for f in self.findings:
            if f.rule == rule_id:
                return f
        return None


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Where the records came from, and how the sheet was understood."""

    path: str
    sha256: str
    format: str
    sheet: str
    header_rows: tuple[int, ...]
    #: field id -> (column letter, header text as found)
    columns: Mapping[str, tuple[str, str]]
    unmatched_headers: tuple[str, ...] = ()
    notes_zh: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()

    def notes(self, lang: str) -> tuple[str, ...]:
        return self.notes_zh if lang == "zh" else self.notes_en


@dataclass(frozen=True, slots=True)
class SheetData:
    """What the reading layer gives evaluation: records plus what it noticed."""

    source: SourceInfo
    records: tuple[Record, ...]
    problems: tuple[DataProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleCount:
    rule: str
    passed: int = 0
    failed: int = 0
    unknown: int = 0
    not_applicable: int = 0
    waived: int = 0
    not_yet_due: int = 0

    @property
    def evaluated(self) -> int:
        return self.passed + self.failed


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Everything one check of one input produced."""

    source: SourceInfo
    ruleset: RuleSet
    results: tuple[RecordResult, ...]
    problems: tuple[DataProblem, ...] = ()
    #: The rules that were evaluated (all of the rule set unless some were selected).
    rules: tuple[Rule, ...] = ()
    checked_at: dt.datetime = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0)
    )
    options: Mapping[str, Any] = field(default_factory=dict)
    #: One result per sub-district for rules with level "subdistrict" (see
    #: :mod:`compliance.subdistricts`); the record is the sub-district.
    groups: tuple[RecordResult, ...] = ()


@dataclass(frozen=True, slots=True)
class InputFailure:
    """An input that could not be read at all; the rest of a batch still runs."""

    path: str
    message: str
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """One run: the checks of every input that could be read, and those that could not."""

    ruleset: RuleSet
    rules: tuple[Rule, ...]
    checks: tuple[CheckResult, ...]
    failures: tuple[InputFailure, ...] = ()
    started_at: dt.datetime = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0)
    )
    options: Mapping[str, Any] = field(default_factory=dict)
    #: The date deadlines were judged against (``--as-of``); None: no deadline applied.
    as_of: dt.date | None = None
    #: What became of each waiver given (see :mod:`compliance.waivers`).
    waivers: tuple[WaiverStatus, ...] = ()

    @property
    def groups(self) -> tuple[RecordResult, ...]:
        """Every sub-district result of every input (rules with level "subdistrict")."""
        return tuple(g for c in self.checks for g in c.groups)

    @property
    def results(self) -> tuple[RecordResult, ...]:
        """Every record result of every input, in input order."""
        if len(self.checks) == 1:
            return self.checks[0].results
        return tuple(rr for c in self.checks for rr in c.results)

    @property
    def problems(self) -> tuple[DataProblem, ...]:
        return tuple(p for c in self.checks for p in c.problems)

    def counts(self) -> list[RuleCount]:
        table = {r.id: dict.fromkeys(Outcome, 0) for r in self.rules}
        for rr in (*self.results, *self.groups):
            for f in rr.findings:
                table[f.rule][f.outcome] += 1
        return [
            RuleCount(
                rule=rid,
                passed=c[Outcome.PASS],
                failed=c[Outcome.FAIL],
                unknown=c[Outcome.UNKNOWN],
                not_applicable=c[Outcome.NOT_APPLICABLE],
                waived=c[Outcome.WAIVED],
                not_yet_due=c[Outcome.NOT_YET_DUE],
            )
            for rid, c in table.items()
        ]

    def overall(self) -> dict[Outcome, int]:
        """Records by their worst outcome over all rules."""
        out = dict.fromkeys((Outcome.PASS, Outcome.FAIL, Outcome.UNKNOWN), 0)
        for rr in self.results:
            out[rr.worst] += 1
        return out

    def failing_rules(self) -> set[str]:
        """Ids of rules with error severity that some record fails."""
        errors = {r.id for r in self.rules if r.severity == "error"}
        return {
            f.rule
            for rr in (*self.results, *self.groups)
            for f in rr.findings
            if f.outcome is Outcome.FAIL and f.rule in errors
        }

    @property
    def has_failures(self) -> bool:
        return bool(self.failing_rules())

    @property
    def has_unknowns(self) -> bool:
        """Whether a rule of error severity is unknown somewhere (for ``--fail-on unknown``):
        a warning's unknown no more fails a run than its failure does."""
        errors = {r.id for r in self.rules if r.severity == "error"}
        return any(
            f.outcome is Outcome.UNKNOWN and f.rule in errors
            for rr in (*self.results, *self.groups)
            for f in rr.findings
        )
