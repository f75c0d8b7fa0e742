"""What a sheet's values need before rules are decided on them.

Three preparations, each a semantic the engines share:

- :func:`screen`: a value of a ``positive`` catalogue field (the wage) that is 0 or
  less is emptied and becomes a ``not_positive`` data problem naming the cell;
- :func:`fill_lookups`: a reference table fills an *empty* cell only (never one in
  :func:`problem_cells`), and where no entry applies the note says which unit has no
  sourced figure (``local_avg_wage=unsourced:local_avg_wage[义乌市]``);
- :func:`stand_in_notes`: the sheet notes of a rule's stand-ins (maternity counted
  against all full-time workers where the sheet has no female-worker column).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from typing import Any

from compliance import labels
from compliance.catalogue import default_catalogue
from compliance.model import DataProblem, Record, SheetData, SourceInfo
from compliance.rules.model import Lookup, Rule

#: The data-problem code of a value that must be greater than 0 (a wage).
NOT_POSITIVE = "not_positive"


def fill_lookups(
    record: Record, lookups: Iterable[Lookup], blocked: AbstractSet[str] = frozenset()
) -> tuple[Mapping[str, Any], tuple[str, ...]]:
    """The record's values with empty lookup fields filled, and a note per lookup.

    A lookup fills only an empty cell (or a field the sheet has no column for): a
    cell in ``blocked`` (it holds something unreadable, negative or zero) stays
    empty, so the rule is unknown and names that cell. Where no entry applies the
    note says which unit has no sourced figure.
    """
    values: Mapping[str, Any] = record.values
    notes: list[str] = []
    for lk in lookups:
        if values.get(lk.field) is not None:
            continue
        cell = record.cells.get(lk.field)
        if cell and cell in blocked:
            continue
        hit = lk.find(values)
        if hit is None:
            miss = lk.miss(values)
            where = miss.unit if miss.key_field else "(" + ",".join(lk.key) + ")"
            notes.append(f"{lk.field}=unsourced:{lk.id}[{where}]")
            continue
        if values is record.values:
            values = dict(values)
        key, value = hit
        values[lk.field] = value  # type: ignore[index]
        year = f", {lk.year}" if lk.year else ""
        notes.append(f"{lk.field}=lookup:{lk.id}[{key}{year}]")
    return values, tuple(notes)


#: The source of records evaluated one at a time, outside any sheet.
NO_SOURCE = SourceInfo("", "", "", "", (), {})


def positive_fields(rules: Iterable[Rule]) -> tuple[str, ...]:
    """The fields the rules read whose catalogue entry says 0 or less is not a figure."""
    cat = default_catalogue()
    seen: dict[str, None] = {}
    for r in rules:
        seen.update(dict.fromkeys(r.fields))
        if r.scale is not None:
            seen.update(dict.fromkeys(r.scale.fields))
    return tuple(f for f in seen if f in cat and cat[f].positive)


def screen(data: SheetData, fields: Sequence[str]) -> SheetData:
    """``data`` with every value of ``fields`` that is 0 or less emptied and reported as
    a ``not_positive`` data problem naming the cell (a wage of 0 is not a wage)."""
    if not fields:
        return data
    records = list(data.records)
    problems: list[DataProblem] = []
    for i, rec in enumerate(records):
        bad = [
            f
            for f in fields
            if isinstance(v := rec.values.get(f), int | float)
            and not isinstance(v, bool)
            and v <= 0
        ]
        if not bad:
            continue
        values = dict(rec.values)
        for f in bad:
            raw = labels.number(float(values[f]))
            zh, en = labels.not_positive(f, raw)
            problems.append(
                DataProblem(NOT_POSITIVE, rec.cells.get(f, rec.ref), zh, en, f, raw, rec.row)
            )
            values[f] = None
        records[i] = replace(rec, values=values)
    if not problems:
        return data
    return replace(data, records=tuple(records), problems=(*data.problems, *problems))


def problem_cells(problems: Iterable[DataProblem]) -> frozenset[str]:
    """The cells whose content is a data problem: a lookup never fills them."""
    return frozenset(p.cell for p in problems if p.field is not None)


def stand_in_notes(
    rules: Sequence[Rule], columns: AbstractSet[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Sheet notes (Chinese, English) for every stand-in used: which count a rule is
    judged against because the sheet has no column for the one it names."""
    zh: list[str] = []
    en: list[str] = []
    for r in rules:
        for f, sub in r.stand_ins(columns).items():
            f_zh, sub_zh = labels.field_label(f, "zh"), labels.field_label(sub, "zh")
            f_en, sub_en = (
                labels.field_label(f, "en").lower(),
                labels.field_label(sub, "en").lower(),
            )
            if f not in columns:
                zh.append(f"{r.short('zh')}：表中没有“{f_zh}”列，按{sub_zh}计")
                en.append(
                    f"{r.short('en')}: the sheet has no {f_en} column, "
                    f"so it is counted against {sub_en}"
                )
            else:
                zh.append(f"{r.short('zh')}：按规则集口径以{sub_zh}代替{f_zh}计")
                en.append(
                    f"{r.short('en')}: counted against {sub_en}, not {f_en} (rule-set reading)"
                )
    return tuple(zh), tuple(en)
