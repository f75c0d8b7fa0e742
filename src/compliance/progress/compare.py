"""Compare two snapshots: match their communities, and add up the gap closed per region.

:func:`compare` matches the communities (:mod:`~compliance.progress.snapshots`),
classifies each standard's change (:mod:`~compliance.progress.changes`) and
accumulates the baseline and current gaps per region into a
:class:`~compliance.progress.model.Progress`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from compliance.errors import UsageError
from compliance.model import DataProblem
from compliance.progress.changes import (
    SWING_FIELDS,
    Change,
    Found,
    Side,
    StandardChange,
    gap,
    standard_changes,
    swings,
)
from compliance.progress.model import (
    DEFAULT_SWING_SHARE,
    GAP_CLOSURE,
    CommunityChange,
    Progress,
    RegionProgress,
    Where,
)
from compliance.progress.snapshots import choose_levels, communities, match, region_keys
from compliance.record_values import field_values
from compliance.results import Report
from compliance.summary import Level

if TYPE_CHECKING:
    import polars as pl


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
        raise UsageError("progress_no_target", ruleset=rs.label)
    evaluated = {r.id: r for r in current.rules}
    if rule_id not in evaluated or rule_id not in {r.id for r in baseline.rules}:
        raise UsageError("progress_rule_not_both", id=repr(rule_id))
    parameter = None
    if target is None:
        if spec is None or spec.rule != rule_id:
            raise UsageError("progress_no_rule_target", id=repr(rule_id), ruleset=rs.label)
        target, parameter = spec.share, spec.parameter
    if not 0 < target <= 1:
        raise UsageError("progress_target_share", value=target)
    basis = str(_setting(rs, "gap_closure", gap_closure, "net"))
    if basis not in GAP_CLOSURE:
        raise UsageError("progress_gap_closure", value=repr(basis))
    swing = _setting(rs, "swing_share", swing_share, DEFAULT_SWING_SHARE)
    if isinstance(swing, bool) or not isinstance(swing, int | float) or swing <= 0:
        raise UsageError("progress_swing_share", value=repr(swing))
    base, now = communities(baseline), communities(current)
    level, levels = choose_levels(current, now, by)
    in_both = {r.id for r in baseline.rules}
    compared = tuple(r for r in current.rules if r.id in in_both and r.level == "community")
    compared_ids = [r.id for r in compared]
    wanted = [rule_id, *(r for r in compared_ids if r != rule_id)]

    pairs, duplicates = match(base, now)
    matched = [(b, c) for b, c, _ in pairs if b is not None and c is not None]
    b_found = _findings(baseline, base, wanted)
    c_found = _findings(current, now, wanted)
    b_sides = _sides(baseline, base, [b for b, _ in matched])
    c_sides = _sides(current, now, [c for _, c in matched])
    b_region, c_region = region_keys(base, levels), region_keys(now, levels)
    b_where, c_where = _where(base), _where(now)
    b_ids, c_ids = base["id"].to_list(), now["id"].to_list()
    b_names, c_names = base["name"].to_list(), now["name"].to_list()
    changes: list[CommunityChange] = []
    for b, c, how in pairs:
        bg = None if b is None else gap(b_found[b].get(rule_id))
        cg = None if c is None else gap(c_found[c].get(rule_id))
        # Named as the current snapshot names it, where it is there.
        if c is not None:
            name, code, region = c_names[c], c_ids[c], c_region[c]
        else:
            assert b is not None
            name, code, region = b_names[b], b_ids[b], b_region[b]
        standards: tuple[StandardChange, ...] = ()
        moved: tuple[DataProblem, ...] = ()
        if b is not None and c is not None:
            standards = standard_changes(b_found[b], c_found[c], compared_ids)
            moved = swings(b_sides[b], c_sides[c], name, float(swing))
        changes.append(
            CommunityChange(
                change=_change(bg, cg, (b, c, how)),
                name=name,
                id=code,
                matched_by=how,
                region=region,
                baseline=None if b is None else b_where[b],
                current=None if c is None else c_where[c],
                baseline_gap=bg,
                current_gap=cg,
                standards=standards,
                swings=moved,
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


def _findings(report: Report, found: pl.DataFrame, rules: Sequence[str]) -> list[dict[str, Found]]:
    """Per community of ``found`` (:func:`communities` of ``report``), its findings of
    ``rules``: rule -> (outcome, shortfall)."""
    import polars as pl

    out: list[dict[str, Found]] = [{} for _ in range(found.height)]
    at = found.select("_part", "_rec").with_row_index("_at")
    for i, check in enumerate(report.checks):
        rows = (
            check.table.outcomes.filter(pl.col("rule").is_in(list(rules)))
            .with_columns(pl.lit(i, pl.UInt32).alias("_part"))
            .join(at, on=["_part", "_rec"], how="inner")
        )
        for k, rule, outcome, short in rows.select(
            "_at", "rule", "outcome", "shortfall"
        ).iter_rows():
            out[k][rule] = (outcome, short)
    return out


def _sides(report: Report, found: pl.DataFrame, wanted: Sequence[int]) -> dict[int, Side]:
    """The :class:`Side` of the communities at positions ``wanted`` of ``found``."""
    import polars as pl

    fields = [*SWING_FIELDS, "explanation"]
    picked = found.with_row_index("_at")[list(wanted)] if wanted else found.clear()
    out: dict[int, Side] = {}
    for i, check in enumerate(report.checks):
        mine = picked.filter(pl.col("_part") == i)
        if not mine.height:
            continue
        values = field_values(check.table, fields, mine["_rec"].to_list())
        for at, row, (v, cells) in zip(
            mine["_at"].to_list(), mine["row"].to_list(), values, strict=True
        ):
            out[at] = Side(check.source.path, row, v, cells)
    return out


def _where(found: pl.DataFrame) -> list[Where]:
    return [Where(*r) for r in found.select("source", "sheet", "row").iter_rows()]


def changed(progress: Progress, kinds: Iterable[Change]) -> tuple[CommunityChange, ...]:
    """The communities whose change is one of ``kinds``, in comparison order."""
    wanted = set(kinds)
    return tuple(c for c in progress.changes if c.change in wanted)
