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
    from compliance.findings import FindingsTable
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


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True, eq=False, init=False)
class CheckResult:
    """Everything one check of one input produced.

    ``table`` holds the findings as columns (:class:`compliance.findings.FindingsTable`);
    :attr:`results` is the same findings as record objects, built on first use.
    Giving ``results`` instead of a table (``dataclasses.replace(check,
    results=...)``, as waivers do) makes the table hold those findings as they are.
    """

    source: SourceInfo
    ruleset: RuleSet
    table: FindingsTable
    problems: tuple[DataProblem, ...] = ()
    #: The rules that were evaluated (all of the rule set unless some were selected).
    rules: tuple[Rule, ...] = ()
    checked_at: dt.datetime = field(default_factory=_now)
    options: Mapping[str, Any] = field(default_factory=dict)
    #: One result per sub-district for rules with level "subdistrict" (see
    #: :mod:`compliance.subdistricts`); the record is the sub-district.
    groups: tuple[RecordResult, ...] = ()

    def __init__(
        self,
        source: SourceInfo,
        ruleset: RuleSet,
        table: FindingsTable | None = None,
        problems: tuple[DataProblem, ...] = (),
        rules: tuple[Rule, ...] = (),
        checked_at: dt.datetime | None = None,
        options: Mapping[str, Any] | None = None,
        groups: tuple[RecordResult, ...] = (),
        *,
        results: tuple[RecordResult, ...] | None = None,
    ) -> None:
        if results is not None or table is None:
            from compliance.findings import FindingsTable

            if table is not None:
                ids = table.rules
            else:
                ids = tuple(r.id for r in rules if r.level == "community")
            table = FindingsTable.from_results(results or (), ids)
        put = object.__setattr__
        put(self, "source", source)
        put(self, "ruleset", ruleset)
        put(self, "table", table)
        put(self, "problems", problems)
        put(self, "rules", rules)
        put(self, "checked_at", checked_at if checked_at is not None else _now())
        put(self, "options", options if options is not None else {})
        put(self, "groups", groups)

    @property
    def results(self) -> tuple[RecordResult, ...]:
        """One :class:`RecordResult` per community, in input order (a compatibility
        view of :attr:`table`, built on first use)."""
        return self.table.results

    def with_results(self, results: tuple[RecordResult, ...]) -> CheckResult:
        """A copy whose findings are ``results`` as they are (waivers change some)."""
        from dataclasses import replace

        from compliance.findings import FindingsTable

        return replace(self, table=FindingsTable.from_results(results, self.table.rules))


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

    def _group_findings(self) -> list[Finding]:
        return [f for c in self.checks for rr in c.groups for f in rr.findings]

    def counts(self) -> list[RuleCount]:
        table = {r.id: dict.fromkeys((o.value for o in Outcome), 0) for r in self.rules}
        for c in self.checks:
            for rule, per in c.table.counts().items():
                if rule in table:
                    for outcome, n in per.items():
                        table[rule][outcome] += n
        for f in self._group_findings():
            table[f.rule][f.outcome.value] += 1
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
        for c in self.checks:
            for worst, n in c.table.worst().value_counts().iter_rows():
                out[Outcome(worst)] += n
        return out

    def _rules_with(self, outcome: Outcome) -> set[str]:
        """Ids of rules with error severity that have ``outcome`` somewhere."""
        errors = {r.id for r in self.rules if r.severity == "error"}
        hit = {f.rule for f in self._group_findings() if f.outcome is outcome}
        for c in self.checks:
            o = c.table.outcomes
            hit.update(o.filter(o["outcome"] == outcome.value)["rule"].unique().to_list())
        return hit & errors

    def failing_rules(self) -> set[str]:
        """Ids of rules with error severity that some record fails."""
        return self._rules_with(Outcome.FAIL)

    @property
    def has_failures(self) -> bool:
        return bool(self.failing_rules())

    @property
    def has_unknowns(self) -> bool:
        """Whether a rule of error severity is unknown somewhere (for ``--fail-on unknown``):
        a warning's unknown no more fails a run than its failure does."""
        return bool(self._rules_with(Outcome.UNKNOWN))
