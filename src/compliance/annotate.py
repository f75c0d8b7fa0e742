"""The user's own workbook, marked up: each failing cell filled and commented with
its shortfall, each unknown cell with its reason, a result column per row, and a
scorecard sheet in front.

An .xlsx or .xlsm input is loaded with openpyxl and a copy is changed, so the
sheet keeps its values, formulas, layout, merges and column widths. An .xls,
.ods or .csv input is rebuilt as .xlsx from the values the reader sees, with
its merges where the format has them. The input file is never written: the
copy goes to another path, atomically (:mod:`compliance.output`). Everything
written here is text through :func:`compliance.render.xlsx.cells.put`, so no
value from a hostile sheet becomes a formula; the user's own formulas stay as
they were.

>>> from compliance import api
>>> from compliance.annotate import annotate
>>> report = api.check_files(["samples/jinhua-2007.xlsx"])  # doctest: +SKIP
>>> annotate(report, "marked.xlsx", lang="zh")  # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from compliance import labels
from compliance.errors import InputError, UsageError
from compliance.model import Outcome
from compliance.record_values import field_values
from compliance.render.shortfall import shortfall_words
from compliance.results import CheckResult, Report

if TYPE_CHECKING:
    import polars as pl
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from compliance.findings import FindingsTable

__all__ = ["Annotation", "annotate", "annotated_workbook"]

_CELL = re.compile(r"^(?:(?P<sheet>.*)!)?\$?(?P<col>[A-Z]{1,3})\$?(?P<row>\d+)$")
_SUBTOTAL = re.compile(r"(合\s*计|小\s*计|总\s*计|^(sub)?total)", re.IGNORECASE)
_IDENTITY = ("id", "name", "city", "district", "subdistrict")


@dataclass(frozen=True, slots=True)
class Annotation:
    """What :func:`annotate` wrote."""

    path: Path
    sheet: str
    failing_cells: int
    unknown_cells: int
    subtotal_rows: int


def annotate(report: Report, output: str | os.PathLike[str], *, lang: str = "zh") -> Annotation:
    """Write the annotated copy of the one input of ``report`` to ``output`` (.xlsx)."""
    from compliance.output import atomic_writer, guard_inputs

    out = Path(output)
    if out.suffix.lower() != ".xlsx":
        raise UsageError("annotate_xlsx", path=str(out))
    if report.failures:
        raise InputError(report.failures[0].said)
    if len(report.checks) != 1:
        raise UsageError("annotate_one")
    check = report.checks[0]
    guard_inputs(out, [Path(check.source.path)])
    wb, stats = annotated_workbook(report, check, lang)
    with atomic_writer(out, binary=True) as fh:
        wb.save(fh)
    return Annotation(out, check.source.sheet, *stats)


def annotated_workbook(
    report: Report, check: CheckResult, lang: str
) -> tuple[Workbook, tuple[int, int, int]]:
    """The marked-up workbook, and (failing cells, unknown cells, subtotal rows)."""
    from compliance import annotate_columns
    from compliance.annotate_copy import open_copy, print_fitted
    from compliance.render.xlsx.scorecard import scorecard_sheet

    wb, ws = open_copy(check)
    marks = _Marks(ws, check.source.sheet)
    rules = {r.id: r for r in report.rules}
    header_row = max(check.source.header_rows, default=1)
    # The result column, and the 说明 column beside it for the district's explanations.
    columns = annotate_columns.place(ws, check, header_row, lang)
    result_col = columns.result
    annotate_columns.ask(ws, check, columns.explanation)
    rows = set(check.table.records["_row"].to_list())
    found = _marked(check.table)
    _mark_findings(check.table, found, rules, marks, lang)
    annotate_columns.results(ws, check.table, found, result_col, rules, lang)
    if check.groups is not None:  # sub-district rules: marked on the cell they read
        _mark_findings(check.groups, _marked(check.groups), rules, marks, lang)
    for p in check.problems:
        marks.add(p.cell, p.message(lang), "unknown")
    subtotals = 0
    off = {p.row for p in check.problems if p.check == "subtotal"}
    for r in _subtotal_rows(ws, check, header_row, rows):
        subtotals += 1
        text = annotate_columns.say("subtotal_off" if r in off else "subtotal", lang)
        annotate_columns.put_text(ws, r, result_col, text, None)
    failing, unknown = marks.apply()
    print_fitted(ws, header_row)
    scorecard_sheet(wb, report, check, lang)
    return wb, (failing, unknown, subtotals)


class _Marks:
    """Comments and fills collected per cell, then written once (a cell measured by
    two standards gets both lines)."""

    _RANK: ClassVar[dict[str, int]] = {"fail": 0, "unknown": 1, "other": 2}

    def __init__(self, ws: Worksheet, sheet: str) -> None:
        self.ws = ws
        self.sheet = sheet
        self.notes: dict[tuple[int, int], list[str]] = {}
        self.kind: dict[tuple[int, int], str] = {}

    def add(self, ref: str, note: str, kind: str) -> None:
        m = _CELL.match(ref)
        if m is None or (m["sheet"] is not None and m["sheet"].strip("'") != self.sheet):
            return  # a cell on another sheet (a roster): the result column names it
        from openpyxl.utils import column_index_from_string

        key = (int(m["row"]), column_index_from_string(m["col"]))
        lines = self.notes.setdefault(key, [])
        if note and note not in lines:
            lines.append(note)
        old = self.kind.get(key)
        if old is None or self._RANK[kind] < self._RANK[old]:
            self.kind[key] = kind

    def apply(self) -> tuple[int, int]:
        from openpyxl.comments import Comment

        from compliance.render.safety import printable
        from compliance.render.xlsx import cells
        from compliance.render.xlsx.scorecard import OTHER_FILL

        fills = {"fail": cells.FAIL_FILL, "unknown": cells.UNKNOWN_FILL, "other": OTHER_FILL}
        for (r, c), kind in self.kind.items():
            cell = _anchor(self.ws, r, c)
            cell.fill = fills[kind]
            note = "\n".join(self.notes.get((r, c), ()))
            if note:
                comment = Comment(printable(note), "compliance")
                comment.width = 320
                comment.height = 40 + 20 * note.count("\n") + 20 * (len(note) // 30)
                cell.comment = comment
        kinds = list(self.kind.values())
        return kinds.count("fail"), kinds.count("unknown")


def _anchor(ws: Worksheet, r: int, c: int) -> Any:
    """The cell at (r, c), or the top-left cell of the merged range that covers it."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= r <= rng.max_row and rng.min_col <= c <= rng.max_col:
            return ws.cell(row=rng.min_row, column=rng.min_col)
    return ws.cell(row=r, column=c)


def _marked(table: FindingsTable) -> pl.DataFrame:
    """The findings of ``table`` that mark a cell: all but passes and rules that do
    not apply, in community and rule order."""
    import polars as pl

    return table.findings(~pl.col("outcome").is_in(["pass", "not_applicable"]))


def _mark_findings(
    table: FindingsTable, found: pl.DataFrame, rules: dict[str, Any], marks: _Marks, lang: str
) -> None:
    """Add the mark of each finding of ``found`` (rows of ``table``'s findings)."""
    counted = [r for r, rule in rules.items() if "households" in rule.fields]
    quoted = found.filter(found["rule"].is_in(counted))["_rec"].unique().sort().to_list()
    households = {
        rec: values["households"]
        for rec, (values, _) in zip(
            quoted, field_values(table, ["households"], quoted), strict=True
        )
    }
    for f in found.iter_rows(named=True):
        rule = rules[f["rule"]]
        text = shortfall_words(f, rule, households.get(f["_rec"]), lang=lang)
        name = rule.short(lang)
        outcome = f["outcome"]
        if outcome in ("fail", "unknown"):
            kind, note = outcome, f"{name}：{text}" if lang == "zh" else f"{name}: {text}"
        else:
            state = labels.outcome(Outcome(outcome), lang)
            kind = "other"
            note = f"{name}（{state}）：{text}" if lang == "zh" else f"{name} ({state}): {text}"
        cells = f["cells"]
        if not cells:
            [(_, at)] = field_values(table, rule.fields, [f["_rec"]])
            cells = [at.get(x, "") for x in rule.fields]
        # A failure is marked on the figure measured (the first cell), not on every input.
        for ref in cells[:1] if outcome != "unknown" else cells:
            if ref:
                marks.add(ref, note, kind)


def _subtotal_rows(
    ws: Worksheet, check: CheckResult, header_row: int, records: set[int]
) -> list[int]:
    """Rows below the header that are not communities and carry a 合计/小计 label in a
    name or region column (the reader skipped them as subtotals)."""
    from openpyxl.utils import column_index_from_string

    at = {f: column_index_from_string(letter) for f, (letter, _) in check.source.columns.items()}
    # As the reader does: the name and region columns, and any column left of the figures.
    first_figure = min((c for f, c in at.items() if f not in _IDENTITY), default=1)
    scanned = sorted({*(at[f] for f in _IDENTITY if f in at), *range(1, first_figure)})
    out = []
    for r in range(header_row + 1, (ws.max_row or 0) + 1):
        if r in records:
            continue
        for c in scanned:
            value = ws.cell(row=r, column=c).value
            if isinstance(value, str) and _SUBTOTAL.search("".join(value.split())):
                out.append(r)
                break
    return out
