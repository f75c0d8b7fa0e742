"""Matching the communities of two snapshots, and the region levels to group them by.

Used by :mod:`compliance.progress.compare`. Communities are matched by community code,
falling back to name plus sub-district; each current row is used at most once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from compliance.errors import UsageError
from compliance.model import RecordResult
from compliance.results import Report
from compliance.summary import LEVELS, Level, present_levels

__all__ = ["choose_levels", "match", "region_of"]


def _norm(value: Any) -> str:
    return "".join(unicodedata.normalize("NFKC", str(value or "")).split())


def match(
    baseline: Sequence[RecordResult], current: Sequence[RecordResult]
) -> tuple[list[tuple[RecordResult | None, RecordResult | None, str]], list[str]]:
    """Pairs (baseline, current, matched_by): by code, then by name and sub-district."""
    by_id: dict[str, list[int]] = {}
    by_name: dict[tuple[str, str], list[int]] = {}
    duplicates: list[str] = []
    for i, rr in enumerate(current):
        code = _norm(rr.record.values.get("id"))
        if code:
            if code in by_id:
                duplicates.append(code)
            by_id.setdefault(code, []).append(i)
        name = (_norm(rr.record.values.get("name")), _norm(rr.record.values.get("subdistrict")))
        if name[0]:
            by_name.setdefault(name, []).append(i)
    taken: set[int] = set()

    def take(candidates: list[int] | None) -> int | None:
        for i in candidates or ():
            if i not in taken:
                taken.add(i)
                return i
        return None

    seen: set[str] = set()
    pairs: list[tuple[RecordResult | None, RecordResult | None, str]] = []
    for rr in baseline:
        values = rr.record.values
        code = _norm(values.get("id"))
        if code:
            if code in seen:
                duplicates.append(code)
            seen.add(code)
        hit = take(by_id.get(code)) if code else None
        how = "id"
        if hit is None:
            hit = take(by_name.get((_norm(values.get("name")), _norm(values.get("subdistrict")))))
            how = "name"
        pairs.append((rr, current[hit], how) if hit is not None else (rr, None, ""))
    pairs += [(None, rr, "") for i, rr in enumerate(current) if i not in taken]
    return pairs, sorted(set(duplicates))


def region_of(rr: RecordResult, levels: Sequence[Level]) -> tuple[str, ...]:
    return tuple(" ".join(str(rr.record.values.get(lv.value) or "").split()) for lv in levels)


def choose_levels(report: Report, by: Level | str | None) -> tuple[Level | None, tuple[Level, ...]]:
    present = present_levels(report)
    results = report.results

    def distinct(level: Level) -> int:
        return len({region_of(rr, (level,)) for rr in results})

    if by is None:
        if not present:
            return None, ()
        level = next((lv for lv in present if distinct(lv) > 1), present[-1])
    else:
        try:
            level = Level(by)
        except ValueError:
            raise UsageError(
                "by_choice", value=repr(by), choices=", ".join(lv.value for lv in LEVELS)
            ) from None
        if level not in present:
            raise UsageError("by_no_column_current", level=str(level))
    coarser = [lv for lv in present if LEVELS.index(lv) < LEVELS.index(level)]
    return level, (*(lv for lv in coarser if distinct(lv) > 1), level)
