"""A verdict per return: accepted, accepted with notes, or returned for correction.

A statistical office gives each return a status (审核通过 / 退回修改). The verdict
judges the return's *data* (readable, complete, consistent), never whether its
communities meet the standards: a clean return whose communities all fall short
is ``accepted``.

- ``returned`` (退回修改): the file cannot be read; or a blocking check
  (强制性审核, or a subtotal check a rule set makes blocking) fails; or a cell a
  rule needs is unreadable or empty; or a rule cannot be computed from the
  figures given (a division by zero).
- ``accepted_with_notes`` (通过，附说明事项): none of that, but advisory items
  without an explanation (提示性审核, subtotals that do not add up) or other
  notes on the data (a repeated row, a roster that disagrees, an unreadable cell
  that no rule needs).
- ``accepted`` (审核通过): none of either. Advisory items that the return
  explains in its 说明 column (:mod:`compliance.explanations`) are counted as
  ``explained`` and do not hold it back.

A rule left unknown because the office has no sourced figure for a unit (no
reference wage for 义乌市) is the office's gap, not the return's: it is counted
(``unsourced``) and does not change the verdict.

The verdict is worked out from what a check holds: its findings table (the
unknown findings, with their cells, missing fields and notes), its data problems
and its failed checks. It is taken when the input is checked (and kept with the
:class:`~compliance.results.CheckResult`), so that what is later made of the
run (a duplicate community counted from another file) does not change what is
said of the return itself.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from compliance.results import CheckResult, InputFailure, Report

__all__ = ["Status", "Verdict", "judge", "judge_failure", "verdict_of", "verdicts"]

#: Data problems that are notes on a return, never a cell to correct for a rule.
_NOTE_CODES = frozenset({"duplicate", "roster_unmatched", "roster_mismatch"})


class Status(StrEnum):
    ACCEPTED = "accepted"
    ACCEPTED_WITH_NOTES = "accepted_with_notes"
    RETURNED = "returned"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The status of one return and the counts that produced it."""

    status: Status
    #: False when the file could not be read at all.
    readable: bool = True
    #: Failed blocking checks (强制性审核, blocking subtotal checks).
    blocking_checks: int = 0
    #: Cells a rule needs that hold something that is not a usable figure.
    unreadable_cells: int = 0
    #: Cells a rule needs that are empty.
    missing_cells: int = 0
    #: Findings that cannot be computed from the figures given.
    uncomputable: int = 0
    #: Advisory items without an explanation (advisory checks, subtotal imbalances).
    advisory: int = 0
    #: Advisory items the return explains (说明).
    explained: int = 0
    #: Other notes on the data: repeated rows, roster mismatches, unreadable cells no rule needs.
    notes: int = 0
    #: Findings unknown only for want of a sourced reference figure (the office's gap).
    unsourced: int = 0

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["status"] = self.status.value
        return out


def judge(check: CheckResult) -> Verdict:
    """The verdict on one checked input (see the module docstring)."""
    import polars as pl

    needed = {f for r in check.rules for f in r.fields}
    blocking = advisory = explained = notes = 0
    unreadable: set[str] = set()
    for p in check.problems:
        if p.code == "review" or p.code == "swing":
            if p.severity == "blocking":
                blocking += 1
            elif p.explained:
                explained += 1
            else:
                advisory += 1
        elif p.field in needed and p.code not in _NOTE_CODES:
            unreadable.add(p.cell or f"{p.row}:{p.field}")
        else:
            notes += 1
    missing: set[str] = set()
    unsourced: set[tuple[int, str]] = set()
    uncomputable = 0
    # Only the unknown findings are explained (materialising every finding would cost
    # the derivations of all the failures too).
    unknown = check.table.findings(pl.col("outcome") == "unknown")
    for rec, reason, cells, fields, found in unknown.select(
        "_rec", "reason", "cells", "missing", "notes"
    ).iter_rows():
        if reason.startswith("error:"):
            uncomputable += 1
        if reason != "missing":
            continue  # a blocking check's unknowns are counted as the check
        cells = cells or []
        for i, fid in enumerate(fields or []):
            cell = cells[i] if i < len(cells) else ""
            if any(n.startswith(f"{fid}=unsourced:") for n in found or []):
                unsourced.add((rec, fid))
            elif cell not in unreadable:
                missing.add(cell or f"{rec}:{fid}")
    if blocking or unreadable or missing or uncomputable:
        status = Status.RETURNED
    elif advisory or notes:
        status = Status.ACCEPTED_WITH_NOTES
    else:
        status = Status.ACCEPTED
    return Verdict(
        status=status,
        blocking_checks=blocking,
        unreadable_cells=len(unreadable),
        missing_cells=len(missing),
        uncomputable=uncomputable,
        advisory=advisory,
        explained=explained,
        notes=notes,
        unsourced=len(unsourced),
    )


def judge_failure(failure: InputFailure) -> Verdict:
    """An input that could not be read is returned, whatever else is true."""
    return Verdict(status=Status.RETURNED, readable=False)


def verdict_of(check: CheckResult) -> Verdict:
    """The verdict taken when ``check`` was made, or worked out now."""
    given = check.verdict
    return given if isinstance(given, Verdict) else judge(check)


def verdicts(report: Report) -> list[tuple[str, Verdict]]:
    """(path, verdict) for each readable input, then each unreadable one."""
    out = [(c.source.path, verdict_of(c)) for c in report.checks]
    out += [(f.path, judge_failure(f)) for f in report.failures]
    return out
