"""Waivers: approved exceptions that excuse a community's failure of a rule until a date.

A waivers file lists, for each exception, the community (its code, or its name
and optionally its sub-district), the rule, the reason, the approving authority
and the expiry date. It is TOML::

    [[waivers]]
    community = "330702001001"      # or the community's name
    subdistrict = "城东街道"          # optional: tells same-named communities apart
    rule = "premises"               # a rule id, short name (用房) or title, or "pay*"
    reason = "旧城改造，新用房2009年交付"
    approved_by = "金华市民政局"
    expires = 2009-12-31
    granted = 2008-03-01            # optional

or a sheet (.xlsx, .xls, .ods or .csv) with the headers 社区代码 / 社区名称,
所属街道, 标准, 豁免理由, 批准机关, 有效期至 (or their English names).

:func:`apply_waivers` turns matching failures into ``waived`` findings, which
do not fail the run. A waiver whose expiry date is before the ``as_of`` date no
longer applies and is listed as expired; one that matches no community and
rule is listed as unmatched; one whose community passes the rule is listed as
not needed. Sub-district rules are waived by naming the sub-district. The rule
(标准) is its id, its short name (用房, 人员 …) or its full title, in Chinese or
English; any other name is an error that lists the accepted ones.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance.errors import InputError
from compliance.model import Finding, Outcome, Record, RecordResult
from compliance.results import Report
from compliance.tomlsafe import check_file, load_toml

if TYPE_CHECKING:
    from compliance.rules.model import Rule

__all__ = [
    "Waiver",
    "WaiverState",
    "WaiverStatus",
    "apply_waivers",
    "load_waivers",
    "resolve_rules",
    "rule_names",
]

MAX_WAIVER_FILE_BYTES = 5_000_000


@dataclass(frozen=True, slots=True)
class Waiver:
    """One approved exception."""

    community: str
    rule: str
    reason: str
    approved_by: str
    expires: dt.date
    subdistrict: str = ""
    granted: dt.date | None = None
    #: Where it was read: "waivers.toml:12" or "waivers.xlsx [豁免]!A3".
    where: str = ""
    #: The rule as the waiver wrote it ("用房"), when that is not the rule id.
    rule_given: str = ""

    def expired(self, as_of: dt.date) -> bool:
        """True once ``as_of`` is after the expiry date (the expiry day itself is covered)."""
        return as_of > self.expires


class WaiverState(StrEnum):
    APPLIED = "applied"
    EXPIRED = "expired"
    UNMATCHED = "unmatched"
    NOT_NEEDED = "not_needed"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class WaiverStatus:
    """What became of one waiver in a run."""

    waiver: Waiver
    state: WaiverState
    #: The (community or sub-district, rule) pairs it matched: those it waived
    #: (applied), or those it would have covered (expired, not needed).
    matches: tuple[tuple[str, str], ...] = ()


# --- reading ---------------------------------------------------------------

_FIELDS = {
    "community": ("community", "社区代码", "社区编码", "社区名称", "社区", "单位名称", "community id",
                  "community name", "name", "id", "code"),
    "subdistrict": ("subdistrict", "所属街道", "街道", "sub-district"),
    "rule": ("rule", "标准", "规则", "标准编号", "规则编号", "rule id", "standard"),
    "reason": ("reason", "豁免理由", "理由", "原因", "豁免原因"),
    "approved_by": ("approved_by", "批准机关", "批准单位", "审批机关", "审批单位", "approved by",
                    "authority", "approving authority"),
    "expires": ("expires", "有效期至", "到期日期", "截止日期", "失效日期", "有效期", "expiry",
                "expiry date", "expires on", "valid until"),
    "granted": ("granted", "批准日期", "审批日期", "granted on", "approval date"),
}  # fmt: skip
_REQUIRED = ("community", "rule", "reason", "approved_by", "expires")


def _norm(text: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).lower().split())


_HEADER_INDEX = {_norm(h): key for key, names in _FIELDS.items() for h in names}


def _date(value: object) -> dt.date | None:
    """A date from a TOML date, a date cell, an Excel serial number or text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        # A date cell that lost its date format: days since 1899-12-30 (Excel's epoch).
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    if isinstance(value, str):
        from compliance.dates import date_from_text

        return date_from_text(value)
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Kept as written (Chinese punctuation stays); only matching normalises.
    return " ".join(str(value).split())


def _build(raw: dict[str, Any], where: str, problems: list[str]) -> Waiver | None:
    missing = [k for k in _REQUIRED if not _text(raw.get(k))]
    if missing:
        problems.append(f"{where}: missing {', '.join(missing)}")
        return None
    expires = _date(raw["expires"])
    if expires is None:
        problems.append(f"{where}: expires {raw['expires']!r} is not a date (YYYY-MM-DD)")
        return None
    granted = None
    if _text(raw.get("granted")):
        granted = _date(raw["granted"])
        if granted is None:
            problems.append(f"{where}: granted {raw['granted']!r} is not a date (YYYY-MM-DD)")
            return None
    return Waiver(
        community=_text(raw["community"]),
        rule=_text(raw["rule"]),
        reason=_text(raw["reason"]),
        approved_by=_text(raw["approved_by"]),
        expires=expires,
        subdistrict=_text(raw.get("subdistrict")),
        granted=granted,
        where=where,
    )


def _toml_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[waivers]]"]


def _from_toml(path: Path) -> tuple[list[Waiver], list[str]]:
    data, text = load_toml(
        path, max_bytes=MAX_WAIVER_FILE_BYTES, error=InputError, what="waivers file"
    )
    entries = data.get("waivers")
    unknown = [k for k in data if k != "waivers"]
    problems = [f"{path}: unknown table {k!r} (expected [[waivers]])" for k in unknown]
    if not isinstance(entries, list):
        raise InputError("no [[waivers]] entries", where=str(path))
    lines = _toml_lines(text)
    out: list[Waiver] = []
    for i, entry in enumerate(entries):
        where = f"{path}:{lines[i]}" if i < len(lines) else f"{path} waiver #{i + 1}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: not a table")
            continue
        extra = [k for k in entry if k not in _FIELDS]
        if extra:
            problems.append(f"{where}: unknown key(s) {', '.join(extra)}")
        w = _build(entry, where, problems)
        if w is not None:
            out.append(w)
    return out, problems


def _from_sheet(path: Path) -> tuple[list[Waiver], list[str]]:
    from compliance.reading.grid import cell_name, open_workbook

    book = open_workbook(path)
    for sheet in book.sheets:
        grid = book.load(sheet.name)
        for r, row in enumerate(grid.rows[:30]):
            columns: dict[str, int] = {}
            for c, value in enumerate(row):
                key = _HEADER_INDEX.get(_norm(value)) if value is not None else None
                if key is not None:
                    columns.setdefault(key, c)
            if not all(k in columns for k in ("community", "rule", "expires")):
                continue
            label = sheet.name if book.format != "csv" else ""
            out: list[Waiver] = []
            problems: list[str] = []
            for rr in range(r + 1, len(grid.rows)):
                cells = grid.rows[rr]
                if all(v is None or not _text(v) for v in cells):
                    continue
                raw = {k: cells[c] if c < len(cells) else None for k, c in columns.items()}
                where = f"{path} [{label}]!{rr + 1}" if label else f"{path}:{rr + 1}"
                where = f"{path} {cell_name(label, rr, columns['community'])}" if label else where
                w = _build(raw, where, problems)
                if w is not None:
                    out.append(w)
            return out, problems
    raise InputError(
        "no waiver table found: need a header row naming the community (社区代码 or 社区名称), "
        "the rule (标准) and the expiry date (有效期至)",
        where=str(path),
    )


def load_waivers(path: str | os.PathLike[str]) -> tuple[Waiver, ...]:
    """Read a waivers file: TOML (``[[waivers]]``) or a sheet (.xlsx, .xls, .ods, .csv).

    Raises :class:`~compliance.errors.InputError` listing every entry that lacks
    a required value or has a date that cannot be read, each with its place.
    """
    p = Path(path)
    check_file(p, MAX_WAIVER_FILE_BYTES, InputError, "waivers file")
    if p.suffix.lower() == ".toml":
        waivers, problems = _from_toml(p)
    else:
        waivers, problems = _from_sheet(p)
    if problems:
        raise InputError("; ".join(problems), where=str(p), problems=problems)
    return tuple(waivers)


# --- applying --------------------------------------------------------------


def _matches_record(w: Waiver, record: Record, group: bool) -> bool:
    target = _norm(w.community)
    values = record.values
    if group:
        return target == _norm(values.get("subdistrict") or "")
    if values.get("id") is not None and target == _norm(values["id"]):
        return True
    if values.get("name") is None or target != _norm(values["name"]):
        return False
    return not w.subdistrict or _norm(w.subdistrict) == _norm(values.get("subdistrict") or "")


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
                seen.setdefault(_norm(name), set()).add(r.id)
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
    problems: list[str] = []
    for w in waivers:
        if w.rule.endswith("*"):
            if not any(fnmatch.fnmatchcase(rid, w.rule) for rid in ids):
                problems.append(f"{w.where}: rule {w.rule!r} matches no rule id")
            out.append(w)
            continue
        rid = names.get(_norm(w.rule))
        if rid is None:
            problems.append(f"{w.where}: unknown rule {w.rule!r}")
            continue
        out.append(w if rid == w.rule else replace(w, rule=rid, rule_given=w.rule))
    if problems:
        accepted = "; ".join(
            " / ".join(dict.fromkeys(n for n in (r.id, r.short_zh, r.short_en, r.title_zh) if n))
            for r in rules
        )
        problems = [f"{p} (accepted: {accepted}, or an id prefix ending in *)" for p in problems]
        raise InputError("; ".join(problems), problems=problems)
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
