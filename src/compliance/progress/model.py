"""What a comparison of two snapshots holds: per community, per region, in total.

Everything here is immutable data, made by :func:`compliance.progress.compare`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from compliance.model import DataProblem
from compliance.progress.changes import Change, StandardChange
from compliance.results import Report
from compliance.rules.model import Rule
from compliance.summary import Level

#: How the closed share is counted (rule-set parameter ``gap_closure``).
GAP_CLOSURE = ("net", "gross")
#: The default swing threshold when the rule set has no ``swing_share``.
DEFAULT_SWING_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Where:
    """Where a community was read in one snapshot."""

    #: The path of the input.
    source: str
    sheet: str
    row: int

    @property
    def ref(self) -> str:
        """ "社区情况!12", or "row 12" for a sheet without a name (CSV)."""
        return f"{self.sheet}!{self.row}" if self.sheet else f"row {self.row}"


@dataclass(frozen=True, slots=True)
class CommunityChange:
    """One community in the comparison."""

    change: Change
    #: As reports name it: its name, else its code, else "#row" (the current snapshot's,
    #: where it is in both).
    name: str
    #: Its community code (the current snapshot's, where it is in both), if any.
    id: str | None
    #: "id" (matched by community code), "name" (name and sub-district) or "" (unmatched).
    matched_by: str
    region: tuple[str, ...]
    baseline: Where | None
    current: Where | None
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
