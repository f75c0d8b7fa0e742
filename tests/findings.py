"""Findings as tests read them: rows of the findings table, one helper for every test.

:func:`communities` gives, per community of a check (or of every check of a report,
in input order), its identity and its findings in rule-set order, each a
:class:`Found` row read from :meth:`compliance.findings.FindingsTable.findings`.
Nothing here reads an object view of the findings; what the table holds is what
a test sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from compliance.findings import FindingsTable
from compliance.model import DataProblem, Outcome, SourceInfo
from compliance.results import CheckResult, Report
from compliance.rules.model import Rule, RuleSet


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


def check_record(
    values: Mapping[str, Any],
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    *,
    as_of: dt.date | None = None,
    derived: Mapping[str, str] | None = None,
    cells: Mapping[str, str] | None = None,
    checks: bool = False,
    row: int = 2,
) -> tuple[Community, tuple[DataProblem, ...]]:
    """One record checked alone, as the engine checks a sheet: ``values`` (field ->
    value, None for an empty cell) become ``row`` of a one-row frame of sheet "S", each
    field in its own column (A, B, … in the order given; ``cells`` may name others),
    and ``rules`` (default: all of ``ruleset``) run on it. Returns the community with
    its findings, and the data problems the engine found (with ``checks``, the rule
    set's consistency checks run too, and a blocking one can make a finding unknown)."""
    import polars as pl

    from compliance.catalogue import default_catalogue
    from compliance.engine.run import check_sheet
    from compliance.reading.frame import CELL_PREFIX, ROW, SheetFrame

    cat = default_catalogue()
    letters = {f: chr(65 + i) for i, f in enumerate(values)}
    source = SourceInfo("t.xlsx", "", "xlsx", "S", (1,), {f: (letters[f], f) for f in values})
    columns: list[pl.Series] = [pl.Series(ROW, [row], dtype=pl.Int64)]
    for f, v in values.items():
        numeric = f in cat and cat[f].type in ("integer", "number", "flag")
        value = (float(v) if numeric else str(v)) if v is not None else None
        columns.append(pl.Series(f, [value], dtype=pl.Float64 if numeric else pl.String))
        cell = (cells or {}).get(f, f"S!{letters[f]}{row}")
        columns.append(pl.Series(CELL_PREFIX + f, [cell], dtype=pl.String))
    sheet = SheetFrame(source, pl.DataFrame(columns), (), dict(derived or {}))
    chosen = list(rules) if rules is not None else list(ruleset.rules)
    done = check_sheet(sheet, ruleset, chosen, as_of=as_of, checks=checks)
    (community,) = _rows(done.table, source.path, "S")
    return community, done.problems


def check_one(
    values: Mapping[str, Any],
    ruleset: RuleSet,
    rules: Sequence[Rule] | None = None,
    **options: Any,
) -> Community:
    """The community of :func:`check_record` (its findings), without the data problems."""
    return check_record(values, ruleset, rules, **options)[0]
