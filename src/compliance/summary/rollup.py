"""Roll a report up by region: count communities and add up shortfalls per rule.

:func:`summarise` picks the level to group by, adds up the communities'
figures from the findings tables (:mod:`~compliance.summary.figures`) and every
sub-district's findings (for rules checked per sub-district), and freezes the
running totals into a :class:`~compliance.summary.model.Summary`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compliance.errors import UsageError
from compliance.labels.messages import msg
from compliance.model import Outcome
from compliance.results import Report
from compliance.summary.cost import cost_basis, gap_rule
from compliance.summary.figures import Figures, region_figures, region_name
from compliance.summary.model import LEVELS, CostBasis, Level, RegionSummary, RuleTotals, Summary

if TYPE_CHECKING:
    from compliance.rules.model import Rule


def present_levels(report: Report) -> tuple[Level, ...]:
    """The region levels some input has a column for, coarsest first."""
    mapped: set[str] = set()
    for c in report.checks:
        mapped.update(c.source.columns)
    return tuple(lv for lv in LEVELS if lv.value in mapped)


def _distinct(report: Report, level: Level) -> int:
    """How many regions of ``level`` the report's communities are in."""
    return len(
        {region_name(v) for c in report.checks for v in c.table.records[level.value].unique()}
    )


def _choose_levels(
    report: Report, by: Level | str | None
) -> tuple[Level | None, tuple[Level, ...]]:
    present = present_levels(report)
    if by is None:
        if not present:
            return None, ()
        # The coarsest level that tells regions apart; a level with one value
        # (a single city's returns) would give a table of one row.
        level = next((lv for lv in present if _distinct(report, lv) > 1), present[-1])
    else:
        try:
            level = Level(by)
        except ValueError:
            raise UsageError(
                "by_choice", value=repr(by), choices=", ".join(lv.value for lv in LEVELS)
            ) from None
        if level not in present:
            where = ", ".join(c.source.path for c in report.checks) or None
            found = ", ".join(lv.value for lv in present) or msg("no_region_columns")
            raise UsageError("by_no_column", level=str(level), found=found, where=where)
    coarser = [lv for lv in present if LEVELS.index(lv) < LEVELS.index(level)]
    return level, (*(lv for lv in coarser if _distinct(report, lv) > 1), level)


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


class _RegionAcc:
    __slots__ = ("communities", "rules", "subdistricts", "worst")

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.communities = 0
        self.subdistricts = 0
        self.worst: dict[Outcome, int] = dict.fromkeys(_STANDING, 0)
        self.rules = {r.id: _RuleAcc(r.scale is not None) for r in rules}

    def absorb(self, fig: Figures, *, groups: bool = False) -> None:
        """Add the communities a region's :class:`~compliance.summary.figures.Figures`
        count; with ``groups``, the sub-districts of rules checked per sub-district
        (see :mod:`compliance.subdistricts`), counted in sub-districts, not communities."""
        if groups:
            self.subdistricts += fig.communities
        else:
            self.communities += fig.communities
            for standing, n in fig.standing.items():
                self.worst[Outcome(standing)] += n
        for (rule, outcome), n in fig.counts.items():
            acc = self.rules.get(rule)
            if acc is None:
                continue
            o = Outcome(outcome)
            acc.counts[o] += n
            acc.short[o] += fig.short.get((rule, outcome), 0.0)
            if acc.scaled:
                acc.total[o] += fig.total.get((rule, outcome), 0.0)
        for rule, n in fig.unscaled.items():
            if rule in self.rules:
                self.rules[rule].unscaled += n

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
    keys = [lv.value for lv in levels] if level is not None else None
    total = _RegionAcc(rules)
    regions: dict[tuple[str, ...], _RegionAcc] = {}
    # Rules checked per sub-district add to the same regions, one result per sub-district.
    for groups in (False, True):
        whole, figures = region_figures(report, rules, keys, groups=groups)
        total.absorb(whole, groups=groups)
        for key, fig in figures.items():
            regions.setdefault(key, _RegionAcc(rules)).absorb(fig, groups=groups)
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
