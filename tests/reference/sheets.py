"""Writing reference communities into workbooks, and comparing the tool with the reference.

A community is a mapping field id -> raw cell value. :func:`write_sheet` writes
a list of them under the Chinese headers of ``tests/conftest.py`` (plus the
optional columns a layout asks for) as ``.xlsx`` or UTF-8 ``.csv``;
:func:`disagreements` runs ``compliance.api.check`` on the file and lists every
(row, rule) where the tool and :class:`~tests.reference.checker.Reference` differ.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from compliance import api
from compliance.reading.frame import ROW as ROW_COLUMN
from compliance.results import CheckResult
from compliance.rules.model import RuleSet
from tests.conftest import HEADERS
from tests.reference.checker import Expected, Reference

#: Field id of each header of tests/conftest.py, in order.
BASE_FIELDS = (
    "name",
    "subdistrict",
    "district",
    "households",
    "premises_area",
    "full_time_workers",
    "pay_monthly",
    "local_avg_wage",
    "pension_insured",
    "unemployment_insured",
    "medical_insured",
    "injury_insured",
    "maternity_insured",
    "housing_fund",
)
HEADER_OF = dict(zip(BASE_FIELDS, HEADERS, strict=True)) | {
    "city": "所属市",
    "pay_annual": "人均年收入",
    "female_workers": "女职工人数",
    "total_staff": "总人数",
}
#: The key of a community's roster rows (worker dicts) in its row mapping.
ROSTER = "_roster"
#: Roster headers (tool's roster catalogue) by worker key.
ROSTER_HEADERS = {
    "worker": "姓名",
    "community": "所属社区",
    "full_time": "是否专职",
    "sex": "性别",
    "pay": "年收入",
    "pension_insured": "养老保险",
    "unemployment_insured": "失业保险",
    "medical_insured": "医疗保险",
    "injury_insured": "工伤保险",
    "maternity_insured": "生育保险",
    "housing_fund": "住房公积金",
}
#: Shortfalls, requirements and totals agree to this.
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Layout:
    """Which columns a sheet has, beyond conftest's name..housing_fund."""

    annual: bool = False  # 人均年收入 instead of 人均月报酬
    wage: bool = True  # 上年职工平均工资
    city: bool = False  # 所属市
    female: bool = False  # 女职工人数
    total_staff: bool = False  # 总人数
    csv: bool = False
    #: A second sheet 人员名册 with each community's workers (row key ``ROSTER``).
    roster: bool = False
    #: The roster has a 性别 column (its women are the female workers).
    sex: bool = False

    @property
    def columns(self) -> frozenset[str]:
        """The fields the tool has a figure column for: the sheet's, and the female
        workers a roster's 性别 column gives."""
        extra = ("female_workers",) if self.roster and self.sex else ()
        return frozenset((*self.fields, *extra))

    @property
    def fields(self) -> tuple[str, ...]:
        out: list[str] = []
        for f in BASE_FIELDS:
            if f == "pay_monthly":
                f = "pay_annual" if self.annual else f
            if f == "local_avg_wage" and not self.wage:
                continue
            out.append(f)
            if f == "district" and self.city:
                out.append("city")
            if f == "full_time_workers":
                out += ["female_workers"] * self.female + ["total_staff"] * self.total_staff
        return tuple(out)


def write_sheet(rows: Sequence[Mapping[str, Any]], layout: Layout, folder: Path) -> Path:
    """The rows under the layout's headers; the first data row is sheet row 2."""
    fields = layout.fields
    table = [[row.get(f) for f in fields] for row in rows]
    if layout.csv:
        path = folder / "communities.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow([HEADER_OF[f] for f in fields])
            out.writerows([["" if v is None else v for v in r] for r in table])
        return path
    wb = Workbook()
    ws = wb.active
    ws.append([HEADER_OF[f] for f in fields])
    for r in table:
        ws.append(r)
    if layout.roster:
        _write_roster(wb.create_sheet("人员名册"), rows)
    path = folder / "communities.xlsx"
    wb.save(path)
    return path


def frame_of(rows: Sequence[Mapping[str, Any]], layout: Layout, by_id: bool) -> Any:
    """The rows as a pandas DataFrame (object columns, cells as written), under the
    sheet's Chinese headers or, with ``by_id``, the field ids."""
    import pandas as pd

    fields = layout.fields
    names = list(fields) if by_id else [HEADER_OF[f] for f in fields]
    data = {
        n: pd.Series([row.get(f) for row in rows], dtype=object)
        for n, f in zip(names, fields, strict=True)
    }
    return pd.DataFrame(data)


def frame_disagreements(
    rows: Sequence[Mapping[str, Any]],
    layout: Layout,
    ruleset: RuleSet,
    reference: Reference,
    *,
    by_id: bool,
) -> list[str]:
    """:func:`disagreements` for ``compliance.check_frame`` on the same rows (rows
    numbered from 1; a frame has no roster)."""
    plain = [{k: v for k, v in row.items() if k != ROSTER} for row in rows]
    result = api.check_frame(frame_of(plain, layout, by_id), ruleset=ruleset)
    return compare(result, plain, frozenset(layout.fields), reference, first_row=1)


def _write_roster(ws: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    workers = [(row["name"], w) for row in rows for w in row.get(ROSTER, ())]
    monthly = any("monthly" in w for _, w in workers)
    heads = dict(ROSTER_HEADERS, pay="月报酬" if monthly else "年收入")
    if not any("sex" in w for _, w in workers):
        del heads["sex"]
    ws.append(list(heads.values()))
    for n, (community, w) in enumerate(workers):
        cells = {"worker": f"工作者{n:05d}", "community": community, **w}
        ws.append([cells.get(k) for k in heads])


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= TOLERANCE


@dataclass(frozen=True)
class Got:
    """One (community, standard) outcome as the tool's findings table gives it."""

    outcome: str
    shortfall: float | None
    required: float | None
    total: float | None
    reason: str


def _differs(exp: Expected, got: Got) -> bool:
    if got.outcome != exp.outcome:
        return True
    if exp.outcome in ("unknown", "not_applicable"):
        return got.shortfall is not None
    return not (
        _close(exp.shortfall, got.shortfall)
        and _close(exp.required, got.required)
        and _close(exp.total, got.total)
    )


def _show(e: Expected | Got) -> str:
    return f"{e.outcome} short={e.shortfall} required={e.required} total={e.total}"


def disagreements(
    path: Path,
    rows: Sequence[Mapping[str, Any]],
    layout: Layout,
    ruleset: RuleSet,
    reference: Reference,
) -> list[str]:
    """Every way the tool's check of ``path`` differs from the reference, one line each
    naming the row, its cells, and both outcomes. Also compared: that every row is
    checked, and which consistency checks each row fails."""
    result = api.check(path, ruleset=ruleset)
    return compare(result, rows, layout.columns, reference, first_row=2)


def compare(
    result: CheckResult,
    rows: Sequence[Mapping[str, Any]],
    columns: frozenset[str],
    reference: Reference,
    *,
    first_row: int,
) -> list[str]:
    """Every way ``result`` (the tool's check of ``rows``, the first numbered
    ``first_row``) differs from the reference, read from its findings table."""
    table = result.table
    row_of = dict(table.records.select("_rec", ROW_COLUMN).iter_rows())
    found: dict[int, dict[str, Got]] = {}
    for rec, rule, outcome, short, required, total, reason in table.outcomes.select(
        "_rec", "rule", "outcome", "shortfall", "required", "total", "reason"
    ).iter_rows():
        found.setdefault(row_of[rec], {})[rule] = Got(outcome, short, required, total, reason)
    problems: list[str] = []
    wanted = list(range(first_row, first_row + len(rows)))
    if sorted(found) != wanted:
        problems.append(f"rows checked: {sorted(found)[:10]}…, expected {wanted[:1]}..")
    checks_of: dict[int, set[str]] = {}
    for p in result.problems:
        if p.code == "review":
            checks_of.setdefault(p.row or 0, set()).add(p.check or "")
    for i, row in enumerate(rows):
        at = first_row + i
        verdict = reference.decide(row, columns, row.get(ROSTER, ()))
        cells = {f: row.get(f) for f in columns}
        if row.get(ROSTER):
            cells[ROSTER] = row[ROSTER]
        if at not in found:
            continue
        for rule, exp in verdict.outcomes.items():
            got = found[at].get(rule)
            if got is None or _differs(exp, got):
                shown = _show(got) if got is not None else "missing"
                problems.append(
                    f"row {at} {rule}: reference {_show(exp)}; tool {shown} "
                    f"({got.reason if got is not None else ''}); cells {cells}"
                )
        if set(verdict.failed_checks) != checks_of.get(at, set()):
            problems.append(
                f"row {at} checks: reference {sorted(verdict.failed_checks)}; "
                f"tool {sorted(checks_of.get(at, set()))}; cells {cells}"
            )
    return problems
