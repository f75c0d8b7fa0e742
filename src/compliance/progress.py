"""Gap-closure progress between two snapshots of the same communities.

The 2008 plan asks that 70% of the province's premises gap (m² short of 350)
be closed by the end of 2008. :func:`compare` matches the communities of a
baseline and a current report, by community code, falling back to name plus
sub-district, and gives for each region and in total:

- the baseline gap and the current gap of the matched communities, in the
  rule's unit, and the share of the baseline gap closed, against the target;
- the communities that newly comply, newly fail, still fail, appeared (only in
  the current snapshot) or disappeared (only in the baseline);
- per community and standard, the same words for every evaluated standard
  (still failing with the shortfall ``improved``, ``worsened`` or ``unchanged``),
  and the large swings of premises area, workers and households between the
  snapshots (大起大落: data problems with code ``swing``), see
  :mod:`compliance.changes`.

The closed share is net by default (rule-set parameter ``gap_closure``): a
community whose gap grew takes its growth off what others closed. Gross counts
only what was closed, so a community that lost area does not reduce it.

The gap is the physical shortfall: a failure not yet due or waived still counts,
since a deadline or an exception does not add square metres. A community whose
figure is unknown in either snapshot is left out of the gap figures and
counted apart. Communities that appeared or disappeared are left out of the
closed share (their gaps are reported separately), so that a merger or a new
community cannot look like progress.

>>> from compliance import api
>>> from compliance.progress import compare
>>> p = compare(api.check_files(["2007.xlsx"]), api.check_files(["2008.xlsx"]))  # doctest: +SKIP
>>> p.total.closed_share  # doctest: +SKIP
0.71
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from compliance.changes import Change, StandardChange, Trend, standard_changes, swings
from compliance.errors import UsageError
from compliance.model import DataProblem, Finding, Outcome, RecordResult
from compliance.results import Report
from compliance.rules.model import Rule
from compliance.snapshots import choose_levels, match, region_of
from compliance.summary import Level

__all__ = [
    "Change",
    "CommunityChange",
    "Progress",
    "RegionProgress",
    "StandardChange",
    "Trend",
    "compare",
]

#: How the closed share is counted (rule-set parameter ``gap_closure``).
GAP_CLOSURE = ("net", "gross")
#: The default swing threshold when the rule set has no ``swing_share``.
DEFAULT_SWING_SHARE = 0.5

#: Outcomes whose shortfall is a physical gap.
_SHORT = (Outcome.FAIL, Outcome.NOT_YET_DUE, Outcome.WAIVED)


@dataclass(frozen=True, slots=True)
class CommunityChange:
    """One community in the comparison."""

    change: Change
    name: str
    #: "id" (matched by community code), "name" (name and sub-district) or "" (unmatched).
    matched_by: str
    region: tuple[str, ...]
    baseline: RecordResult | None
    current: RecordResult | None
    #: The gap in each snapshot, in the rule's unit (0 for a pass); None when absent or unknown.
    baseline_gap: float | None
    current_gap: float | None
    #: Every evaluated standard, for a community in both snapshots (else empty).
    standards: tuple[StandardChange, ...] = ()
    #: Large swings of its figures between the snapshots (code "swing").
    swings: tuple[DataProblem, ...] = ()

    def standard(self, rule_id: str) -> StandardChange | None:
        return next((s for s in self.standards if s.rule == rule_id), None)


@dataclass(frozen=True, slots=True)
class RegionProgress:
    """Progress in one region (or in total, with an empty key)."""

    key: tuple[str, ...]
    #: Communities in both snapshots.
    matched: int
    #: The gaps of the matched communities known in both snapshots.
    baseline_gap: float
    current_gap: float
    #: The target share of the baseline gap to close (0.7).
    target: float
    newly_compliant: int = 0
    newly_failing: int = 0
    still_failing: int = 0
    appeared: int = 0
    disappeared: int = 0
    unknown: int = 0
    #: Gaps of communities in only one snapshot, left out of the closed share.
    appeared_gap: float = 0.0
    disappeared_gap: float = 0.0
    #: The gap closed by communities whose gap shrank, ignoring those whose gap grew.
    closed_gross: float = 0.0
    #: "net" or "gross": which of the two ``closed`` is.
    basis: str = "net"

    @property
    def name(self) -> str:
        return self.key[-1] if self.key else ""

    @property
    def closed_net(self) -> float:
        """Baseline gap minus current gap (negative when the gap grew)."""
        return round(self.baseline_gap - self.current_gap, 6) + 0.0

    @property
    def closed(self) -> float:
        """The gap closed, net or gross as the rule set's ``gap_closure`` says."""
        return self.closed_gross if self.basis == "gross" else self.closed_net

    @property
    def closed_share(self) -> float | None:
        """The share of the baseline gap closed; None when there was no gap to close."""
        if self.baseline_gap <= 0:
            return None
        return self.closed / self.baseline_gap

    @property
    def met(self) -> bool | None:
        """Whether the closed share reaches the target; None when there was no gap."""
        share = self.closed_share
        if share is None:
            return None if self.current_gap <= 0 else False
        return share + 1e-9 >= self.target

    @property
    def still_to_close(self) -> float:
        """m² still to close to reach the target (0 once it is met)."""
        return max(0.0, round(self.target * self.baseline_gap - self.closed, 6) + 0.0)


@dataclass(frozen=True)
class Progress:
    """Two snapshots compared on one rule's gap."""

    rule: Rule
    target: float
    #: The rule-set parameter the target came from, or None when given as an option.
    target_parameter: str | None
    due: str | None
    by: Level | None
    levels: tuple[Level, ...]
    total: RegionProgress
    regions: tuple[RegionProgress, ...]
    changes: tuple[CommunityChange, ...]
    baseline: Report
    current: Report
    #: Community keys used twice within one snapshot (matched in order; worth a look).
    duplicates: tuple[str, ...] = ()
    #: "net" or "gross" (rule-set parameter ``gap_closure``).
    gap_closure: str = "net"
    #: A figure moving by more than this share of the baseline is a swing.
    swing_share: float = DEFAULT_SWING_SHARE
    #: The standards compared per community (evaluated in both snapshots), in rule order.
    standard_rules: tuple[Rule, ...] = ()

    @property
    def swings(self) -> tuple[DataProblem, ...]:
        """Every swing, in comparison order."""
        return tuple(p for c in self.changes for p in c.swings)

    def standard_counts(self, rule_id: str) -> Counter[str]:
        """Matched communities per change (and per trend of the still failing) for one
        standard: keys are the JSON words (``newly_failing``, ``improved``...)."""
        out: Counter[str] = Counter()
        for c in self.changes:
            s = c.standard(rule_id)
            if s is None:
                continue
            out[s.change.value] += 1
            if s.trend is not None:
                out[s.trend.value] += 1
        return out

    @property
    def matched_by_id(self) -> int:
        return sum(c.matched_by == "id" for c in self.changes)

    @property
    def matched_by_name(self) -> int:
        return sum(c.matched_by == "name" for c in self.changes)


def _gap(f: Finding | None) -> float | None:
    """The physical gap of a finding: its shortfall when short, 0 when it passes or does
    not apply, None when unknown."""
    if f is None or f.outcome is Outcome.UNKNOWN:
        return None
    if f.outcome in _SHORT:
        return float(f.shortfall or 0.0)
    return 0.0


class _Acc:
    __slots__ = ("basis", "counts", "gaps", "matched")

    def __init__(self, basis: str) -> None:
        self.basis = basis
        self.matched = 0
        self.counts: dict[Change, int] = dict.fromkeys(Change, 0)
        # baseline, current, appeared, disappeared, closed gross
        self.gaps = [0.0, 0.0, 0.0, 0.0, 0.0]

    def add(self, c: CommunityChange) -> None:
        self.counts[c.change] += 1
        if c.baseline is not None and c.current is not None:
            self.matched += 1
        if c.change is Change.APPEARED:
            self.gaps[2] += c.current_gap or 0.0
        elif c.change is Change.DISAPPEARED:
            self.gaps[3] += c.baseline_gap or 0.0
        elif c.baseline_gap is not None and c.current_gap is not None:
            self.gaps[0] += c.baseline_gap
            self.gaps[1] += c.current_gap
            self.gaps[4] += max(0.0, c.baseline_gap - c.current_gap)

    def freeze(self, key: tuple[str, ...], target: float) -> RegionProgress:
        g = [round(x, 6) + 0.0 for x in self.gaps]
        n = self.counts
        return RegionProgress(
            key=key,
            matched=self.matched,
            baseline_gap=g[0],
            current_gap=g[1],
            target=target,
            newly_compliant=n[Change.NEWLY_COMPLIANT],
            newly_failing=n[Change.NEWLY_FAILING],
            still_failing=n[Change.STILL_FAILING],
            appeared=n[Change.APPEARED],
            disappeared=n[Change.DISAPPEARED],
            unknown=n[Change.UNKNOWN],
            appeared_gap=g[2],
            disappeared_gap=g[3],
            closed_gross=g[4],
            basis=self.basis,
        )


def _change(b: float | None, c: float | None, pair: tuple[Any, Any, str]) -> Change:
    if pair[0] is None:
        return Change.APPEARED
    if pair[1] is None:
        return Change.DISAPPEARED
    if b is None or c is None:
        return Change.UNKNOWN
    if b > 0:
        return Change.STILL_FAILING if c > 0 else Change.NEWLY_COMPLIANT
    return Change.NEWLY_FAILING if c > 0 else Change.STILL_COMPLIANT


def _setting(rs: Any, name: str, given: Any, default: Any) -> Any:
    if given is not None:
        return given
    p = rs.parameters.get(name)
    return p.value if p is not None else default


def compare(
    baseline: Report,
    current: Report,
    *,
    rule: str | None = None,
    target: float | None = None,
    by: Level | str | None = None,
    gap_closure: str | None = None,
    swing_share: float | None = None,
) -> Progress:
    """Compare two snapshots on one rule's gap, and every standard per community.

    ``rule`` and ``target`` default to the rule set's ``[progress]`` table
    (premises and 70% for zhejiang-2007); ``by`` is the region level to group
    by (default: the coarsest level with more than one name in the current
    snapshot); ``gap_closure`` ("net" or "gross") and ``swing_share`` default
    to the rule-set parameters of those names (net, 0.5). Both reports should
    come from the same rule set.

    Raises :class:`~compliance.errors.UsageError` when no rule or target is
    known, the rule was not evaluated, the target is not a share in (0, 1],
    the gap closure is neither net nor gross, or the swing share is not above 0.
    """
    rs = current.ruleset
    spec = rs.progress
    rule_id = rule or (spec.rule if spec else None)
    if rule_id is None:
        raise UsageError(f"rule set {rs.label} has no [progress] target: give --rule and --target")
    evaluated = {r.id: r for r in current.rules}
    if rule_id not in evaluated or rule_id not in {r.id for r in baseline.rules}:
        raise UsageError(f"rule {rule_id!r} was not evaluated in both snapshots")
    parameter = None
    if target is None:
        if spec is None or spec.rule != rule_id:
            raise UsageError(f"no target for rule {rule_id!r} in {rs.label}: give --target")
        target, parameter = spec.share, spec.parameter
    if not 0 < target <= 1:
        raise UsageError(f"--target {target}: must be a share above 0 and at most 1 (0.7 = 70%)")
    basis = str(_setting(rs, "gap_closure", gap_closure, "net"))
    if basis not in GAP_CLOSURE:
        raise UsageError(f"gap closure {basis!r}: choose net or gross")
    swing = _setting(rs, "swing_share", swing_share, DEFAULT_SWING_SHARE)
    if isinstance(swing, bool) or not isinstance(swing, int | float) or swing <= 0:
        raise UsageError(f"swing share {swing!r}: must be a share above 0 (0.5 = 50%)")
    level, levels = choose_levels(current, by)
    in_both = {r.id for r in baseline.rules}
    compared = tuple(r for r in current.rules if r.id in in_both and r.level == "community")
    compared_ids = [r.id for r in compared]

    pairs, duplicates = match(baseline.results, current.results)
    changes: list[CommunityChange] = []
    for b, c, how in pairs:
        bg = _gap(b.finding(rule_id)) if b is not None else None
        cg = _gap(c.finding(rule_id)) if c is not None else None
        shown = c if c is not None else b
        assert shown is not None
        changes.append(
            CommunityChange(
                change=_change(bg, cg, (b, c, how)),
                name=shown.record.name,
                matched_by=how,
                region=region_of(shown, levels),
                baseline=b,
                current=c,
                baseline_gap=bg,
                current_gap=cg,
                standards=standard_changes(b, c, compared_ids) if b and c else (),
                swings=swings(b, c, float(swing)) if b and c else (),
            )
        )
    total = _Acc(basis)
    regions: dict[tuple[str, ...], _Acc] = {}
    for ch in changes:
        total.add(ch)
        if level is not None:
            regions.setdefault(ch.region, _Acc(basis)).add(ch)
    return Progress(
        rule=evaluated[rule_id],
        target=float(target),
        target_parameter=parameter,
        due=spec.due if spec is not None and spec.rule == rule_id else None,
        by=level,
        levels=levels,
        total=total.freeze((), float(target)),
        regions=tuple(acc.freeze(key, float(target)) for key, acc in regions.items()),
        changes=tuple(changes),
        baseline=baseline,
        current=current,
        duplicates=tuple(duplicates),
        gap_closure=basis,
        swing_share=float(swing),
        standard_rules=compared,
    )


def changed(progress: Progress, kinds: Iterable[Change]) -> tuple[CommunityChange, ...]:
    """The communities whose change is one of ``kinds``, in comparison order."""
    wanted = set(kinds)
    return tuple(c for c in progress.changes if c.change in wanted)
