"""Rules checked once per sub-district (街道) rather than once per community.

The 2008 report counts 130 sub-districts without a community service centre.
A rule with ``level = "subdistrict"`` reads sub-district figures, which come
either

- from a column of the community rows: every row of a sub-district carries its
  figure (repeated, or in a cell merged down the sub-district's rows); rows
  that disagree make the figure unknown and are reported as a data problem; or
- from a sheet of their own in the same workbook, one row per sub-district,
  found by its header (a sub-district column and the rule's fields; see
  :mod:`compliance.reading.subdistricts`).

Each sub-district becomes one :class:`~compliance.model.Record` (named after
the sub-district, pointing at the cells it was read from) and is evaluated
like a community, so it has the same outcomes, shortfalls and derivations:
the engine hands :func:`evaluate_subdistricts` its own record evaluator, so that
this module, which the engine calls, never imports the engine.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from compliance.catalogue import Catalogue, default_catalogue, field_named
from compliance.errors import InputError
from compliance.model import DataProblem, Record, RecordResult, SheetData
from compliance.reading.subdistricts import REGION, find_sheet
from compliance.rules.model import Rule, RuleSet

if TYPE_CHECKING:
    from compliance.reading.frame import SheetFrame

LEVEL = "subdistrict"
CONFLICT = "subdistrict_conflict"


class Evaluator(Protocol):
    """Evaluates records against rules and gives their results in order (the engine's
    :func:`~compliance.engine.run.iter_results`)."""

    def __call__(
        self,
        records: Iterable[Record],
        ruleset: RuleSet,
        rules: Sequence[Rule] | None = None,
        *,
        as_of: dt.date | None = None,
    ) -> Iterable[RecordResult]: ...


def is_group_rule(rule: Rule) -> bool:
    """True for a rule evaluated once per sub-district."""
    return rule.level == LEVEL


def group_fields(rules: Sequence[Rule]) -> tuple[str, ...]:
    """The fields sub-district rules read, in rule order."""
    seen: dict[str, None] = {}
    for r in rules:
        if is_group_rule(r):
            seen.update(dict.fromkeys(r.fields))
    return tuple(seen)


def _key(values: Any) -> tuple[str, ...]:
    return tuple(
        "".join(unicodedata.normalize("NFKC", str(values.get(f) or "")).split()) for f in REGION
    )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-9
    return bool(a == b)


def group_records(
    records: Sequence[Record], fields: Sequence[str]
) -> tuple[tuple[Record, ...], tuple[DataProblem, ...], int]:
    """One record per sub-district from rows that carry sub-district figures.

    Returns the sub-district records (in the order each first appears), the
    conflicts found (rows of one sub-district with different figures), and the
    number of rows that name no sub-district and so were left out.
    """
    groups: dict[tuple[str, ...], list[Record]] = {}
    unnamed = 0
    for rec in records:
        if not rec.values.get("subdistrict"):
            unnamed += 1
            continue
        groups.setdefault(_key(rec.values), []).append(rec)
    out: list[Record] = []
    problems: list[DataProblem] = []
    for rows in groups.values():
        first = rows[0]
        name = str(first.values.get("subdistrict"))
        values: dict[str, Any] = {f: first.values.get(f) for f in REGION}
        values["name"] = name
        cells: dict[str, str] = {f: first.cells[f] for f in REGION if f in first.cells}
        for fid in fields:
            found = [(r.values.get(fid), r.cells.get(fid, "")) for r in rows]
            given = [(v, c) for v, c in found if v is not None]
            if not given:
                values[fid] = None
                cells[fid] = found[0][1]
                continue
            value, cell = given[0]
            clash = next(((v, c) for v, c in given[1:] if not _same(v, value)), None)
            if clash is None:
                values[fid] = value
                cells[fid] = cell
                continue
            values[fid] = None
            cells[fid] = clash[1]
            label = field_named(fid)
            zh_name = label.zh if label else fid
            en_name = label.en.lower() if label else fid
            a, b = _number(clash[0]), _number(value)
            problems.append(
                DataProblem(
                    code=CONFLICT,
                    cell=clash[1],
                    message_zh=f"街道“{name}”的{zh_name}与 {cell} 不一致（{a} 与 {b}），无法判断",
                    message_en=f"sub-district {name}: {en_name} differs from {cell} "
                    f"({a} and {b}); cannot decide",
                    field=fid,
                    raw=a,
                )
            )
        out.append(Record(first.source, first.sheet, first.row, values, cells))
    return tuple(out), tuple(problems), unnamed


def _number(v: Any) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def subdistrict_source(
    path: str | os.PathLike[str],
    data: SheetData | SheetFrame,
    rules: Sequence[Rule],
    catalogue: Catalogue | None = None,
) -> SheetData | None:
    """Where sub-district figures come from: None for the community rows' own
    columns, else the sheet that lists sub-districts.

    Raises :class:`~compliance.errors.InputError` when neither has them.
    """
    fields = [f for f in group_fields(rules) if f not in REGION]
    if not fields:
        return None
    have = set(data.source.columns)
    if "subdistrict" in have and all(f in have for f in fields):
        return None
    cat = catalogue or default_catalogue()
    sheet = find_sheet(path, fields, skip=data.source.sheet, catalogue=cat)
    if sheet is not None:
        return sheet
    names = ", ".join(f"{f} ({cat[f].zh})" for f in fields if f not in have) or "subdistrict"
    ids = ", ".join(r.id for r in rules if is_group_rule(r))
    raise InputError(
        "subdistrict_no_source",
        names=names,
        ids=ids,
        where=f"{data.source.path} [{data.source.sheet}]",
    )


def evaluate_subdistricts(
    data: SheetData,
    ruleset: RuleSet,
    rules: Sequence[Rule],
    *,
    as_of: dt.date | None = None,
    sheet: SheetData | None = None,
    evaluate: Evaluator,
) -> tuple[tuple[RecordResult, ...], tuple[DataProblem, ...], tuple[str, str] | None]:
    """Evaluate sub-district rules with ``evaluate``, from ``sheet`` if given, else
    from ``data``'s columns.

    Returns the results (one per sub-district), data problems (conflicting
    figures, and the sub-district sheet's own problems) and a reading note
    (zh, en) when rows were left out for naming no sub-district.
    """
    chosen = [r for r in rules if is_group_rule(r)]
    if not chosen:
        return (), (), None
    source = sheet or data
    records, problems, unnamed = group_records(source.records, group_fields(chosen))
    results = tuple(evaluate(records, ruleset, chosen, as_of=as_of))
    extra = problems + (sheet.problems if sheet is not None else ())
    note = None
    if unnamed:
        note = (
            f"{unnamed} 行未填所属街道，未计入街道层级标准",
            f"{unnamed} rows name no sub-district and are left out of sub-district rules",
        )
    return results, extra, note
