"""A notice as a workbook: one sheet set up to print on A4, the items as a table the
district can also answer in."""

from __future__ import annotations

import math
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from rich.cells import cell_len

from compliance._version import __version__
from compliance.labels import t
from compliance.notice.items import Notice, cells_text
from compliance.render.verdicts import reasons, status_text
from compliance.render.xlsx import cells

_HEAD = (
    "notice_no",
    "notice_cell",
    "notice_community",
    "notice_what",
    "notice_found",
    "notice_expected",
    "notice_action",
)
#: Column widths, in characters (a CJK character counts two).
_WIDTHS = (6, 16, 14, 22, 40, 30, 10)
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _lines(text: str, width: int) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide (CJK count two)."""
    return sum(max(1, math.ceil(cell_len(part) / max(width - 1, 1))) for part in text.split("\n"))


def _height(values: tuple[object, ...]) -> float:
    """A row's height in points for its tallest wrapped cell."""
    lines = max(_lines(str(v), w) for v, w in zip(values, _WIDTHS, strict=True))
    return 15.0 * lines + 3


def write_notice(notice: Notice, lang: str, out: IO[bytes]) -> None:
    """Write the notice workbook to ``out``."""
    wb = Workbook()
    ws = wb.active
    ws.title = t("notice_title", lang)
    width = len(_HEAD)
    name = Path(notice.path).name
    status = status_text(notice.verdict.status, lang)
    r = 1
    cells.put(ws, r, 1, t("notice_title", lang), font=Font(bold=True, size=16))
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    ws.cell(r, 1).alignment = Alignment(horizontal="center")
    r += 1
    cells.put(ws, r, 1, status, font=Font(bold=True, size=12))
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    ws.cell(r, 1).alignment = Alignment(horizontal="center")
    by = t("notice_by", lang, date=notice.reply_by.isoformat()) if notice.reply_by else ""
    lines = [
        (t("notice_to", lang, to=notice.to), Font(bold=True)),
        (t("notice_intro", lang, file=name, ruleset=notice.ruleset, status=status), None),
        (t("notice_ask", lang, by=by) if notice.items else t("notice_none", lang), None),
    ]
    for text, font in lines:
        r += 1
        cells.put(ws, r, 1, text, font=font, align=_WRAP)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        ws.row_dimensions[r].height = 32
    # The facts and the signature come before the table, so that nothing but table rows
    # follows it: a block after it could spill onto a last page of its own, under the
    # repeated header row, reading as an empty table.
    r += 2
    sep = "；" if lang == "zh" else "; "
    facts = [
        (t("notice_file", lang), name),
        (t("notice_sha", lang), notice.sha256 or "—"),
        (t("notice_ruleset", lang), notice.ruleset),
        (t("notice_counts", lang), sep.join(reasons(notice.verdict, lang))),
    ]
    if notice.reply_by:
        facts.append((t("notice_reply_by", lang), notice.reply_by.isoformat()))
    for label, fact in facts:
        cells.put(ws, r, 1, label, font=cells.LABEL_FONT)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        cells.put(ws, r, 3, fact, align=_WRAP)
        ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=width)
        r += 1
    if notice.items:
        r += 1
        cells.put(ws, r, 1, t("notice_how", lang), align=_WRAP)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        ws.row_dimensions[r].height = 32
    r += 2
    colon = "：" if lang == "zh" else ": "
    office = notice.office or "____________________"
    cells.put(ws, r, 1, f"{t('notice_office', lang)}{colon}{office} {t('notice_seal', lang)}")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    cells.put(ws, r, 5, f"{t('notice_reviewer', lang)}{colon}__________")
    cells.put(ws, r, 6, f"{t('notice_issued', lang)}{colon}{notice.issued.isoformat()}")
    r += 2
    header_row = r
    for c, key in enumerate(_HEAD, 1):
        cell = cells.put(ws, r, c, t(key, lang), font=cells.HEADER_FONT, align=cells.HEADER_ALIGN)
        cell.fill = cells.HEADER_FILL
        cell.border = _BOX
    for n, item in enumerate(notice.items, 1):
        r += 1
        action = t(f"notice_action_{item.action}", lang)
        where = "\n".join(item.cells) if item.cells else cells_text(item, lang)
        values = (n, where, item.community, item.what, item.found, item.expected, action)
        for c, value in enumerate(values, 1):
            cell = cells.put(ws, r, c, value, align=_WRAP)
            cell.border = _BOX
        # Excel and LibreOffice do not grow a row for wrapped text written by a program.
        ws.row_dimensions[r].height = _height(values)
    for c, w in enumerate(_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    # A4, the table's header row repeated on every page, every column on one page wide.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    # Who made it and the page number in the page footer, not in a row after the table.
    made = t("notice_generated", lang, version=__version__)
    ws.oddFooter.left.text = made
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = t("notice_page", lang)
    ws.oddFooter.right.size = 8
    ws.print_options.horizontalCentered = True
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    wb.save(out)
