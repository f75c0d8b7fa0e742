"""Read a sheet that lists sub-districts (街道), one row per sub-district.

Sub-district rules (see :mod:`compliance.subdistricts`) read their figures from
the community rows, or from a sheet of their own in the same workbook, found by
its header: a sub-district column and the rule's fields.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from compliance.catalogue import Catalogue, default_catalogue
from compliance.model import DataProblem, SourceInfo
from compliance.reading import cells as parse
from compliance.reading.frame import ROW, SheetFrame
from compliance.reading.grid import cell_name, column_letter, open_workbook
from compliance.reading.head import load_head
from compliance.reading.header import find_header, merged_index
from compliance.reading.sheets import file_sha256

#: The region fields a sub-district row carries.
REGION = ("city", "district", "subdistrict")

_SUBTOTAL = re.compile(
    r"^(合\s*计|小\s*计|总\s*计|共\s*计|全市|全区|全县|全省)|(合计|小计|总计)$|^(sub)?totals?$",
    re.I,
)


def _cell_value(
    rows: Sequence[Sequence[Any]], merged: dict[tuple[int, int], tuple[int, int]], r: int, c: int
) -> Any:
    """A cell's value; an empty cell inside a merged range takes the range's value."""
    row = rows[r]
    v = row[c] if c < len(row) else None
    if (v is None or v == "") and (r, c) in merged:
        r0, c0 = merged[(r, c)]
        v = rows[r0][c0] if c0 < len(rows[r0]) else None
    return v


def find_sheet(
    path: str | os.PathLike[str],
    fields: Sequence[str],
    *,
    skip: str | None = None,
    catalogue: Catalogue | None = None,
) -> SheetFrame | None:
    """The sheet of ``path`` (other than ``skip``) that lists sub-districts with ``fields``.

    Every row that names a sub-district is kept, even with its figures empty, so
    that a sub-district with no data is reported as unknown rather than dropped;
    subtotal rows (合计, 小计) are skipped.
    """
    cat = catalogue or default_catalogue()
    p = Path(path)
    book = open_workbook(p)
    if book.format == "csv":
        return None
    for sheet in book.sheets:
        if sheet.name == skip:
            continue
        # Each sheet's head says whether it is the one; only that sheet is loaded whole.
        head = load_head(book, sheet.name)
        header = find_header(head.rows, cat, head.merged)
        if header is None or "subdistrict" not in header.columns:
            continue
        if not all(f in header.columns for f in fields):
            continue
        grid = book.load(sheet.name)
        wanted = [f for f in (*REGION, *fields) if f in header.columns]
        merged = merged_index([m for m in grid.merged if m[1][0] > header.last_row], len(grid.rows))
        columns: dict[str, list[Any]] = {f: [] for f in (ROW, *wanted)}
        problems: list[DataProblem] = []
        rows = grid.rows
        for r in range(header.last_row + 1, len(rows)):
            name, _ = parse.parse_text(
                _cell_value(rows, merged, r, header.columns["subdistrict"][0])
            )
            if not name or _SUBTOTAL.search(name.replace(" ", "")):
                continue
            columns[ROW].append(r + 1)
            for fid in wanted:
                col = header.columns[fid][0]
                ftype = cat[fid].type
                v = _cell_value(rows, merged, r, col)
                value: Any
                if ftype in ("integer", "number"):
                    value, code = parse.parse_number(v)
                elif ftype == "flag":
                    value, code = parse.parse_flag(v)
                else:
                    value, code = parse.parse_text(v)
                columns[fid].append(value)
                if code is not None and code != parse.EMPTY:
                    zh, en = parse.MESSAGES[code]
                    text = parse.raw_text(v)
                    problems.append(
                        DataProblem(
                            code,
                            cell_name(sheet.name, r, col),
                            zh.format(raw=text),
                            en.format(raw=text),
                            fid,
                            text,
                            r + 1,
                        )
                    )
        source = SourceInfo(
            path=str(p),
            sha256=file_sha256(p),
            format=book.format,
            sheet=sheet.name,
            header_rows=tuple(r + 1 for r in header.rows),
            columns={f: (column_letter(c), t) for f, (c, t) in header.columns.items()},
            unmatched_headers=header.unmatched,
        )
        frame = pl.DataFrame(
            [pl.Series(ROW, columns[ROW], dtype=pl.Int64)]
            + [
                pl.Series(
                    f,
                    columns[f],
                    dtype=pl.Float64 if cat[f].type in ("integer", "number", "flag") else pl.String,
                    strict=False,
                )
                for f in wanted
            ]
        )
        return SheetFrame(source, frame, tuple(problems))
    return None
