"""Read a sheet into :class:`~compliance.model.Record` objects."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from compliance.catalogue import Catalogue, default_catalogue
from compliance.errors import InputError
from compliance.model import DataProblem, Record, SheetData, SourceInfo
from compliance.reading import cells
from compliance.reading.grid import Grid, Workbook, cell_name, column_letter, open_workbook
from compliance.reading.header import Header, find_header, header_texts, merged_index

_SUBTOTAL = re.compile(
    r"^(合\s*计|小\s*计|总\s*计|共\s*计|累\s*计|全市|全区|全县|全省)|(合计|小计|总计)$|"
    r"^(sub)?totals?$",
    re.IGNORECASE,
)
_NOTE = re.compile(
    r"^(注|说明|备注|填表|制表|审核|负责人|联系|单位负责人|统计负责人|数据来源|note)", re.IGNORECASE
)
_COLUMN_LETTER = re.compile(r"^[A-Za-z]{1,3}$")

Parser = Callable[[Any], tuple[Any, str | None]]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _parser(ftype: str) -> Parser:
    if ftype in ("integer", "number"):
        return cells.parse_number
    if ftype == "flag":
        return cells.parse_flag
    return cells.parse_text


def _choose_sheet(
    book: Workbook, sheet: str | int | None, catalogue: Catalogue
) -> tuple[Grid, Header | None]:
    names = [s.name for s in book.sheets]
    if sheet is not None:
        if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit()):
            i = int(sheet) - 1
            if not 0 <= i < len(names):
                raise InputError(
                    f"there is no sheet number {sheet}; the workbook has {len(names)}",
                    where=str(book.path),
                )
            name = names[i]
        elif sheet in names:
            name = sheet
        else:
            raise InputError(
                f"no sheet named {sheet!r}; sheets: {', '.join(names)}", where=str(book.path)
            )
        grid = book.load(name)
        return grid, find_header(grid.rows, catalogue, grid.merged)
    best: tuple[int, Grid, Header | None] | None = None
    visible = [s.name for s in book.sheets if s.visible] or names
    for name in visible:
        grid = book.load(name)
        header = find_header(grid.rows, catalogue, grid.merged)
        score = len(header.columns) if header else 0
        if best is None or score > best[0]:
            best = (score, grid, header)
        if score >= 6:  # clearly the data sheet; don't parse the rest
            break
    if best is None:
        raise InputError("the workbook has no sheets", where=str(book.path))
    return best[1], best[2]


def _apply_overrides(
    header: Header | None,
    grid: Grid,
    overrides: Mapping[str, str],
    catalogue: Catalogue,
    where: str,
) -> Header:
    columns = dict(header.columns) if header else {}
    header_rows = header.rows if header else (0,)
    last = header_rows[-1]
    texts = {c: cells.clean_text(v) for c, v in enumerate(grid.rows[last] if grid.rows else [])}
    for fid, target in overrides.items():
        if fid not in catalogue:
            hint = catalogue.suggest(fid)
            raise InputError(
                f"--column names an unknown field {fid!r}"
                + (f"; did you mean {', '.join(hint)}?" if hint else ""),
                where=where,
            )
        col: int | None = None
        if _COLUMN_LETTER.match(target) and target.upper() not in {
            t.upper() for t in texts.values()
        }:
            col = 0
            for ch in target.upper():
                col = col * 26 + (ord(ch) - 64)
            col -= 1
        else:
            want = cells.clean_text(target)
            for c, t in texts.items():
                if t == want or t.replace(" ", "") == want.replace(" ", ""):
                    col = c
                    break
            if col is None:
                raise InputError(
                    f"--column {fid}={target}: no header {target!r} in row {last + 1}",
                    where=where,
                )
        for other, (c, _) in list(columns.items()):
            if c == col and other != fid:
                del columns[other]
        columns[fid] = (col, texts.get(col, column_letter(col)))
    return Header(header_rows, columns, header.unmatched if header else ())


def read_records(
    path: str | os.PathLike[str],
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    catalogue: Catalogue | None = None,
) -> SheetData:
    """Read the community records of one file.

    ``sheet`` picks a sheet by name or 1-based number (default: the visible
    sheet whose header names the most fields); ``columns`` maps field ids to a
    column letter or header text, overriding what the header matching found.
    Raises :class:`~compliance.errors.InputError` when the file cannot be read
    or has no recognisable header.
    """
    p = Path(path)
    cat = catalogue or default_catalogue()
    book = open_workbook(p)
    grid, header = _choose_sheet(book, sheet, cat)
    where = f"{p} [{grid.name}]" if book.format != "csv" else str(p)
    if columns:
        header = _apply_overrides(header, grid, columns, cat, where)
    if header is None:
        seen = header_texts(grid.rows)
        shown = ", ".join(seen[:12]) + (" …" if len(seen) > 12 else "")
        raise InputError(
            "no header row found: no row in the first 30 names two known fields"
            + (f" (found: {shown})" if seen else " (the sheet is empty)"),
            where=where,
        )
    return _build(p, book, grid, header, cat)


def _build(p: Path, book: Workbook, grid: Grid, header: Header, cat: Catalogue) -> SheetData:
    sheet_label = grid.name if book.format != "csv" else ""
    mapping = {fid: col for fid, (col, _) in header.columns.items()}
    notes_zh: list[str] = []
    notes_en: list[str] = []

    # A monthly column stands in for an annual one that is not there.
    annualise: list[tuple[str, str, float]] = []
    for fid in list(mapping):
        ann = cat[fid].annualise
        if ann is None:
            continue
        if ann.into in mapping:
            notes_zh.append(
                f"同时有“{header.columns[ann.into][1]}”列，未使用月度列“{header.columns[fid][1]}”"
            )
            notes_en.append(
                f"'{header.columns[fid][1]}' (monthly) not used: an annual column exists"
            )
        else:
            annualise.append((fid, ann.into, ann.factor))
            letter = column_letter(mapping[fid])
            times = f"{ann.factor:g}"
            notes_zh.append(
                f"“{header.columns[fid][1]}”（{letter}列）为月度数据，已乘以{times}折算为{cat[ann.into].zh}"
            )
            notes_en.append(
                f"'{header.columns[fid][1]}' (column {letter}) is monthly; multiplied by {times} "
                f"for {cat[ann.into].en.lower()}"
            )

    plan = [
        (fid, col, _parser(cat[fid].type), cat[fid].type == "integer")
        for fid, col in mapping.items()
    ]
    label_cols = [
        mapping[f] for f in ("name", "id", "subdistrict", "district", "city") if f in mapping
    ]
    # Subtotal labels can sit in any text column before the figures, mapped or not (序号).
    first_numeric = min((c for f, c in mapping.items() if cat[f].is_numeric), default=0)
    label_cols += [c for c in range(first_numeric) if c not in label_cols]
    numeric = [col for fid, col in mapping.items() if cat[fid].is_numeric]
    identity = [mapping[f] for f in ("name", "id") if f in mapping]
    data_start = header.last_row + 1
    rows = grid.rows
    merged = merged_index([m for m in grid.merged if m[1][0] >= data_start], len(rows))

    records: list[Record] = []
    problems: list[DataProblem] = []
    subtotals: list[str] = []
    sheet = sheet_label
    path_text = str(p)
    message = cells.MESSAGES
    for r in range(data_start, len(rows)):
        row = rows[r]
        n = len(row)
        if merged:
            row = list(row)
            for c in range(len(row)):
                if (r, c) in merged and cells.is_blank(row[c]):
                    r0, c0 = merged[(r, c)]
                    row[c] = rows[r0][c0] if c0 < len(rows[r0]) else None
        if all(cells.is_blank(v) for v in row):
            continue
        labelled = [(c, row[c].strip()) for c in label_cols if c < n and isinstance(row[c], str)]
        texts = [t for _, t in labelled if t]
        sub_col = next((c for c, t in labelled if t and _SUBTOTAL.search(t.replace(" ", ""))), None)
        if sub_col is not None:
            subtotals.append(cell_name(sheet, r, sub_col))
            continue
        if not any(c < n and not cells.is_blank(row[c]) for c in numeric):
            # No figures: a note line ("注：..."), or a row naming nothing we can check.
            named = any(c < n and not cells.is_blank(row[c]) for c in identity)
            if not named or (texts and _NOTE.match(texts[0])):
                continue
        values: dict[str, Any] = {}
        refs: dict[str, str] = {}
        for fid, col, parse, whole in plan:
            raw = row[col] if col < n else None
            value, code = parse(raw)
            ref = cell_name(sheet, r, col)
            refs[fid] = ref
            values[fid] = value
            if code is not None and code != cells.EMPTY:
                zh, en = message[code]
                text = cells.raw_text(raw)
                problems.append(
                    DataProblem(
                        code, ref, zh.format(raw=text), en.format(raw=text), fid, text, r + 1
                    )
                )
            elif whole and value is not None and not float(value).is_integer():
                zh, en = message[cells.NOT_WHOLE]
                text = cells.raw_text(raw)
                problems.append(
                    DataProblem(
                        cells.NOT_WHOLE,
                        ref,
                        zh.format(raw=text),
                        en.format(raw=text),
                        fid,
                        text,
                        r + 1,
                    )
                )
        derived: dict[str, str] = {}
        for src, into, factor in annualise:
            v = values.get(src)
            values[into] = v * factor if v is not None else None
            refs[into] = refs[src]
            derived[into] = f"{src} × {factor:g}"
        records.append(Record(path_text, sheet, r + 1, values, refs, derived))

    if subtotals:
        shown = ", ".join(subtotals[:5]) + (" …" if len(subtotals) > 5 else "")
        notes_zh.append(f"跳过 {len(subtotals)} 个合计/小计行：{shown}")
        notes_en.append(f"skipped {len(subtotals)} subtotal rows: {shown}")
    source = SourceInfo(
        path=path_text,
        sha256=file_sha256(p),
        format=book.format + (f" ({book.csv_encoding})" if book.csv_encoding else ""),
        sheet=grid.name,
        header_rows=tuple(r + 1 for r in header.rows),
        columns={fid: (column_letter(col), text) for fid, (col, text) in header.columns.items()},
        unmatched_headers=header.unmatched,
        notes_zh=tuple(notes_zh),
        notes_en=tuple(notes_en),
    )
    return SheetData(source, tuple(records), tuple(problems))


def found_headers(data: SheetData) -> list[str]:
    """Every header text of the sheet, matched or not, for error messages."""
    return [t for _, t in data.source.columns.values()] + list(data.source.unmatched_headers)


def missing_fields(data: SheetData, needed: Sequence[str]) -> list[str]:
    """Needed fields that no column provides (directly or by annualising)."""
    have = set(data.source.columns)
    cat = default_catalogue()
    for fid in list(have):
        f = cat.fields.get(fid)
        if f is not None and f.annualise is not None:
            have.add(f.annualise.into)
    return [f for f in needed if f not in have]
