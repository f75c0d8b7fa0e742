"""What the shortfall summary holds: per region and per rule, counts and gaps.

Everything here is immutable data, made by :func:`compliance.summary.summarise`;
renderers turn it into text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from compliance.rules.model import Rule


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


def gap_shares(summary: Summary) -> Mapping[tuple[str, ...], float]:
    """Each region's share of the headline gap (for "share of the total gap" columns)."""
    rid = summary.headline_rule
    if rid is None:
        return {}
    whole = summary.total.rule(rid).gap
    return {r.key: (r.rule(rid).gap / whole if whole else 0.0) for r in summary.regions}
