"""Assemble a :class:`~compliance.reading.frame.SheetFrame` from a sheet's raw columns.

Parse the fields (:mod:`~compliance.reading.values`), derive annual figures
from monthly ones, sort the rows (:mod:`~compliance.reading.rows`), drop
duplicates, and state every choice in the source notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import polars as pl

from compliance.catalogue import Catalogue
from compliance.model import DataProblem, SourceInfo
from compliance.reading import cells
from compliance.reading.frame import ROW, SheetFrame
from compliance.reading.grid import cell_name, column_letter
from compliance.reading.header import Header
from compliance.reading.raw import RawColumns
from compliance.reading.rows import duplicates, sort_rows
from compliance.reading.values import parse_fields

Notes = list[tuple[str, str]]


def annualise_plan(
    header: Header, cat: Catalogue, notes: Notes, *, letters: bool = True
) -> list[tuple[str, str, float]]:
    """Monthly columns that stand in for an annual one that is not there. ``letters``:
    the notes name each column's letter (a sheet's, not a table's)."""
    plan: list[tuple[str, str, float]] = []
    mapping = header.columns
    for fid in list(mapping):
        ann = cat[fid].annualise
        if ann is None:
            continue
        col, text = mapping[fid]
        if ann.into in mapping:
            notes.append(
                (
                    f"同时有“{mapping[ann.into][1]}”列，未使用月度列“{text}”",
                    f"'{text}' (monthly) not used: an annual column exists",
                )
            )
            continue
        plan.append((fid, ann.into, ann.factor))
        letter = column_letter(col) if letters else ""
        times = f"{ann.factor:g}"
        notes.append(
            (
                f"“{text}”" + (f"（{letter}列）" if letter else "")
                + f"为月度数据，已乘以{times}折算为{cat[ann.into].zh}",
                f"'{text}'" + (f" (column {letter})" if letter else "")
                + f" is monthly; multiplied by {times} for {cat[ann.into].en.lower()}",
            )
        )  # fmt: skip
    return plan


def build_frame(
    source: SourceInfo,
    header: Header,
    raw: RawColumns,
    cat: Catalogue,
    notes: Notes,
    uncached: frozenset[tuple[int, int]],
    csv: bool,
) -> SheetFrame:
    """The checked rows of a sheet as columns, its data problems and its notes."""
    sheet = "" if csv else source.sheet
    mapping = {fid: col for fid, (col, _) in header.columns.items()}
    start = header.last_row + 1
    notes = list(notes)
    plan = annualise_plan(header, cat, notes)
    values, field_problems = parse_fields(raw, mapping, cat, uncached, start)
    derived: dict[str, str] = {}
    col_of = dict(mapping)
    for src, into, factor in plan:
        values[into] = (values[src] * factor).alias(into)
        col_of[into] = mapping[src]
        derived[into] = f"{src} × {factor:g}"

    rows = sort_rows(raw, mapping, cat)
    kept_set = set(rows.kept)
    found: list[tuple[int, int, int, str, str, str]] = []
    for fid, probs in field_problems.items():
        col = mapping[fid]
        found += [(i, 0, col, code, fid, text) for i, code, text in probs if i in kept_set]
    kept, dups, label = duplicates(rows.kept, values)
    problems = [
        _problem(sheet, start, i, col, code, fid, text)
        for i, _, col, code, fid, text in sorted(found)
    ]
    if dups:
        problems += [_duplicate(sheet, start, d, col_of) for d in dups]
        problems.sort(key=lambda p: p.row or 0)
        notes.append(
            (
                f"{len(dups)} 行与前面的行重复（按{label}），只检查第一次出现的行",
                f"{len(dups)} rows repeat an earlier row (same {label}); only the first is checked",
            )
        )
    _row_notes(rows.subtotals, rows.blank, rows.others, sheet, start, notes)

    idx = pl.Series("i", kept, dtype=pl.UInt32)
    # The kept rows of every field in one query (one per column cost a small sheet more).
    frame = pl.DataFrame([pl.Series(ROW, [start + i + 1 for i in kept], dtype=pl.Int64)])
    if values:
        frame = frame.hstack(pl.DataFrame(list(values.values())).select(pl.all().gather(idx)))
    info = _with_notes(source, notes)
    subtotals = _subtotal_frame(rows.subtotals, values, raw, sheet, start)
    return SheetFrame(info, frame, tuple(problems), derived, subtotals)


def _subtotal_frame(
    subtotals: list[tuple[int, int]],
    values: Mapping[str, pl.Series],
    raw: RawColumns,
    sheet: str,
    start: int,
) -> pl.DataFrame | None:
    """The subtotal rows with their label and parsed figures (see SheetFrame.subtotals)."""
    if not subtotals:
        return None
    idx = pl.Series("i", [i for i, _ in subtotals], dtype=pl.UInt32)
    return pl.DataFrame(
        [
            pl.Series(ROW, [start + i + 1 for i, _ in subtotals], dtype=pl.Int64),
            pl.Series("_label", [cells.clean_text(raw.text_of(c)[i]) for i, c in subtotals]),
            pl.Series("_label_cell", [cell_name(sheet, start + i, c) for i, c in subtotals]),
            *(v.gather(idx) for v in values.values()),
        ]
    )


def _problem(
    sheet: str, start: int, i: int, col: int, code: str, fid: str, text: str
) -> DataProblem:
    zh, en = cells.message(code, raw=text)
    return DataProblem(code, cell_name(sheet, start + i, col), zh, en, fid, text, start + i + 1)


def _duplicate(
    sheet: str, start: int, dup: tuple[int, int, str, str], col_of: Mapping[str, int]
) -> DataProblem:
    i, first, fid, shown = dup
    zh, en = cells.message(cells.DUPLICATE, first=start + first + 1, key=shown)
    return DataProblem(
        cells.DUPLICATE, cell_name(sheet, start + i, col_of[fid]), zh, en, fid, shown, start + i + 1
    )


def _row_notes(
    subtotals: list[tuple[int, int]],
    blank: int,
    others: list[tuple[int, int]],
    sheet: str,
    start: int,
    notes: Notes,
) -> None:
    if subtotals:
        names = [cell_name(sheet, start + i, c) for i, c in subtotals]
        shown = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
        notes.append(
            (
                f"跳过 {len(names)} 个合计/小计行：{shown}",
                f"skipped {_rows(len(names), 'subtotal row')}: {shown}",
            )
        )
    if blank:
        notes.append((f"跳过 {blank} 个空行", f"skipped {_rows(blank, 'blank row')}"))
    if others:
        shown = ", ".join(cell_name(sheet, start + i, c) for i, c in others[:5])
        notes.append(
            (
                f"跳过 {len(others)} 个没有社区名称或数据的行（如注释）：{shown}",
                f"skipped {_rows(len(others), 'row')} with no community name or figures (notes): "
                f"{shown}",
            )
        )


def _rows(n: int, what: str) -> str:
    """ "1 blank row", "2 blank rows"."""
    return f"{n} {what}" + ("" if n == 1 else "s")


def _with_notes(source: SourceInfo, notes: Notes) -> SourceInfo:
    from dataclasses import replace

    return replace(
        source,
        notes_zh=tuple(zh for zh, _ in notes),
        notes_en=tuple(en for _, en in notes),
    )


def source_info(path: Path, sha256: str, fmt: str, sheet: str, header: Header) -> SourceInfo:
    """What is known of a sheet before its rows are read."""
    return SourceInfo(
        path=str(path),
        sha256=sha256,
        format=fmt,
        sheet=sheet,
        header_rows=tuple(r + 1 for r in header.rows),
        columns={fid: (column_letter(col), text) for fid, (col, text) in header.columns.items()},
        unmatched_headers=header.unmatched,
    )
