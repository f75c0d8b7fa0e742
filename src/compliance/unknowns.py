"""Why findings are unknown, grouped by cause: what a report's banner says first.

An unknown finding has one of four causes, and who must act differs:

- ``unsourced``: the office has no sourced reference figure for a unit (no wage for
  义乌市). The office's gap: grouped by the field and its reference table, naming
  the units.
- ``missing``: a cell a rule needs is empty or unreadable. The return's: one group,
  naming the fields and the files.
- ``blocking``: a blocking check (强制性审核) failed, so the standards it concerns
  are not judged.
- ``error``: the rule cannot be computed from the figures given.

Only the unknown findings are read (a few columns of the findings table), never
the passes or the failures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compliance.results import Report

__all__ = ["UnknownCause", "causes"]

#: The order causes are listed in: the office's own gap first, then the returns'.
_ORDER = {"unsourced": 0, "missing": 1, "blocking": 2, "error": 3}


@dataclass(frozen=True, slots=True)
class UnknownCause:
    """One cause of unknown findings and what it left undecided."""

    kind: str
    #: The fields the cause is about (unsourced: one; missing: each empty or unreadable).
    fields: tuple[str, ...] = ()
    #: The reference table (unsourced), else "".
    lookup: str = ""
    #: The units without a sourced figure (unsourced), in first-seen order.
    units: tuple[str, ...] = ()
    #: The rules left unknown, in rule-set order.
    rules: tuple[str, ...] = ()
    #: How many communities have at least one finding unknown for this cause.
    communities: int = 0
    #: The input files (names, no folders) the communities come from.
    files: tuple[str, ...] = ()


@dataclass(slots=True)
class _Acc:
    units: dict[str, None] = field(default_factory=dict)
    fields: dict[str, None] = field(default_factory=dict)
    rules: set[str] = field(default_factory=set)
    communities: set[tuple[int, int]] = field(default_factory=set)
    files: dict[str, None] = field(default_factory=dict)


def _unit(note: str) -> tuple[str, str]:
    """(lookup, unit) of an ``field=unsourced:lookup[unit]`` note; unit "" when the
    record names no unit to look up (``[(city,district)]``)."""
    body = note.partition("=unsourced:")[2]
    lookup, _, rest = body.partition("[")
    unit = rest.rstrip("]")
    return lookup, "" if unit.startswith("(") else unit


def causes(report: Report) -> list[UnknownCause]:
    """The causes of the report's unknown community findings, office's gaps first,
    then by how many communities each leaves undecided."""
    import polars as pl

    acc: dict[tuple[str, str, str], _Acc] = {}

    def add(key: tuple[str, str, str], ci: int, rec: int, rule: str, file: str) -> _Acc:
        a = acc.setdefault(key, _Acc())
        a.rules.add(rule)
        a.communities.add((ci, rec))
        a.files[file] = None
        return a

    for ci, check in enumerate(report.checks):
        file = Path(check.source.path).name
        unknown = check.table.findings(pl.col("outcome") == "unknown")
        for rec, rule, reason, fields, notes in unknown.select(
            "_rec", "rule", "reason", "missing", "notes"
        ).iter_rows():
            reason = reason or ""
            if reason.startswith("review:"):
                add(("blocking", "", ""), ci, rec, rule, file)
                continue
            if reason.startswith("error:"):
                add(("error", "", ""), ci, rec, rule, file)
                continue
            if reason != "missing":
                continue
            for fid in fields or []:
                note = next((n for n in notes or [] if n.startswith(f"{fid}=unsourced:")), None)
                if note is not None:  # the cell is empty and no sourced figure fills it
                    lookup, unit = _unit(note)
                    a = add(("unsourced", fid, lookup), ci, rec, rule, file)
                    a.units[unit] = None
                else:
                    a = add(("missing", "", ""), ci, rec, rule, file)
                a.fields[fid] = None
    order = {r.id: i for i, r in enumerate(report.rules)}
    out = [
        UnknownCause(
            kind=kind,
            fields=tuple(a.fields),
            lookup=lookup,
            units=tuple(a.units),
            rules=tuple(sorted(a.rules, key=lambda r: order.get(r, len(order)))),
            communities=len(a.communities),
            files=tuple(a.files),
        )
        for (kind, _, lookup), a in acc.items()
    ]
    return sorted(out, key=lambda c: (_ORDER[c.kind], -c.communities, c.fields))
