"""Apply waivers to a report: matching failures become ``waived`` findings.

A waiver matches a community by its code, or by its name (and sub-district,
when the waiver gives one); a sub-district rule by the sub-district's name.
Its rule is an id, a ``*`` pattern or any name :func:`rule_names` knows.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import polars as pl

from compliance.errors import InputError
from compliance.labels.messages import Clauses, Msg, msg, problem
from compliance.waivers.model import Waiver, WaiverState, WaiverStatus, norm

if TYPE_CHECKING:
    from compliance.findings import FindingsTable
    from compliance.results import CheckResult, Report
    from compliance.rules.model import Rule


def _matches_rule(w: Waiver, rule_id: str) -> bool:
    return rule_id == w.rule or (w.rule.endswith("*") and fnmatch.fnmatchcase(rule_id, w.rule))


def rule_names(rules: Sequence[Rule]) -> dict[str, str]:
    """Every name a waiver may give a rule by, normalised, -> the rule id: the id, the
    short names (用房, Premises) and the full titles in Chinese and English. A name two
    rules share is left out (it would be ambiguous)."""
    seen: dict[str, set[str]] = {}
    for r in rules:
        for name in (r.id, r.short_zh, r.short_en, r.title_zh, r.title_en):
            if name:
                seen.setdefault(norm(name), set()).add(r.id)
    return {name: next(iter(ids)) for name, ids in seen.items() if len(ids) == 1}


def resolve_rules(waivers: Sequence[Waiver], rules: Sequence[Rule]) -> tuple[Waiver, ...]:
    """``waivers`` with each rule name turned into its rule id.

    Raises :class:`~compliance.errors.InputError` for every waiver whose rule is
    neither a rule id, a short name, a full title nor a prefix of ids ending in ``*``,
    listing the accepted names.
    """
    names = rule_names(rules)
    ids = [r.id for r in rules]
    out: list[Waiver] = []
    found: list[tuple[str, Msg]] = []
    for w in waivers:
        if w.rule.endswith("*"):
            if not any(fnmatch.fnmatchcase(rid, w.rule) for rid in ids):
                found.append((w.where, msg("waiver_pattern_matches_none", rule=repr(w.rule))))
            out.append(w)
            continue
        rid = names.get(norm(w.rule))
        if rid is None:
            found.append((w.where, msg("waiver_unknown_rule", rule=repr(w.rule))))
            continue
        out.append(w if rid == w.rule else replace(w, rule=rid, rule_given=w.rule))
    if found:
        accepted = "; ".join(
            " / ".join(dict.fromkeys(n for n in (r.id, r.short_zh, r.short_en, r.title_zh) if n))
            for r in rules
        )
        problems = [
            problem(where, "", msg("waiver_rule_accepted", what=what, accepted=accepted))
            for where, what in found
        ]
        raise InputError(msg("problems", problems=Clauses(problems)), problems=problems)
    return tuple(out)


def apply_waivers(report: Report, waivers: Sequence[Waiver], as_of: dt.date) -> Report:
    """A copy of ``report`` with the failures that ``waivers`` excuse marked waived,
    and :attr:`Report.waivers` saying what became of each waiver.

    Waivers apply in the order given: a failure two waivers cover is waived by the
    first that is in force, and the later one finds it no longer failing.

    A waiver names its rule by id, short name or title (see :func:`resolve_rules`);
    raises :class:`~compliance.errors.InputError` for a name that is none of these."""
    waivers = resolve_rules(waivers, report.ruleset.rules)
    rules = [r.id for r in report.ruleset.rules]
    hits = _hits(report, waivers, rules)
    if hits.height == 0:
        unmatched = tuple(WaiverStatus(w, WaiverState.UNMATCHED) for w in waivers)
        options = {**report.options, "as_of": as_of.isoformat()}
        return replace(report, waivers=unmatched, options=options)
    in_force = [not w.expired(as_of) for w in waivers]
    fails = pl.col("outcome") == "fail"
    # The first waiver in force that covers a failure waives it.
    claimed = (
        hits.filter(fails & pl.col("w").is_in([i for i, ok in enumerate(in_force) if ok]))
        .group_by("check", "group", "at", "rule")
        .agg(pl.col("w").min().alias("by"))
    )
    hits = hits.join(claimed, on=["check", "group", "at", "rule"], how="left").with_columns(
        # What a waiver sees as failing: what no earlier waiver waived.
        failing=fails & (pl.col("by").is_null() | (pl.col("by") >= pl.col("w")))
    )
    per: dict[int, list[tuple[bool, str, str]]] = {}
    for w, failing, label, rule in hits.select("w", "failing", "label", "rule").iter_rows():
        per.setdefault(w, []).append((failing, label, rule))
    statuses: list[WaiverStatus] = []
    for i, w in enumerate(waivers):
        found = per.get(i)
        if not found:
            statuses.append(WaiverStatus(w, WaiverState.UNMATCHED))
            continue
        failing = tuple((label, rule) for hit, label, rule in found if hit)
        every = tuple((label, rule) for _, label, rule in found)
        if not in_force[i]:
            statuses.append(WaiverStatus(w, WaiverState.EXPIRED, failing or every))
        elif not failing:
            statuses.append(WaiverStatus(w, WaiverState.NOT_NEEDED, every))
        else:
            statuses.append(WaiverStatus(w, WaiverState.APPLIED, failing))
    waived = hits.filter(pl.col("failing") & (pl.col("by") == pl.col("w")))
    checks = [_waive_check(ci, c, waived, waivers) for ci, c in enumerate(report.checks)]
    options = {**report.options, "as_of": as_of.isoformat()}
    return replace(report, checks=tuple(checks), waivers=tuple(statuses), options=options)


def _key(column: str) -> pl.Expr:
    """A text column normalised as :func:`~compliance.waivers.model.norm` does."""
    text = pl.col(column).cast(pl.String)
    return text.str.normalize("NFKC").str.to_lowercase().str.replace_all(r"\s+", "")


_HIT_SCHEMA = {
    "w": pl.Int64,
    "check": pl.Int64,
    "group": pl.Boolean,
    "at": pl.Int64,
    "rule": pl.String,
    "outcome": pl.String,
    "label": pl.String,
}


def _hits(report: Report, waivers: Sequence[Waiver], rules: Sequence[str]) -> pl.DataFrame:
    """Every (waiver, finding) pair a waiver covers: ``w`` (its index), ``check``,
    ``group`` (a sub-district finding), ``at`` (the community's ``_rec``, or the
    sub-district's position), ``rule``, ``outcome`` and ``label`` (the community
    and its cell, as the status lists it), in report order."""
    covers = pl.DataFrame(
        [(i, rid) for i, w in enumerate(waivers) for rid in rules if _matches_rule(w, rid)],
        schema={"w": pl.Int64, "rule": pl.String},
        orient="row",
    )
    named = pl.DataFrame(
        {
            "w": range(len(waivers)),
            "target": [norm(w.community) for w in waivers],
            "sub": [norm(w.subdistrict) if w.subdistrict else None for w in waivers],
        },
        schema={"w": pl.Int64, "target": pl.String, "sub": pl.String},
    )
    parts: list[pl.DataFrame] = []
    for ci, check in enumerate(report.checks):
        tables = ((False, check.table, check.source.sheet), (True, check.groups, check.group_sheet))
        for group, table, sheet in tables:
            if table is not None:
                found = _table_hits(table, group, sheet, named, covers)
                parts.append(found.with_columns(check=pl.lit(ci, pl.Int64)))
    if not parts:
        return pl.DataFrame(schema=_HIT_SCHEMA)
    order = pl.DataFrame(
        {"rule": list(rules), "_at": range(len(rules))}, schema={"rule": pl.String, "_at": pl.Int64}
    )
    return (
        pl.concat([p.select(list(_HIT_SCHEMA)).cast(_HIT_SCHEMA) for p in parts])  # type: ignore[arg-type]
        .join(order, on="rule", how="left")
        .sort("w", "check", "group", "at", "_at")
        .drop("_at")
    )


def _table_hits(
    table: FindingsTable, group: bool, sheet: str, named: pl.DataFrame, covers: pl.DataFrame
) -> pl.DataFrame:
    """The (waiver, finding) pairs of one findings table: a community's matched by code
    or by name (and sub-district), a sub-district's (``group``) by its name."""
    row = pl.col("_row").cast(pl.String)
    recs = table.records.select(
        pl.col("_rec").cast(pl.Int64).alias("at"),
        _key("id").alias("id"),
        _key("name").alias("name"),
        _key("subdistrict").fill_null("").alias("sub_of"),
        pl.coalesce("name", "id", pl.lit("#") + row).alias("who"),
        (pl.lit(f"{sheet}!" if sheet else "row ") + row).alias("ref"),
    )
    if group:
        matched = recs.join(named, left_on="sub_of", right_on="target").select("w", "at")
    else:
        by_id = recs.join(named, left_on="id", right_on="target")
        by_name = recs.join(named, left_on="name", right_on="target").filter(
            pl.col("sub").is_null() | (pl.col("sub") == pl.col("sub_of"))
        )
        matched = pl.concat([by_id.select("w", "at"), by_name.select("w", "at")]).unique()
    labels = recs.select("at", (pl.col("who") + " (" + pl.col("ref") + ")").alias("label"))
    outcomes = table.outcomes.select(pl.col("_rec").cast(pl.Int64).alias("at"), "rule", "outcome")
    return (
        matched.join(covers, on="w")
        .join(outcomes, on=["at", "rule"])
        .join(labels, on="at")
        .with_columns(group=pl.lit(group))
    )


def _waive_check(
    ci: int, check: CheckResult, waived: pl.DataFrame, waivers: Sequence[Waiver]
) -> CheckResult:
    """``check`` with the findings ``waived`` lists for it marked waived."""
    mine = waived.filter(pl.col("check") == ci)
    if mine.height == 0:
        return check
    by = mine.select("w", "group", "at", "rule")
    reasons = pl.DataFrame(
        {
            "w": range(len(waivers)),
            "_reason": [f"waived:{w.reason}" for w in waivers],
            "note": [f"waiver={w.approved_by}|{w.expires.isoformat()}|{w.where}" for w in waivers],
        },
        schema={"w": pl.Int64, "_reason": pl.String, "note": pl.String},
    )
    by = by.join(reasons, on="w")
    table = _waive_table(check.table, by.filter(~pl.col("group")))
    groups = check.groups
    if groups is not None:
        groups = _waive_table(groups, by.filter(pl.col("group")))
    return replace(check, table=table, groups=groups)


def _waive_table(table: FindingsTable, by: pl.DataFrame) -> FindingsTable:
    """``table`` with the findings ``by`` lists (``at``, ``rule``, ``_reason``, ``note``)
    waived: outcome ``waived``, the waiver's reason, and its note last."""
    if by.height == 0:
        return table
    waived = by.select(pl.col("at").cast(pl.UInt32).alias("_rec"), "rule", "_reason", "note")
    outcomes = table.outcomes.join(
        waived.drop("note"), on=["_rec", "rule"], how="left", maintain_order="left"
    ).with_columns(
        pl.when(pl.col("_reason").is_null())
        .then(pl.col("outcome"))
        .otherwise(pl.lit("waived"))
        .alias("outcome"),
        pl.coalesce("_reason", "reason").alias("reason"),
    )
    return table.amend(outcomes.drop("_reason"), waived.drop("_reason"))
