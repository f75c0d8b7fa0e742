"""Findings as tests read them: rows of the findings table, one helper for every test.

:func:`communities` gives, per community of a check (or of every check of a report,
in input order), its identity and its findings in rule-set order, each a
:class:`Found` row read from :meth:`compliance.findings.FindingsTable.findings`.
Nothing here reads an object view of the findings; what the table holds is what
a test sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from compliance.findings import FindingsTable
from compliance.model import Outcome
from compliance.results import CheckResult, Report


class Found(NamedTuple):
    """One finding: a row of the findings table, its lists as tuples."""

    rule: str
    outcome: Outcome
    actual: float | None
    required: float | None
    shortfall: float | None
    total: float | None
    derivation: str
    reason: str
    cells: tuple[str, ...]
    notes: tuple[str, ...]
    missing: tuple[str, ...]


_WORST = (Outcome.FAIL, Outcome.UNKNOWN, Outcome.NOT_YET_DUE)
_ATTENTION = frozenset({*_WORST, Outcome.WAIVED})


@dataclass(frozen=True)
class Community:
    """One community of a checked input, and its findings in rule-set order."""

    rec: int
    row: int
    id: str | None
    name: str
    district: str | None
    subdistrict: str | None
    #: The path of the input it was read from.
    source: str
    findings: tuple[Found, ...]
    #: The sheet it was read from, as a record names it ("" for CSV).
    sheet: str = ""

    def finding(self, rule: str) -> Found | None:
        return next((f for f in self.findings if f.rule == rule), None)

    @property
    def worst(self) -> Outcome:
        seen = {f.outcome for f in self.findings}
        return next((o for o in _WORST if o in seen), Outcome.PASS)

    @property
    def needs_attention(self) -> bool:
        return any(f.outcome in _ATTENTION for f in self.findings)


def _of(check: CheckResult) -> list[Community]:
    sheet = "" if check.source.format.startswith("csv") else check.source.sheet
    return _rows(check.table, check.source.path, sheet)


def _rows(table: FindingsTable, path: str, sheet: str) -> list[Community]:
    rows = table.findings()
    by_rec: dict[int, list[Found]] = {}
    for r in rows.iter_rows(named=True):
        by_rec.setdefault(r["_rec"], []).append(
            Found(
                r["rule"],
                Outcome(r["outcome"]),
                r["actual"],
                r["required"],
                r["shortfall"],
                r["total"],
                r["derivation"],
                r["reason"],
                tuple(r["cells"]),
                tuple(r["notes"]),
                tuple(r["missing"]),
            )
        )
    out = []
    for rec in table.records.sort("_rec").iter_rows(named=True):
        label = rec["name"] or rec["id"] or f"#{rec['_row']}"
        out.append(
            Community(
                rec["_rec"],
                rec["_row"],
                rec["id"],
                label,
                rec["district"],
                rec["subdistrict"],
                path,
                tuple(by_rec.get(rec["_rec"], ())),
                sheet,
            )
        )
    return out


def communities(source: CheckResult | Report) -> list[Community]:
    """Every community of ``source`` with its findings, in input order."""
    checks = source.checks if isinstance(source, Report) else (source,)
    return [c for check in checks for c in _of(check)]


def subdistricts(source: CheckResult | Report) -> list[Community]:
    """Every sub-district of ``source`` that rules with level "subdistrict" were
    checked on, with its findings, in input order (read from each check's
    sub-district table)."""
    checks = source.checks if isinstance(source, Report) else (source,)
    return [
        c
        for check in checks
        if check.groups is not None
        for c in _rows(check.groups, check.source.path, check.group_sheet)
    ]


def finding(source: CheckResult | Report, rule: str, at: int = 0) -> Found:
    """The finding of ``rule`` for the ``at``-th community of ``source``."""
    found = communities(source)[at].finding(rule)
    assert found is not None, f"no finding of {rule!r} for community {at}"
    return found
