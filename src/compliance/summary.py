"""The shortfall summary: how big the gap is, where it is, and what closing it would take.

:func:`summarise` rolls a :class:`~compliance.results.Report` up by region (city,
district or sub-district). For each region and for the whole run it counts the
communities that comply with every rule, and per rule the failing and unknown
communities and the total shortfall in the rule's unit (m² of premises missing,
workers missing, uninsured workers), or for a rule with a scale (pay) in its total
unit only: yuan for all workers. Per-worker yuan shortfalls are never added up
across communities. Where a unit
cost of premises is known it prices the premises gap.

Unknowns are counted and shown, but never add to a shortfall and never count as
compliance. Everything here is immutable data; renderers turn it into text.

>>> from compliance import api
>>> from compliance.summary import summarise
>>> s = summarise(api.check_files(["samples/jinhua-2007.xlsx"]), by="district")  # doctest: +SKIP
>>> s.total.rule("premises").failed  # doctest: +SKIP
68
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from compliance.errors import UsageError
from compliance.model import Outcome, RecordResult
from compliance.results import Report

if TYPE_CHECKING:
    from compliance.rules.model import Rule, RuleSet

__all__ = [
    "COST_PARAMETER",
    "CostBasis",
    "Level",
    "RegionSummary",
    "RuleTotals",
    "Summary",
    "cost_basis",
    "gap_rule",
    "gap_shares",
    "present_levels",
    "summarise",
]

#: The rule-set parameter holding the cost of premises in yuan per m².
COST_PARAMETER = "premises_cost_per_m2"


class Level(StrEnum):
    """A level of the administrative hierarchy, coarsest first."""

    CITY = "city"
    DISTRICT = "district"
    SUBDISTRICT = "subdistrict"

    def __str__(self) -> str:
        return self.value


#: Coarsest first; also the record fields that hold each level's name.
LEVELS: tuple[Level, ...] = (Level.CITY, Level.DISTRICT, Level.SUBDISTRICT)


@dataclass(frozen=True, slots=True)
class RuleTotals:
    """One rule over the communities of one region."""

    rule: str
    #: The rule's unit ("m2", "workers", "yuan/worker").
    unit: str
    #: The unit of the scaled total ("yuan"), when the rule has a scale.
    total_unit: str | None
    #: Communities in the region (the denominator of the shares); sub-districts for a
    #: rule checked per sub-district (level "subdistrict").
    communities: int
    passed: int = 0
    failed: int = 0
    unknown: int = 0
    not_applicable: int = 0
    waived: int = 0
    not_yet_due: int = 0
    #: Sum of the failing communities' shortfalls, in :attr:`unit`; None for a rule with
    #: a scale (pay), whose per-worker shortfalls of different communities do not add
    #: up to anything: its gap is :attr:`total` (yuan).
    shortfall: float | None = 0.0
    #: Sum of the failing communities' scaled totals (yuan for all their workers),
    #: or None when the rule has no scale.
    total: float | None = None
    #: Failing communities whose scaled total could not be computed (the scale
    #: field is empty), so :attr:`total` leaves them out.
    unscaled: int = 0
    #: Shortfalls that exist but are not failures: the deadline has not passed, or waived
    #: (None for a rule with a scale, as :attr:`shortfall`).
    not_yet_due_shortfall: float | None = 0.0
    waived_shortfall: float | None = 0.0
    #: The scaled totals of the not-yet-due and waived shortfalls, when the rule has a scale.
    not_yet_due_total: float | None = None
    waived_total: float | None = None

    @property
    def fail_share(self) -> float | None:
        """Failing communities as a share of all communities in the region."""
        return self.failed / self.communities if self.communities else None

    @property
    def short(self) -> int:
        """Communities below the standard that are not excused: failing or not yet due."""
        return self.failed + self.not_yet_due

    @property
    def short_share(self) -> float | None:
        return self.short / self.communities if self.communities else None

    @property
    def gap(self) -> float:
        """What remains to close, in :attr:`gap_unit`: the scaled total where the rule has
        one (yuan), else the shortfall; over failing and not-yet-due communities (a
        deadline still ahead does not make a gap smaller), never over waived ones."""
        if self.total is not None:
            return self.total + (self.not_yet_due_total or 0.0)
        return (self.shortfall or 0.0) + (self.not_yet_due_shortfall or 0.0)

    @property
    def pending_gap(self) -> float:
        """The gap of the not-yet-due communities, in :attr:`gap_unit`."""
        if self.total is not None:
            return self.not_yet_due_total or 0.0
        return self.not_yet_due_shortfall or 0.0

    @property
    def gap_unit(self) -> str:
        return self.total_unit if self.total is not None and self.total_unit else self.unit


@dataclass(frozen=True, slots=True)
class RegionSummary:
    """The communities of one region (or of the whole run, with an empty key)."""

    #: The region's names at each of :attr:`Summary.levels`; () for the total.
    #: "" stands for a community that gives no name at that level.
    key: tuple[str, ...]
    communities: int
    #: Communities that pass every rule (not applicable and waived count as passing).
    compliant: int
    #: Communities that fail at least one rule.
    failing: int
    #: Communities with no failure but at least one unknown.
    unknown: int
    rules: tuple[RuleTotals, ...]
    #: Yuan to close the premises gap, when a unit cost is known.
    cost: float | None = None
    #: Communities with no failure or unknown, but short of a rule not yet due.
    pending: int = 0

    @property
    def name(self) -> str:
        return self.key[-1] if self.key else ""

    @property
    def compliant_share(self) -> float | None:
        return self.compliant / self.communities if self.communities else None

    def rule(self, rule_id: str) -> RuleTotals:
        for r in self.rules:
            if r.rule == rule_id:
                return r
        raise KeyError(rule_id)


@dataclass(frozen=True, slots=True)
class CostBasis:
    """Where the unit cost of premises came from."""

    #: Yuan per m².
    per_m2: float
    #: The rule whose shortfall (m²) is priced.
    rule: str
    origin: Literal["option", "ruleset"]
    #: The rule-set parameter, for origin "ruleset".
    parameter: str | None = None
    #: The rule set's note on the figure (its source), if any.
    note_zh: str = ""
    note_en: str = ""

    def note(self, lang: str) -> str:
        return self.note_zh if lang == "zh" else self.note_en


@dataclass(frozen=True, slots=True)
class Summary:
    """A report rolled up by region."""

    #: The level regions are grouped by; None when the data names no region at all.
    by: Level | None
    #: The levels that name a region, coarsest first, ending with :attr:`by`. A
    #: coarser level is included when the data has more than one value for it,
    #: so that same-named sub-districts of different districts stay apart.
    levels: tuple[Level, ...]
    rules: tuple[Rule, ...]
    total: RegionSummary
    #: In the order each region first appears in the data.
    regions: tuple[RegionSummary, ...]
    cost: CostBasis | None = None
    #: The rule regions are ranked by by default: the premises (m²) rule, if any.
    headline_rule: str | None = None
    #: The input files that were checked, for the cover of a report.
    inputs: tuple[str, ...] = field(default=())

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def ranking(self, rule: str | None = None, top: int | None = None) -> tuple[RegionSummary, ...]:
        """Regions with a gap in ``rule`` (default :attr:`headline_rule`), largest first.

        Ties go to the region with more communities short, then to data order.
        """
        rid = rule or self.headline_rule
        if rid is None:
            return ()
        order = {r.key: i for i, r in enumerate(self.regions)}
        ranked = sorted(
            (r for r in self.regions if r.rule(rid).gap > 0),
            key=lambda r: (-r.rule(rid).gap, -r.rule(rid).short, order[r.key]),
        )
        return tuple(ranked[:top] if top is not None else ranked)


def gap_rule(rules: Iterable[Rule]) -> Rule | None:
    """The rule whose gap is priced and ranked: ``premises`` or else the first rule in m²."""
    rules = tuple(rules)
    for r in rules:
        if r.id == "premises":
            return r
    for r in rules:
        if r.unit == "m2":
            return r
    return None


def cost_basis(
    ruleset: RuleSet, rules: Iterable[Rule], cost_per_m2: float | None = None
) -> CostBasis | None:
    """The unit cost to price the premises gap with: ``cost_per_m2`` if given, else the
    rule set's :data:`COST_PARAMETER`, else None (and no cost is shown)."""
    target = gap_rule(rules)
    if cost_per_m2 is not None:
        if not math.isfinite(cost_per_m2) or cost_per_m2 < 0:
            raise UsageError(f"--cost-per-m2 {cost_per_m2}: must be a number ≥ 0")
        if target is None:
            raise UsageError("--cost-per-m2: no evaluated rule is measured in m²")
        return CostBasis(per_m2=float(cost_per_m2), rule=target.id, origin="option")
    param = ruleset.parameters.get(COST_PARAMETER)
    if param is None or target is None:
        return None
    value = param.value
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise UsageError(
            f"parameter {COST_PARAMETER} must be a number ≥ 0 (yuan per m²), not {value!r}",
        )
    return CostBasis(
        per_m2=float(value),
        rule=target.id,
        origin="ruleset",
        parameter=COST_PARAMETER,
        note_zh=param.note_zh,
        note_en=param.note_en,
    )


def present_levels(report: Report) -> tuple[Level, ...]:
    """The region levels some input has a column for, coarsest first."""
    mapped: set[str] = set()
    for c in report.checks:
        mapped.update(c.source.columns)
    return tuple(lv for lv in LEVELS if lv.value in mapped)


def _name(rr: RecordResult, level: Level) -> str:
    value = rr.record.values.get(level.value)
    return "" if value is None else " ".join(str(value).split())


def _distinct(results: Iterable[RecordResult], level: Level) -> int:
    return len({_name(rr, level) for rr in results})


def _choose_levels(
    report: Report, by: Level | str | None
) -> tuple[Level | None, tuple[Level, ...]]:
    present = present_levels(report)
    results = report.results
    if by is None:
        if not present:
            return None, ()
        # The coarsest level that tells regions apart; a level with one value
        # (a single city's returns) would give a table of one row.
        level = next((lv for lv in present if _distinct(results, lv) > 1), present[-1])
    else:
        try:
            level = Level(by)
        except ValueError:
            raise UsageError(
                f"--by {by!r}: choose one of {', '.join(lv.value for lv in LEVELS)}"
            ) from None
        if level not in present:
            where = ", ".join(c.source.path for c in report.checks) or None
            raise UsageError(
                f"--by {level}: the data has no {level} column "
                f"(found: {', '.join(lv.value for lv in present) or 'no region columns'})",
                where=where,
            )
    coarser = [lv for lv in present if LEVELS.index(lv) < LEVELS.index(level)]
    return level, (*(lv for lv in coarser if _distinct(results, lv) > 1), level)


class _RuleAcc:
    """Mutable running totals for one rule in one region."""

    __slots__ = ("counts", "scaled", "short", "total", "unscaled")

    def __init__(self, scaled: bool) -> None:
        self.counts: dict[Outcome, int] = dict.fromkeys(Outcome, 0)
        self.short: dict[Outcome, float] = dict.fromkeys(Outcome, 0.0)
        self.total: dict[Outcome, float] = dict.fromkeys(Outcome, 0.0)
        self.scaled = scaled
        self.unscaled = 0


#: How a community stands over all rules, worst first.
_STANDING = (Outcome.FAIL, Outcome.UNKNOWN, Outcome.NOT_YET_DUE, Outcome.PASS)


def _standing(rr: RecordResult) -> Outcome:
    """Failing, else unknown, else not yet due, else compliant. Unlike the exit code, a
    shortfall whose deadline is still ahead does not count as complying."""
    outcomes = {f.outcome for f in rr.findings}
    for o in _STANDING[:-1]:
        if o in outcomes:
            return o
    return Outcome.PASS


class _RegionAcc:
    __slots__ = ("communities", "rules", "subdistricts", "worst")

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.communities = 0
        self.subdistricts = 0
        self.worst: dict[Outcome, int] = dict.fromkeys(_STANDING, 0)
        self.rules = {r.id: _RuleAcc(r.scale is not None) for r in rules}

    def add_subdistrict(self, rr: RecordResult) -> None:
        """A sub-district's result for the rules checked per sub-district (see
        :mod:`compliance.subdistricts`): counted in sub-districts, not communities."""
        self.subdistricts += 1
        self._findings(rr)

    def add(self, rr: RecordResult) -> None:
        self.communities += 1
        self.worst[_standing(rr)] += 1
        self._findings(rr)

    def _findings(self, rr: RecordResult) -> None:
        for f in rr.findings:
            acc = self.rules.get(f.rule)
            if acc is None:
                continue
            acc.counts[f.outcome] += 1
            if f.shortfall and f.outcome in (Outcome.FAIL, Outcome.NOT_YET_DUE, Outcome.WAIVED):
                acc.short[f.outcome] += f.shortfall
            if acc.scaled and f.outcome in (Outcome.FAIL, Outcome.NOT_YET_DUE, Outcome.WAIVED):
                if f.total is not None:
                    acc.total[f.outcome] += f.total
                elif f.outcome is Outcome.FAIL:
                    acc.unscaled += 1

    def freeze(
        self, key: tuple[str, ...], rules: tuple[Rule, ...], cost: CostBasis | None
    ) -> RegionSummary:
        totals = []
        for r in rules:
            a = self.rules[r.id]
            c = a.counts
            totals.append(
                RuleTotals(
                    rule=r.id,
                    unit=r.unit,
                    total_unit=r.total_unit,
                    communities=(
                        self.subdistricts if r.level == "subdistrict" else self.communities
                    ),
                    passed=c[Outcome.PASS],
                    failed=c[Outcome.FAIL],
                    unknown=c[Outcome.UNKNOWN],
                    not_applicable=c[Outcome.NOT_APPLICABLE],
                    waived=c[Outcome.WAIVED],
                    not_yet_due=c[Outcome.NOT_YET_DUE],
                    shortfall=None if a.scaled else _round(a.short[Outcome.FAIL]),
                    total=_round(a.total[Outcome.FAIL]) if a.scaled else None,
                    unscaled=a.unscaled,
                    not_yet_due_shortfall=None
                    if a.scaled
                    else _round(a.short[Outcome.NOT_YET_DUE]),
                    waived_shortfall=None if a.scaled else _round(a.short[Outcome.WAIVED]),
                    not_yet_due_total=_round(a.total[Outcome.NOT_YET_DUE]) if a.scaled else None,
                    waived_total=_round(a.total[Outcome.WAIVED]) if a.scaled else None,
                )
            )
        region_cost = None
        if cost is not None:
            # Closing the gap means the communities not yet due too; waived ones are excused.
            short = self.rules[cost.rule].short
            region_cost = _round((short[Outcome.FAIL] + short[Outcome.NOT_YET_DUE]) * cost.per_m2)
        return RegionSummary(
            key=key,
            communities=self.communities,
            compliant=self.worst[Outcome.PASS],
            failing=self.worst[Outcome.FAIL],
            unknown=self.worst[Outcome.UNKNOWN],
            pending=self.worst[Outcome.NOT_YET_DUE],
            rules=tuple(totals),
            cost=region_cost,
        )


def _round(x: float) -> float:
    # Sums of two-decimal areas pick up binary noise (6451.509999...).
    return round(x, 6) + 0.0


def summarise(
    report: Report,
    *,
    by: Level | str | None = None,
    cost_per_m2: float | None = None,
) -> Summary:
    """Roll a report up by region.

    ``by`` is "city", "district" or "subdistrict"; by default the coarsest level
    the data has a column for and more than one value in (a single city's
    returns are grouped by district). ``cost_per_m2`` (yuan per m²) prices the
    premises gap and overrides the rule set's ``premises_cost_per_m2``; with
    neither, no cost is given.

    Raises :class:`~compliance.errors.UsageError` for an unknown level, a level
    the data has no column for, or a negative cost.
    """
    rules = tuple(report.rules)
    cost = cost_basis(report.ruleset, rules, cost_per_m2)
    level, levels = _choose_levels(report, by)
    total = _RegionAcc(rules)
    regions: dict[tuple[str, ...], _RegionAcc] = {}
    for rr in report.results:
        total.add(rr)
        if level is None:
            continue
        key = tuple(_name(rr, lv) for lv in levels)
        acc = regions.get(key)
        if acc is None:
            acc = regions[key] = _RegionAcc(rules)
        acc.add(rr)
    # Rules checked per sub-district add to the same regions, one result per sub-district.
    for rr in report.groups:
        total.add_subdistrict(rr)
        if level is None:
            continue
        key = tuple(_name(rr, lv) for lv in levels)
        acc = regions.get(key)
        if acc is None:
            acc = regions[key] = _RegionAcc(rules)
        acc.add_subdistrict(rr)
    headline = gap_rule(rules)
    return Summary(
        by=level,
        levels=levels,
        rules=rules,
        total=total.freeze((), rules, cost),
        regions=tuple(acc.freeze(key, rules, cost) for key, acc in regions.items()),
        cost=cost,
        headline_rule=headline.id if headline else (rules[0].id if rules else None),
        inputs=tuple(c.source.path for c in report.checks),
    )


def gap_shares(summary: Summary) -> Mapping[tuple[str, ...], float]:
    """Each region's share of the headline gap (for "share of the total gap" columns)."""
    rid = summary.headline_rule
    if rid is None:
        return {}
    whole = summary.total.rule(rid).gap
    return {r.key: (r.rule(rid).gap / whole if whole else 0.0) for r in summary.regions}
