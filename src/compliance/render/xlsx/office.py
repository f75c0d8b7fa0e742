"""The review loop on the workbook's first sheet: the banner under the title, and
the verdict on each return, the duplicates across inputs and the coverage of the
expected list below the figures (what the table and JSON reports show)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.styles import Font
from rich.cells import cell_len

from compliance.labels import t
from compliance.render.xlsx import cells
from compliance.render.xlsx.words import both

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from compliance.results import Report

GRAVE_FONT = Font(bold=True, color="C00000")
#: Terminal cells (a Chinese character is two) a merged line holds per printed line.
_PER_LINE = 76


def _line(ws: Worksheet, row: int, label: str, text: str, last_col: int, font: Font | None) -> None:
    """A label in column A and a text merged across B to ``last_col``, wrapped, the
    row as high as its lines."""
    cells.put(ws, row, 1, label, font=cells.LABEL_FONT, align=cells.WRAP)
    cells.put(ws, row, 2, text, font=font, align=cells.WRAP)
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=last_col)
    lines = max(label.count("\n") + 1, cell_len(text) // _PER_LINE + 1)
    ws.row_dimensions[row].height = 15 * lines + 2


def banner(ws: Worksheet, report: Report, lang: str, row: int, last_col: int = 7) -> int:
    """The banner lines from ``row + 1`` on; returns the last row written."""
    from compliance.render.banner import lines

    said = lines(report, lang)
    for i, line in enumerate(said):
        row += 1
        label = both("banner_title") if i == 0 else ""
        font = GRAVE_FONT if line.grave else cells.WARNING_FONT
        _line(ws, row, label, line.text, last_col, font)
    return row


def sections(ws: Worksheet, report: Report, lang: str, row: int, last_col: int) -> int:
    """The verdicts, duplicates and coverage after ``row``; returns the last row written."""
    from compliance.duplicates import pairs
    from compliance.render.verdicts import reasons, status_text
    from compliance.verdict import Status, verdicts

    judged = verdicts(report)
    if judged:
        row += 2
        cells.put(ws, row, 1, t("verdict_title", lang), font=cells.SECTION_FONT)
        sep = t("verdict_sep", lang)
        for path, v in judged:
            row += 1
            text = status_text(v.status, lang)
            why = sep.join(reasons(v, lang))
            if why:
                text += t("verdict_because", lang, why=why)
            font = GRAVE_FONT if v.status is Status.RETURNED else None
            _line(ws, row, Path(path).name, text, last_col, font)
    if report.duplicates:
        row += 2
        cells.put(ws, row, 1, t("duplicates_title", lang), font=cells.SECTION_FONT)
        row += 1
        rule = t("duplicates_rule", lang, rule=t("duplicates_rule_text", lang))
        _line(ws, row, "", rule, last_col, None)
        for dropped, kept, why, n in pairs(report.duplicates):
            row += 1
            text = t(
                "duplicates_pair",
                lang,
                n=n,
                dropped=Path(dropped).name,
                kept=Path(kept).name,
                reason=t(f"duplicates_reason_{why}", lang),
            )
            _line(ws, row, "", text, last_col, None)
    cov = report.coverage
    if cov is not None:
        row += 2
        cells.put(ws, row, 1, t("coverage_title", lang), font=cells.SECTION_FONT)
        row += 1
        head = t("coverage_list", lang, file=Path(cov.path).name, expected=cov.expected)
        counts = t(
            "coverage_counts", lang, missing=len(cov.missing), unexpected=len(cov.unexpected)
        )
        _line(ws, row, "", head + ("；" if lang == "zh" else "; ") + counts, last_col, None)
        sep = "、" if lang == "zh" else ", "
        for key, items in (
            ("coverage_missing", [(m.district, m.name) for m in cov.missing]),
            ("coverage_unexpected", [(u.district, u.name) for u in cov.unexpected]),
        ):
            for district in cov.districts():
                names = [name for d, name in items if d == district]
                if names:
                    row += 1
                    where = district or t("coverage_no_district", lang)
                    label = f"{t(key, lang)}\n{where}"
                    _line(ws, row, label, sep.join(names), last_col, None)
    return row
