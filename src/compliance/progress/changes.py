"""What changed for one community between two snapshots: each standard, and large swings.

Used by :mod:`compliance.progress.compare`, which matches the communities. Everything
here is a plain function of a matched pair: its findings by rule (outcome and
shortfall) and its figures:

- :func:`standard_changes`: per standard, ``newly_compliant``, ``newly_failing``,
  ``still_failing`` (with the change in shortfall: ``improved``, ``worsened`` or
  ``unchanged``), ``still_compliant``, or ``unknown`` when either snapshot could
  not decide it. A standard that does not apply counts as not failing; a
  shortfall that is waived or not yet due still counts as failing, since the
  gap is still there.
- :func:`swings`: premises area, full-time workers or households changing by
  more than a share of the baseline figure (大起大落, which review asks to have
  explained), each a :class:`DataProblem` with code ``swing`` naming both cells.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from compliance.model import DataProblem, Outcome

__all__ = [
    "SWING",
    "SWING_FIELDS",
    "Change",
    "Side",
    "StandardChange",
    "Trend",
    "gap",
    "standard_changes",
    "swings",
]

#: The DataProblem code of a large swing between snapshots.
SWING = "swing"
#: The figures whose swings are flagged, with their unit label (zh, en).
SWING_FIELDS: dict[str, tuple[str, str, str, str]] = {
    "premises_area": ("用房面积", "premises area", "平方米", "m²"),
    "full_time_workers": ("专职人数", "full-time workers", "人", "workers"),
    "households": ("总户数", "households", "户", "households"),
}
#: Outcomes that leave a shortfall (the gap is there, whatever the deadline or waiver).
_SHORT = frozenset({Outcome.FAIL.value, Outcome.NOT_YET_DUE.value, Outcome.WAIVED.value})


class Change(StrEnum):
    """What happened to one community (or one of its standards) between the snapshots."""

    NEWLY_COMPLIANT = "newly_compliant"
    NEWLY_FAILING = "newly_failing"
    STILL_FAILING = "still_failing"
    STILL_COMPLIANT = "still_compliant"
    APPEARED = "appeared"
    DISAPPEARED = "disappeared"
    #: Unknown in either snapshot (a needed cell empty or unreadable).
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


class Trend(StrEnum):
    """How a shortfall that is still there moved."""

    IMPROVED = "improved"
    WORSENED = "worsened"
    UNCHANGED = "unchanged"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class StandardChange:
    """One standard of one matched community."""

    rule: str
    change: Change
    #: For ``still_failing``: whether the shortfall shrank, grew or stayed.
    trend: Trend | None
    #: The shortfall in the rule's unit in each snapshot (0 when not failing; None when unknown).
    baseline_shortfall: float | None
    current_shortfall: float | None


#: One finding as compared: its outcome and shortfall (None: the rule has no finding).
Found = tuple[str, float | None] | None


def gap(f: Found) -> float | None:
    """The physical gap of a finding: its shortfall when short (a failure, or one not
    yet due or waived), 0 when it passes or does not apply, None when unknown."""
    if f is None or f[0] == Outcome.UNKNOWN.value:
        return None
    return float(f[1] or 0.0) if f[0] in _SHORT else 0.0


def _classify(b: Found, c: Found) -> tuple[Change, Trend | None]:
    if b is None or c is None or Outcome.UNKNOWN.value in (b[0], c[0]):
        return Change.UNKNOWN, None
    was, now = b[0] in _SHORT, c[0] in _SHORT
    if was and now:
        bs, cs = gap(b) or 0.0, gap(c) or 0.0
        trend = (
            Trend.IMPROVED
            if cs < bs - 1e-9
            else Trend.WORSENED
            if cs > bs + 1e-9
            else Trend.UNCHANGED
        )
        return Change.STILL_FAILING, trend
    if was:
        return Change.NEWLY_COMPLIANT, None
    return (Change.NEWLY_FAILING if now else Change.STILL_COMPLIANT), None


def standard_changes(
    baseline: Mapping[str, Found], current: Mapping[str, Found], rules: Sequence[str]
) -> tuple[StandardChange, ...]:
    """Per standard in ``rules``, how a matched community changed (its findings by rule
    in each snapshot)."""
    out = []
    for rid in rules:
        b, c = baseline.get(rid), current.get(rid)
        change, trend = _classify(b, c)
        out.append(StandardChange(rid, change, trend, gap(b), gap(c)))
    return tuple(out)


class Side(NamedTuple):
    """A matched community in one snapshot, as :func:`swings` reads it."""

    #: The path of the input it was read from.
    source: str
    row: int
    #: The figures of :data:`SWING_FIELDS` and its ``explanation``, and their cells.
    values: Mapping[str, Any]
    cells: Mapping[str, str]


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _explanation(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def swings(baseline: Side, current: Side, name: str, share: float) -> tuple[DataProblem, ...]:
    """The figures of a matched community (``name``) that moved by more than ``share``
    of the baseline (from 0 to anything else counts too), naming both cells."""
    out = []
    for fid, (zh, en, unit_zh, unit_en) in SWING_FIELDS.items():
        b, c = baseline.values.get(fid), current.values.get(fid)
        if not isinstance(b, int | float) or not isinstance(c, int | float):
            continue
        b, c = float(b), float(c)
        if b == c or (b != 0 and abs(c - b) / abs(b) <= share + 1e-9):
            continue
        b_cell = baseline.cells.get(fid, "")
        c_cell = current.cells.get(fid, "")
        b_file, c_file = Path(baseline.source).name, Path(current.source).name
        moved = "" if b == 0 else f"{(c - b) / b * 100:+.1f}%"
        limit = f"{share * 100:g}%"
        message_zh = (
            f"{name}：{zh}由 {_num(b)} 变为 {_num(c)} {unit_zh}"
            + (f"（{moved}，超过 {limit}）" if moved else "（基期为 0）")
            + f"，大起大落，请说明：基期 {b_file} {b_cell}，本期 {c_file} {c_cell}"
        )
        message_en = (
            f"{name}: {en} went from {_num(b)} to {_num(c)} {unit_en}"
            + (f" ({moved}, more than {limit})" if moved else " (from 0)")
            + f"; please explain: baseline {b_file} {b_cell}, current {c_file} {c_cell}"
        )
        out.append(
            DataProblem(
                code=SWING,
                cell=c_cell,
                message_zh=message_zh,
                message_en=message_en,
                field=fid,
                raw=f"{_num(b)} -> {_num(c)}",
                row=current.row,
                cells=(b_cell, c_cell),
                # The current return's 说明 for this row answers its swings.
                explanation=_explanation(current.values.get("explanation")),
            )
        )
    return tuple(out)
