"""The two columns ``compliance annotate`` adds to the user's sheet: the check result
of each row, and beside it the 说明 (explanation) column the district answers in.

The 说明 header is one the field catalogue knows (the field ``explanation``), so
when the returned copy is checked again its text marks that row's advisory items
explained (:mod:`compliance.explanations`). Annotating a copy that already has
these columns (a returned file marked again) reuses them: the result column is
rewritten, and the district's explanations are kept as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from compliance.results import CheckResult

if TYPE_CHECKING:
    import polars as pl
    from openpyxl.worksheet.worksheet import Worksheet

    from compliance.findings import FindingsTable

#: The result column's header in each language (also how an earlier one is found).
RESULT_HEADER = {"zh": "核查结果", "en": "Check result"}
#: The explanation column's header: a header the catalogue maps to ``explanation``.
EXPLANATION_HEADER = {"zh": "说明", "en": "Explanation (说明)"}
_HINT = {
    "zh": "请对黄色标出的提示性审核项、合计差额在本列逐行填写说明；"
    "说明不改变达标结论，强制性审核问题须更正数据。",
    "en": "Explain here, row by row, each advisory item marked in yellow and each subtotal "
    "that does not add up. An explanation changes no outcome; blocking problems must be "
    "corrected in the figures.",
}
#: The explanation cells of rows that have an advisory item to explain.
ASK_FILL_COLOUR = "FFF2CC"


#: The result column's words (zh, en).
TEXT = {
    "subtotal": ("合计/小计行，不计为社区", "subtotal row, not a community"),
    "subtotal_off": (
        "合计/小计行，与所含社区之和不符，见批注",
        "subtotal row: does not add up, see the comments",
    ),
    "pass": ("全部达标", "passes every standard"),
    "fail": ("未达标：{rules}", "falls short: {rules}"),
    "unknown": ("无法判断：{rules}", "unknown: {rules}"),
    "also_unknown": ("；无法判断：{rules}", "; unknown: {rules}"),
}


def say(key: str, lang: str, **kwargs: object) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**kwargs)


@dataclass(frozen=True, slots=True)
class Columns:
    """Where the result and the explanation go (1-based column numbers)."""

    result: int
    explanation: int


def place(ws: Worksheet, check: CheckResult, header_row: int, lang: str) -> Columns:
    """Find or add the two columns and write their headers."""
    from openpyxl.utils import column_index_from_string

    result = None
    for c in range(1, (ws.max_column or 0) + 1):
        if ws.cell(row=header_row, column=c).value in RESULT_HEADER.values():
            result = c
            break
    known = check.source.columns.get("explanation")
    explanation = column_index_from_string(known[0]) if known and known[0] else None
    if result is None:
        result = (ws.max_column or 1) + 1
        if explanation is not None and explanation >= result:
            result = explanation + 1
    header(ws, header_row, result, RESULT_HEADER[lang], 36)
    if explanation is None:
        explanation = result + 1
        cell = header(ws, header_row, explanation, EXPLANATION_HEADER[lang], 40)
        from openpyxl.comments import Comment

        note = Comment(_HINT[lang], "compliance")
        note.width, note.height = 320, 120
        cell.comment = note
    return Columns(result, explanation)


def header(ws: Worksheet, row: int, col: int, text: str, width: float) -> Any:
    """A header cell in the report's header style, its column ``width`` wide."""
    from openpyxl.utils import get_column_letter

    from compliance.render.xlsx import cells

    cell = cells.put(ws, row, col, text, font=cells.HEADER_FONT, align=cells.HEADER_ALIGN)
    cell.fill = cells.HEADER_FILL
    ws.column_dimensions[get_column_letter(col)].width = width
    return cell


def ask(ws: Worksheet, check: CheckResult, col: int) -> None:
    """Fill pale yellow the explanation cell of each row with an advisory item still
    to explain, leaving what the district wrote; a row explained since an earlier
    marking loses that fill."""
    from openpyxl.styles import Alignment, PatternFill

    fill = PatternFill("solid", fgColor=ASK_FILL_COLOUR, bgColor=ASK_FILL_COLOUR)
    todo, done = _rows(check)
    for r in todo:
        cell = ws.cell(row=r, column=col)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in done - todo:
        cell = ws.cell(row=r, column=col)
        if str(cell.fill.fgColor.rgb).endswith(ASK_FILL_COLOUR):
            cell.fill = PatternFill()


def _rows(check: CheckResult) -> tuple[set[int], set[int]]:
    """Rows of the checked sheet with an advisory item not yet explained, and rows
    with one explained."""
    from compliance.explanations import explainable, on_sheet

    sheet = "" if check.source.format.startswith("csv") else check.source.sheet
    todo: set[int] = set()
    done: set[int] = set()
    for p in check.problems:
        if p.row is not None and explainable(p) and on_sheet(p.cell, sheet):
            (done if p.explained else todo).add(p.row)
    return todo, done


def results(
    ws: Worksheet,
    table: FindingsTable,
    found: pl.DataFrame,
    col: int,
    rules: dict[str, Any],
    lang: str,
) -> None:
    """Write each community's result: the standards it fails and those unknown."""
    from compliance.render.xlsx import cells

    sep = "、" if lang == "zh" else ", "
    short = {r: rule.short(lang) for r, rule in rules.items()}
    failed: dict[int, list[str]] = {}
    unknown: dict[int, list[str]] = {}
    for rec, rule, outcome in found.select("_rec", "rule", "outcome").iter_rows():
        if outcome == "fail":
            failed.setdefault(rec, []).append(short[rule])
        elif outcome == "unknown":
            unknown.setdefault(rec, []).append(short[rule])
    for rec, row in table.records.select("_rec", "_row").iter_rows():
        fails, unknowns = failed.get(rec), unknown.get(rec)
        if fails:
            text = say("fail", lang, rules=sep.join(fails))
            if unknowns:
                text += say("also_unknown", lang, rules=sep.join(unknowns))
            fill = cells.FAIL_FILL
        elif unknowns:
            text, fill = say("unknown", lang, rules=sep.join(unknowns)), cells.UNKNOWN_FILL
        else:
            text, fill = say("pass", lang), cells.PASS_FILL
        put_text(ws, row, col, text, fill)


def put_text(ws: Worksheet, row: int, col: int, text: str, fill: Any) -> None:
    from compliance.render.xlsx import cells

    cell = cells.put(ws, row, col, text)
    if fill is not None:
        cell.fill = fill
