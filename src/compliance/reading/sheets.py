"""Choose the sheet to read: by the user's option, or the first with a header."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from compliance.catalogue import Catalogue
from compliance.errors import InputError
from compliance.reading.grid import Workbook
from compliance.reading.head import Head, load_head
from compliance.reading.header import SCAN_ROWS, Header, find_header


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sheet_by_option(book: Workbook, sheet: str | int) -> str:
    names = [s.name for s in book.sheets]
    if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.strip().isdigit()):
        if isinstance(sheet, str) and sheet in names:
            return sheet
        i = int(sheet) - 1
        if not 0 <= i < len(names):
            raise InputError("sheet_no_number", n=sheet, count=len(names), where=str(book.path))
        return names[i]
    if sheet in names:
        return sheet
    folded = {n.strip().casefold(): n for n in names}
    if sheet.strip().casefold() in folded:
        return folded[sheet.strip().casefold()]
    raise InputError(
        "sheet_no_name", name=repr(sheet), names=", ".join(names), where=str(book.path)
    )


def choose_sheet(
    book: Workbook,
    sheet: str | int | None,
    catalogue: Catalogue,
    skip: Sequence[str] = (),
    want_rows: int = SCAN_ROWS,
) -> tuple[Head, Header | None, list[tuple[str, str]]]:
    """The sheet to read, its header, and (zh, en) notes on the choice.

    By default: the first visible sheet with a recognisable header. Hidden
    sheets are never chosen unless named with ``sheet``.
    """
    if not book.sheets:
        raise InputError("workbook_no_sheets", where=str(book.path))
    if sheet is not None:
        grid = load_head(book, sheet_by_option(book, sheet), want_rows)
        return grid, find_header(grid.rows, catalogue, grid.merged), []
    hidden = [s.name for s in book.sheets if not s.visible]
    visible = [s.name for s in book.sheets if s.visible and s.name not in skip]
    first: Head | None = None
    for name in visible:
        grid = load_head(book, name, want_rows)
        first = first or grid
        header = find_header(grid.rows, catalogue, grid.merged)
        if header is not None:
            notes = []
            if len(book.sheets) > 1:
                others = [s.name for s in book.sheets if s.name != name]
                notes.append(
                    (
                        f"使用工作表“{name}”（第一个能识别表头的可见工作表；其他：{'、'.join(others)}）",
                        f"used sheet '{name}' (the first visible sheet with a recognisable header; "
                        f"others: {', '.join(others)})",
                    )
                )
            if hidden:
                notes.append(
                    (
                        f"未使用隐藏工作表：{'、'.join(hidden)}",
                        f"hidden sheets not used: {', '.join(hidden)}",
                    )
                )
            return grid, header, notes
    if first is None:
        names = ", ".join(hidden)
        raise InputError("sheets_all_hidden", names=names, where=str(book.path))
    if hidden:
        hint = [n for n in hidden if has_header(book, n, catalogue)]
        if hint:
            raise InputError("sheet_header_hidden", name=repr(hint[0]), where=str(book.path))
    return first, None, []


def has_header(book: Workbook, name: str, catalogue: Catalogue) -> bool:
    grid = load_head(book, name)
    return find_header(grid.rows, catalogue, grid.merged) is not None
