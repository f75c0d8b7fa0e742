"""Read a sheet's community records: the reader's entry points.

The steps: open the file (by its content, after the safety checks), choose the
sheet and find its header on the first rows (:mod:`~compliance.reading.sheets`),
apply the user's column mapping (:mod:`~compliance.reading.overrides`), load
the needed columns of the data rows (for .xlsx by the one-pass reader,
:mod:`~compliance.reading.xlsx_columns`; from a grid for the other formats,
:mod:`~compliance.reading.raw`), and turn
them into a :class:`~compliance.reading.frame.SheetFrame`
(:mod:`~compliance.reading.build`). Rows that are not communities are left
out and counted, duplicates are reported, and every cell that cannot be used
becomes a :class:`~compliance.model.DataProblem` naming the cell.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from compliance._perf import gc_paused
from compliance.catalogue import Catalogue, default_catalogue
from compliance.errors import InputError
from compliance.labels.messages import msg
from compliance.model import SheetData
from compliance.reading import cells
from compliance.reading.frame import SheetFrame
from compliance.reading.grid import open_workbook
from compliance.reading.guards import DEFAULT_MAX_CELLS, Limits
from compliance.reading.head import Head
from compliance.reading.header import SCAN_ROWS, Header, header_texts
from compliance.reading.mapping import closest_headers
from compliance.reading.overrides import apply_overrides
from compliance.reading.sheets import choose_sheet, file_sha256

# file_sha256 stays importable from here.
__all__ = [
    "file_sha256",
    "found_headers",
    "missing_fields",
    "read_frame",
    "read_records",
    "suggest_columns",
]


def read_frame(
    path: str | os.PathLike[str],
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    catalogue: Catalogue | None = None,
    header_row: int | None = None,
    max_cells: int | None = None,
    workers: str | int | bool | None = None,
) -> SheetFrame:
    """Read the community records of one file as columns.

    ``sheet`` picks a sheet by name or 1-based number (default: the first
    visible sheet with a recognisable header). ``columns`` maps field ids to a
    column letter or header text (either way round: ``{"用房面积": "premises_area"}``
    works too), overriding the automatic matching; ``header_row`` (1-based)
    says where the header is when it cannot be found. ``max_cells`` bounds the
    size of a sheet (default :data:`~compliance.reading.guards.DEFAULT_MAX_CELLS`).
    ``workers`` names a per-worker roster sheet to roll up into the records;
    by default a sheet that looks like a roster is used, ``False`` turns that off.

    Raises :class:`~compliance.errors.InputError` when the file cannot be read,
    is refused as unsafe, or has no recognisable header or no data rows.
    """
    with gc_paused():
        return _read_frame(Path(path), sheet, columns, catalogue, header_row, max_cells, workers)


def _read_frame(
    p: Path,
    sheet: str | int | None,
    columns: Mapping[str, str] | None,
    catalogue: Catalogue | None,
    header_row: int | None,
    max_cells: int | None,
    workers: str | int | bool | None,
) -> SheetFrame:
    from compliance.reading.roster import find_roster
    from compliance.reading.workers import join

    cat = catalogue or default_catalogue()
    book = open_workbook(p, Limits(max_cells or DEFAULT_MAX_CELLS))
    found_roster = None
    if workers is not False and book.format != "csv":
        found_roster = find_roster(book, workers if workers is not True else None)
    skip = [found_roster.grid.name] if found_roster is not None else []
    head, header, choice_notes = choose_sheet(
        book, sheet, cat, skip, want_rows=max(header_row or 0, SCAN_ROWS)
    )
    where = book.where(head.name)
    if columns or header_row:
        header = apply_overrides(header, head, columns or {}, header_row, cat, where)
    if header is None:
        raise _no_header(head, where)
    frame = _frame(p, book, head, header, cat, choice_notes)
    if not len(frame):
        raise InputError("sheet_no_rows", row=header.last_row + 1, where=where)
    if found_roster is not None:
        return join(frame, found_roster, book)
    return frame


def read_records(
    path: str | os.PathLike[str],
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    catalogue: Catalogue | None = None,
    header_row: int | None = None,
    max_cells: int | None = None,
    workers: str | int | bool | None = None,
) -> SheetData:
    """The records of :func:`read_frame` as :class:`~compliance.model.Record` objects."""
    return read_frame(
        path,
        sheet=sheet,
        columns=columns,
        catalogue=catalogue,
        header_row=header_row,
        max_cells=max_cells,
        workers=workers,
    ).to_sheet_data()


def _no_header(head: Head, where: str) -> InputError:
    seen = header_texts(head.rows)
    shown = ", ".join(seen[:12]) + (" …" if len(seen) > 12 else "")
    if not any(any(not cells.is_blank(v) for v in row) for row in head.rows[:SCAN_ROWS]):
        return InputError("sheet_empty", where=where)
    found = msg("found_headers", headers=shown) if seen else ""
    return InputError("sheet_no_header", rows=SCAN_ROWS, found=found, where=where)


def _frame(
    p: Path,
    book: object,
    head: Head,
    header: Header,
    cat: Catalogue,
    choice_notes: list[tuple[str, str]],
) -> SheetFrame:
    # polars and the one-pass reader load only when a sheet is read.
    from compliance.reading import merges, raw, xlsx_columns
    from compliance.reading.build import build_frame, source_info
    from compliance.reading.grid import Workbook
    from compliance.reading.head import whole

    assert isinstance(book, Workbook)
    mapping = {fid: col for fid, (col, _) in header.columns.items()}
    numeric = {mapping[f] for f in mapping if cat[f].is_numeric}
    start = header.last_row + 1
    notes = list(choice_notes)
    if book.format == "csv" and p.suffix.lower() not in (".csv", ".txt", ".tsv"):
        notes.append(
            (
                f"文件名为 {p.suffix}，实际是文本（CSV），已按 CSV 读取",
                f"named {p.suffix} but the content is text (CSV); read as CSV",
            )
        )
    if book.csv_notes:
        notes += book.csv_notes
    first_numeric = min(numeric, default=0)
    wanted = set(mapping.values()) | set(range(first_numeric))
    uncached = head.uncached
    if head.part is not None:
        wanted |= merges.anchors(head.merged, start)
        columns, uncached = xlsx_columns.load_columns(
            book.archive(),
            head.part,
            book.limits,
            book.where(head.name),
            start,
            numeric,
            wanted,
            read=head.cells,
        )
    else:
        # Only the chosen sheet is ever loaded whole (see reading.head).
        head = whole(book, head)
        assert head.grid is not None
        columns = raw.from_grid(head.grid, start, numeric, wanted)
    if merges.touches_data(head.merged, start):
        merges.fill(columns, head.merged, head.rows, start, set(mapping.values()))
    fmt = book.format + (f" ({book.csv_encoding})" if book.csv_encoding else "")
    source = source_info(p, file_sha256(p), fmt, head.name, header)
    return build_frame(source, header, columns, cat, notes, uncached, book.format == "csv")


def found_headers(data: SheetData | SheetFrame) -> list[str]:
    """Every header text of the sheet, matched or not, for error messages."""
    return [t for _, t in data.source.columns.values()] + list(data.source.unmatched_headers)


def missing_fields(data: SheetData | SheetFrame, needed: Sequence[str]) -> list[str]:
    """Needed fields that no column provides (directly or by annualising)."""
    have = set(data.source.columns)
    cat = default_catalogue()
    for fid in list(have):
        f = cat.fields.get(fid)
        if f is not None and f.annualise is not None:
            have.add(f.annualise.into)
    return [f for f in needed if f not in have]


def suggest_columns(
    data: SheetData | SheetFrame, field_id: str, catalogue: Catalogue | None = None
) -> list[str]:
    """Unmatched header texts that look most like ``field_id``'s headers."""
    cat = catalogue or default_catalogue()
    f = cat.fields.get(field_id)
    if f is None:
        return []
    return closest_headers((*f.headers, f.zh), data.source.unmatched_headers)
