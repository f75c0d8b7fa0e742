"""Explanations read back: the 说明 column a district fills in before sending a
return back.

``compliance annotate`` adds a column headed 说明 beside its result column; the
catalogue knows it as the field ``explanation`` (headers 说明, 情况说明 …), so the
reader maps it like any other column when the returned file is checked again.
Text in it for a row marks that row's *advisory* items as explained: failed
advisory checks (提示性审核), subtotals that do not add up (on the subtotal's own
row) and swings (大起大落, in ``compliance progress``). An explained item stays in
every report, with its explanation, and no longer counts against the return's
verdict (:mod:`compliance.verdict`). Nothing else changes: a blocking check still
blocks, and an explanation never turns a failing standard into a pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from compliance.model import DataProblem
from compliance.reading.frame import ROW, SheetFrame

#: The catalogue field a return's explanations are read from.
FIELD = "explanation"
#: The DataProblem codes an explanation can answer (besides advisory checks).
_SWING = "swing"


def explainable(problem: DataProblem) -> bool:
    """Whether an explanation answers ``problem``: an advisory check or a swing."""
    return (problem.code == "review" and problem.severity == "advisory") or problem.code == _SWING


def row_explanations(sheet: SheetFrame) -> dict[int, str]:
    """Sheet row -> the explanation written on it (community and subtotal rows)."""
    out: dict[int, str] = {}
    for frame in (sheet.frame, sheet.subtotals):
        if frame is None or FIELD not in frame.columns:
            continue
        rows = frame.select(ROW, FIELD).drop_nulls()
        for row, text in rows.iter_rows():
            if str(text).strip():
                out[int(row)] = str(text).strip()
    return out


def mark_explained(
    problems: Iterable[DataProblem], explanations: Mapping[int, str], sheet: str
) -> tuple[DataProblem, ...]:
    """``problems`` with each explainable one on an explained row of ``sheet`` marked
    with its explanation (problems on other sheets, a roster's, are left as they are)."""
    out = []
    for p in problems:
        text = explanations.get(p.row) if p.row is not None else None
        if text and explainable(p) and on_sheet(p.cell, sheet):
            p = replace(p, explanation=text)
        out.append(p)
    return tuple(out)


def on_sheet(cell: str, sheet: str) -> bool:
    """Whether ``cell`` ("社区情况!F3") is on ``sheet`` (any cell is, in a CSV file)."""
    if not sheet or "!" not in cell:
        return True  # a CSV file has one sheet
    return cell.rsplit("!", 1)[0].strip("'") == sheet
