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

from compliance.errors import InputError
from compliance.labels.messages import Clauses, Msg, msg, problem
from compliance.model import Finding, Outcome, Record, RecordResult
from compliance.results import Report
from compliance.waivers.model import Waiver, WaiverState, WaiverStatus, norm

if TYPE_CHECKING:
    from compliance.rules.model import Rule


def _matches_record(w: Waiver, record: Record, group: bool) -> bool:
    target = norm(w.community)
    values = record.values
    if group:
        return target == norm(values.get("subdistrict") or "")
    if values.get("id") is not None and target == norm(values["id"]):
        return True
    if values.get("name") is None or target != norm(values["name"]):
        return False
    return not w.subdistrict or norm(w.subdistrict) == norm(values.get("subdistrict") or "")


def _matches_rule(w: Waiver, rule_id: str) -> bool:
    return rule_id == w.rule or (w.rule.endswith("*") and fnmatch.fnmatchcase(rule_id, w.rule))


def _waive(f: Finding, w: Waiver) -> Finding:
    return f._replace(
        outcome=Outcome.WAIVED,
        reason=f"waived:{w.reason}",
        notes=(*f.notes, f"waiver={w.approved_by}|{w.expires.isoformat()}|{w.where}"),
    )


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

    A waiver names its rule by id, short name or title (see :func:`resolve_rules`);
    raises :class:`~compliance.errors.InputError` for a name that is none of these."""
    waivers = resolve_rules(waivers, report.ruleset.rules)
    checks = list(report.checks)
    # results[check][group?] -> list of RecordResult, rebuilt only where something changes.
    new: dict[tuple[int, bool], list[RecordResult]] = {}
    statuses: list[WaiverStatus] = []
    for w in waivers:
        hits: list[tuple[int, bool, int, int]] = []
        for ci, check in enumerate(checks):
            for group, results in ((False, check.results), (True, check.groups)):
                current = new.get((ci, group), results)
                for ri, rr in enumerate(current):
                    if not _matches_record(w, rr.record, group):
                        continue
                    for fi, f in enumerate(rr.findings):
                        if _matches_rule(w, f.rule):
                            hits.append((ci, group, ri, fi))
        if not hits:
            statuses.append(WaiverStatus(w, WaiverState.UNMATCHED))
            continue

        def row(ci: int, group: bool, ri: int) -> RecordResult:
            rows = new.get((ci, group))
            if rows is not None:
                return rows[ri]
            return (checks[ci].groups if group else checks[ci].results)[ri]

        def pair(hit: tuple[int, bool, int, int]) -> tuple[str, str]:
            rr = row(*hit[:3])
            return f"{rr.record.name} ({rr.record.ref})", rr.findings[hit[3]].rule

        failing = [h for h in hits if row(*h[:3]).findings[h[3]].outcome is Outcome.FAIL]
        if w.expired(as_of):
            statuses.append(WaiverStatus(w, WaiverState.EXPIRED, tuple(map(pair, failing or hits))))
            continue
        if not failing:
            statuses.append(WaiverStatus(w, WaiverState.NOT_NEEDED, tuple(map(pair, hits))))
            continue
        pairs = tuple(map(pair, failing))
        for ci, group, ri, fi in failing:
            rows = new.setdefault(
                (ci, group), list(checks[ci].groups if group else checks[ci].results)
            )
            rr = rows[ri]
            findings = list(rr.findings)
            findings[fi] = _waive(findings[fi], w)
            rows[ri] = RecordResult(rr.record, tuple(findings))
        statuses.append(WaiverStatus(w, WaiverState.APPLIED, pairs))
    for (ci, group), rows in new.items():
        if group:
            checks[ci] = replace(checks[ci], groups=tuple(rows))
        else:
            checks[ci] = checks[ci].with_results(tuple(rows))
    options = {**report.options, "as_of": as_of.isoformat()}
    return replace(report, checks=tuple(checks), waivers=tuple(statuses), options=options)
