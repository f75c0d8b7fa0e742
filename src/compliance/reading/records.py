"""Read a sheet into :class:`~compliance.model.Record` objects.

The steps: open the file (by its content, after the safety checks), choose the
sheet, find the header, apply the user's column mapping, then turn the rows
under the header into records. Rows that are not communities (blank spacers,
合计/小计 subtotals, notes) are left out and counted; duplicates are reported;
every cell that cannot be used becomes a :class:`~compliance.model.DataProblem`
naming the cell.

Duplicate policy: the first row with a community id (or, without ids, the
first row with a name within the same sub-district, district or city) is
checked; a later row with the same key is reported as a ``duplicate`` data
problem that names the first row, and is not checked.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from compliance.catalogue import Catalogue, default_catalogue
from compliance.errors import InputError
from compliance.model import DataProblem, Record, SheetData, SourceInfo
from compliance.reading import cells
from compliance.reading.columns import parse_column
from compliance.reading.grid import Grid, Workbook, cell_name, column_letter, open_workbook
from compliance.reading.guards import DEFAULT_MAX_CELLS, Limits
from compliance.reading.header import SCAN_ROWS, Header, find_header, header_texts
from compliance.reading.mapping import closest_headers, is_letter, letter_index, orient

_SUBTOTAL = re.compile(
    r"^(合\s*计|小\s*计|总\s*计|共\s*计|累\s*计|全市|全区|全县|全省)|(合计|小计|总计)$|"
    r"^(sub)?totals?$",
    re.IGNORECASE,
)
_NOTE = re.compile(
    r"^(注|说明|备注|填表|制表|审核|负责人|联系|单位负责人|统计负责人|数据来源|note)", re.IGNORECASE
)
#: Region columns from finest to coarsest, for the duplicate-name key.
_REGIONS = ("subdistrict", "district", "city")


class RowCells(Mapping[str, str]):
    """A record's field -> cell map, computed on access.

    Every record of a sheet shares one field -> "Sheet!E" prefix map, so a
    record costs one small object here instead of a dict of strings.
    ``prefixes`` and ``row`` are public so that evaluation can name the cells
    of a whole column at once.
    """

    __slots__ = ("prefixes", "row")

    def __init__(self, prefixes: Mapping[str, str], row: int) -> None:
        self.prefixes = prefixes
        self.row = row

    def __getitem__(self, field_id: str) -> str:
        return f"{self.prefixes[field_id]}{self.row}"

    def __iter__(self) -> Iterator[str]:
        return iter(self.prefixes)

    def __len__(self) -> int:
        return len(self.prefixes)

    def __contains__(self, field_id: object) -> bool:
        return field_id in self.prefixes

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (RowCells, (self.prefixes, self.row))


class RowValues(Mapping[str, Any]):
    """A record's field -> value map: the row's values over a field index shared by the sheet.

    A dict of twenty fields costs about 1 KB per record, a tuple of values about
    200 bytes; on a large sheet that is most of the memory the records take.
    ``index`` and ``data`` are public so that evaluation can read a whole
    column at once.
    """

    __slots__ = ("data", "index")

    def __init__(self, index: Mapping[str, int], data: tuple[Any, ...]) -> None:
        self.index = index
        self.data = data

    def __getitem__(self, field_id: str) -> Any:
        return self.data[self.index[field_id]]

    def get(self, field_id: str, default: Any = None) -> Any:
        i = self.index.get(field_id)
        return default if i is None else self.data[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)

    def __contains__(self, field_id: object) -> bool:
        return field_id in self.index

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (RowValues, (self.index, self.data))


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Records hold no reference cycles, yet each allocation burst would trigger
    collections that scan every record built so far; pausing saves about a
    third of the build time on a large sheet.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _sheet_by_option(book: Workbook, sheet: str | int) -> str:
    names = [s.name for s in book.sheets]
    if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.strip().isdigit()):
        if isinstance(sheet, str) and sheet in names:
            return sheet
        i = int(sheet) - 1
        if not 0 <= i < len(names):
            raise InputError(
                f"there is no sheet number {sheet}; the workbook has {len(names)}",
                where=str(book.path),
            )
        return names[i]
    if sheet in names:
        return sheet
    folded = {n.strip().casefold(): n for n in names}
    if sheet.strip().casefold() in folded:
        return folded[sheet.strip().casefold()]
    raise InputError(f"no sheet named {sheet!r}; sheets: {', '.join(names)}", where=str(book.path))


def _choose_sheet(
    book: Workbook, sheet: str | int | None, catalogue: Catalogue, skip: Sequence[str] = ()
) -> tuple[Grid, Header | None, list[tuple[str, str]]]:
    """The sheet to read, its header, and (zh, en) notes on the choice.

    By default: the first visible sheet with a recognisable header. Hidden
    sheets are never chosen unless named with ``sheet``.
    """
    if not book.sheets:
        raise InputError("the workbook has no sheets", where=str(book.path))
    if sheet is not None:
        grid = book.load(_sheet_by_option(book, sheet))
        return grid, find_header(grid.rows, catalogue, grid.merged), []
    hidden = [s.name for s in book.sheets if not s.visible]
    visible = [s.name for s in book.sheets if s.visible and s.name not in skip]
    first: Grid | None = None
    for name in visible:
        grid = book.load(name)
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
        raise InputError(
            f"every sheet is hidden ({names}); name one with --sheet to read it",
            where=str(book.path),
        )
    if hidden:
        hint = [n for n in hidden if _has_header(book, n, catalogue)]
        if hint:
            raise InputError(
                f"no visible sheet has a recognisable header, but hidden sheet "
                f"{hint[0]!r} does; pass --sheet {hint[0]!r} to read it",
                where=str(book.path),
            )
    return first, None, []


def _has_header(book: Workbook, name: str, catalogue: Catalogue) -> bool:
    grid = book.load(name)
    return find_header(grid.rows, catalogue, grid.merged) is not None


def _apply_overrides(
    header: Header | None,
    grid: Grid,
    overrides: Mapping[str, str],
    header_row: int | None,
    catalogue: Catalogue,
    where: str,
) -> Header:
    """Add or replace columns as the user mapped them."""
    fields = orient(overrides, catalogue, where)
    rows = grid.rows
    if header_row is not None:
        header_rows: tuple[int, ...] = (header_row - 1,)
        header = find_header(rows[:header_row], catalogue, grid.merged)
        if header is not None and header.last_row != header_row - 1:
            header = None
    elif header is not None:
        header_rows = header.rows
    else:
        header_rows = (_row_with(rows, list(fields.values())),)
    if header_rows[-1] >= len(rows):
        raise InputError(
            f"header row {header_rows[-1] + 1} is past the end of the sheet", where=where
        )
    # Each column's label: the joined stack and every row's own text.
    labels: dict[int, set[str]] = {}
    for r in header_rows:
        for c, v in enumerate(rows[r]):
            t = cells.clean_text(v)
            if t:
                labels.setdefault(c, set()).add(t)
    if header is not None:
        for c, text in header.columns.values():
            labels.setdefault(c, set()).add(text)
    all_texts = sorted({t for ts in labels.values() for t in ts})
    columns = dict(header.columns) if header is not None else {}
    for fid, target in fields.items():
        if is_letter(target, all_texts):
            col = letter_index(target)
        else:
            want = _key(target)
            found = [c for c, ts in labels.items() if any(_key(t) == want for t in ts)]
            if not found:
                near = closest_headers([target], all_texts)
                raise InputError(
                    f"column mapping {fid}={target}: no header {target!r} in row "
                    f"{header_rows[-1] + 1}"
                    + (f"; closest: {', '.join(near)}" if near else "")
                    + (f"; headers: {', '.join(all_texts[:15])}" if all_texts else ""),
                    where=where,
                )
            col = found[0]
        for other, (c, _) in list(columns.items()):
            if c == col and other != fid:
                del columns[other]
        text = " / ".join(sorted(labels.get(col, ()), key=len)[-1:]) or column_letter(col)
        columns[fid] = (col, text)
    used = {c for c, _ in columns.values()}
    unmatched = tuple(
        sorted(labels[c], key=len)[-1] for c in sorted(labels) if c not in used and labels[c]
    )
    return Header(header_rows, columns, unmatched)


def _key(text: str) -> str:
    return "".join(cells.clean_text(text).split()).casefold()


def _row_with(rows: Sequence[Sequence[Any]], targets: Sequence[str]) -> int:
    """The row (of the first ones) naming most of ``targets``; else the wordiest row."""
    keys = {_key(t) for t in targets}
    best, best_hits = -1, 0
    wordiest, most_words = 0, 0
    for r in range(min(SCAN_ROWS, len(rows))):
        texts = [_key(cells.clean_text(v)) for v in rows[r] if isinstance(v, str) and v.strip()]
        hits = sum(1 for t in texts if t in keys)
        if hits > best_hits:
            best, best_hits = r, hits
        if len(texts) > most_words:
            wordiest, most_words = r, len(texts)
    return best if best >= 0 else wordiest


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
    """Read the community records of one file.

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
    with _gc_paused():
        return _read(Path(path), sheet, columns, catalogue, header_row, max_cells, workers)


def _read(
    p: Path,
    sheet: str | int | None,
    columns: Mapping[str, str] | None,
    catalogue: Catalogue | None,
    header_row: int | None,
    max_cells: int | None,
    workers: str | int | bool | None,
) -> SheetData:
    from compliance.reading import workers as roster

    cat = catalogue or default_catalogue()
    book = open_workbook(p, Limits(max_cells or DEFAULT_MAX_CELLS))
    found_roster = None
    if workers is not False and book.format != "csv":
        found_roster = roster.find_roster(book, workers if workers is not True else None)
    skip = [found_roster.grid.name] if found_roster is not None else []
    grid, header, choice_notes = _choose_sheet(book, sheet, cat, skip)
    where = book.where(grid.name)
    if columns or header_row:
        header = _apply_overrides(header, grid, columns or {}, header_row, cat, where)
    if header is None:
        seen = header_texts(grid.rows)
        shown = ", ".join(seen[:12]) + (" …" if len(seen) > 12 else "")
        if not any(any(not cells.is_blank(v) for v in row) for row in grid.rows[:SCAN_ROWS]):
            raise InputError("the sheet is empty", where=where)
        raise InputError(
            f"no header row found: no row in the first {SCAN_ROWS} names two known fields"
            + (f" (found: {shown})" if seen else "")
            + "; map the columns with --column HEADER=FIELD or --mapping FILE",
            where=where,
        )
    data = _build(p, book, grid, header, cat, choice_notes)
    if not data.records:
        raise InputError(f"no data rows under the header (row {header.last_row + 1})", where=where)
    if found_roster is not None:
        data = roster.join(data, found_roster, book)
    return data


def _annualise_plan(
    header: Header, cat: Catalogue, notes: list[tuple[str, str]]
) -> list[tuple[str, str, float]]:
    """Monthly columns that stand in for an annual one that is not there."""
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
        letter = column_letter(col)
        times = f"{ann.factor:g}"
        notes.append(
            (
                f"“{text}”（{letter}列）为月度数据，已乘以{times}折算为{cat[ann.into].zh}",
                f"'{text}' (column {letter}) is monthly; multiplied by {times} "
                f"for {cat[ann.into].en.lower()}",
            )
        )
    return plan


def _fill_merged(grid: Grid, start: int, cols: Sequence[int]) -> None:
    """Give every cell of a merged range in the data area the range's value.

    A sub-district or an average wage is often merged down over the rows it
    applies to. Only the columns we read are filled, and the work is capped.
    """
    rows = grid.rows
    wanted = set(cols)
    budget = 4 * max(len(rows), 1) * max(len(wanted), 1)
    for (r0, c0), (r1, c1) in grid.merged:
        if r1 < start or r0 >= len(rows):
            continue
        targets = (
            [c for c in range(c0, c1 + 1) if c in wanted]
            if c1 - c0 < 64
            else [c for c in wanted if c0 <= c <= c1]
        )
        if not targets:
            continue
        top = rows[r0]
        value = top[c0] if c0 < len(top) else None
        for r in range(max(r0, start), min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in targets:
                if (r, c) != (r0, c0) and c < len(row) and cells.is_blank(row[c]):
                    row[c] = value
            budget -= len(targets)
        if budget <= 0:
            return


def _build(
    p: Path,
    book: Workbook,
    grid: Grid,
    header: Header,
    cat: Catalogue,
    notes: list[tuple[str, str]],
) -> SheetData:
    sheet = grid.name if book.format != "csv" else ""
    mapping = {fid: col for fid, (col, _) in header.columns.items()}
    notes = list(notes)
    if book.format == "csv" and p.suffix.lower() not in (".csv", ".txt", ".tsv"):
        notes.append(
            (
                f"文件名为 {p.suffix}，实际是文本（CSV），已按 CSV 读取",
                f"named {p.suffix} but the content is text (CSV); read as CSV",
            )
        )
    annualise = _annualise_plan(header, cat, notes)

    start = header.last_row + 1
    rows = grid.rows
    width = max((len(r) for r in rows[start : start + 1]), default=0)
    # Blank rows are found before merged cells are filled, so that a spacer row
    # inside a merged sub-district still counts as blank.
    blank_rows: set[int] = set()
    if any(r1 >= start for (_, _), (r1, _) in grid.merged):
        blank_rows = {
            i
            for i, row in enumerate(rows[start:])
            if not any(row) and all(cells.is_blank(v) for v in row)
        }
        _fill_merged(grid, start, list(mapping.values()))
    data_rows = rows[start:]
    if any(len(r) < width for r in data_rows) or width <= max(mapping.values(), default=0):
        width = max(width, max(mapping.values(), default=0) + 1)
        data_rows = [list(r) + [""] * (width - len(r)) if len(r) < width else r for r in data_rows]
    n = len(data_rows)

    # Column by column: pick, parse, note problems. Per-column work is done once.
    fids = list(mapping)
    col_of = [mapping[f] for f in fids]
    raw_cols: list[Sequence[Any]] = [list(map(itemgetter(c), data_rows)) for c in col_of]
    parsed: list[list[Any]] = []
    col_problems: list[tuple[int, int, str, str]] = []  # (row index, col, code, field)
    for fid, col, raw in zip(fids, col_of, raw_cols, strict=True):
        uncached = (
            frozenset(r - start for (r, c) in grid.uncached if c == col and r >= start)
            if grid.uncached
            else frozenset()
        )
        values, probs = parse_column(raw, cat[fid].type, uncached)
        parsed.append(values)
        col_problems += [(i, col, code, fid) for i, code in probs]

    derived: dict[str, str] = {}
    for src, into, factor in annualise:
        values = parsed[fids.index(src)]
        parsed.append([v * factor if v is not None else None for v in values])
        fids.append(into)
        col_of.append(mapping[src])
        derived[into] = f"{src} × {factor:g}"

    # Which rows are communities.
    numeric = [i for i, f in enumerate(fids[: len(mapping)]) if cat[f].is_numeric]
    identity = [fids.index(f) for f in ("name", "id") if f in mapping]
    figs = (
        [any(t) for t in zip(*(raw_cols[i] for i in numeric), strict=True)]
        if numeric
        else [False] * n
    )
    named = (
        [any(t) for t in zip(*(raw_cols[i] for i in identity), strict=True)]
        if identity
        else [False] * n
    )
    label_cols = [
        mapping[f] for f in ("name", "id", "subdistrict", "district", "city") if f in mapping
    ]
    first_numeric = min((mapping[fids[i]] for i in numeric), default=0)
    label_cols += [c for c in range(first_numeric) if c not in label_cols]
    columns_at = {c: raw_cols[k] for k, c in enumerate(col_of[: len(mapping)])}
    subtotal_at = _subtotals(data_rows, label_cols, columns_at)

    kept: list[int] = []
    blank = 0
    others: list[int] = []
    subtotals: list[str] = []
    # The usual sheet: every row has figures and none is a subtotal.
    rows_to_sort = range(0) if not subtotal_at and all(figs) else range(n)
    if not rows_to_sort:
        kept = list(range(n))
    for i in rows_to_sort:
        if i in subtotal_at:
            subtotals.append(cell_name(sheet, start + i, subtotal_at[i]))
            continue
        if not figs[i]:
            row = data_rows[i]
            if i in blank_rows or not any(not cells.is_blank(v) for v in row):
                blank += 1
                continue
            if not named[i] or _is_note(row, label_cols):
                others.append(i)
                continue
        kept.append(i)

    problems_at: dict[int, list[DataProblem]] = {}
    kept_set = set(kept)
    for i, col, code, fid in sorted(col_problems):
        if i not in kept_set:
            continue
        raw = cells.raw_text(data_rows[i][col])
        zh, en = cells.message(code, raw=raw)
        problems_at.setdefault(i, []).append(
            DataProblem(code, cell_name(sheet, start + i, col), zh, en, fid, raw, start + i + 1)
        )
    kept, dup_notes = _drop_duplicates(kept, fids, parsed, col_of, sheet, start, problems_at)
    notes += dup_notes

    prefixes = {
        f: f"{sheet}!{column_letter(c)}" if sheet else column_letter(c)
        for f, c in zip(fids, col_of, strict=True)
    }
    path_text = str(p)
    base = start + 1
    index = {f: i for i, f in enumerate(fids)}
    value_maps: list[Mapping[str, Any]] = (
        list(map(RowValues, repeat(index), zip(*parsed, strict=True))) if parsed else [{}] * n
    )
    refs = list(map(RowCells, repeat(prefixes), range(base, base + n)))
    records = [Record(path_text, sheet, i + base, value_maps[i], refs[i], derived) for i in kept]
    problems = [pr for i in sorted(problems_at) for pr in problems_at[i]]

    if subtotals:
        shown = ", ".join(subtotals[:5]) + (" …" if len(subtotals) > 5 else "")
        notes.append(
            (
                f"跳过 {len(subtotals)} 个合计/小计行：{shown}",
                f"skipped {len(subtotals)} subtotal rows: {shown}",
            )
        )
    if blank:
        notes.append((f"跳过 {blank} 个空行", f"skipped {blank} blank rows"))
    if others:
        shown = ", ".join(_first_cell(sheet, start + i, data_rows[i]) for i in others[:5])
        notes.append(
            (
                f"跳过 {len(others)} 个没有社区名称或数据的行（如注释）：{shown}",
                f"skipped {len(others)} rows with no community name or figures (notes): {shown}",
            )
        )
    source = SourceInfo(
        path=path_text,
        sha256=file_sha256(p),
        format=book.format + (f" ({book.csv_encoding})" if book.csv_encoding else ""),
        sheet=grid.name,
        header_rows=tuple(r + 1 for r in header.rows),
        columns={fid: (column_letter(col), text) for fid, (col, text) in header.columns.items()},
        unmatched_headers=header.unmatched,
        notes_zh=tuple(zh for zh, _ in notes),
        notes_en=tuple(en for _, en in notes),
    )
    return SheetData(source, tuple(records), tuple(problems))


def _subtotals(
    data_rows: Sequence[Sequence[Any]],
    label_cols: Sequence[int],
    columns_at: Mapping[int, Sequence[Any]],
) -> dict[int, int]:
    """Row index -> column of its 合计/小计 label."""
    out: dict[int, int] = {}
    for c in label_cols:
        col = columns_at.get(c)
        if col is None:
            col = list(map(itemgetter(c), data_rows))
        texts = [v for v in set(col) if v.__class__ is str]
        # One look at all distinct texts at once rules out most columns.
        joined = "\n".join(texts)
        if not ("计" in joined or "全" in joined or "otal" in joined or "OTAL" in joined):
            continue
        hits = {
            v
            for v in texts
            if ("计" in v or "全" in v or "otal" in v or "OTAL" in v)
            and _SUBTOTAL.search("".join(v.split()))
        }
        if hits:
            for i, v in enumerate(col):
                if v in hits and i not in out:
                    out[i] = c
    return out


def _first_cell(sheet: str, r: int, row: Sequence[Any]) -> str:
    c = next((c for c, v in enumerate(row) if not cells.is_blank(v)), 0)
    return cell_name(sheet, r, c)


def _is_note(row: Sequence[Any], label_cols: Sequence[int]) -> bool:
    first = next((cells.clean_text(v) for v in row if not cells.is_blank(v)), "")
    return bool(_NOTE.match(first))


def _drop_duplicates(
    kept: list[int],
    fids: list[str],
    parsed: list[list[Any]],
    col_of: list[int],
    sheet: str,
    start: int,
    problems_at: dict[int, list[DataProblem]],
) -> tuple[list[int], list[tuple[str, str]]]:
    """Keep the first row of each community; report the others (see module doc)."""
    if "id" in fids:
        key_cols = [fids.index("id")]
        label = "id"
    elif "name" in fids:
        region = next((f for f in _REGIONS if f in fids), None)
        key_cols = [fids.index(region)] if region else []
        key_cols.append(fids.index("name"))
        label = f"{region} + name" if region else "name"
    else:
        return kept, []
    keys = list(zip(*(parsed[k] for k in key_cols), strict=True))
    kept_keys = list(map(keys.__getitem__, kept))
    if len(set(kept_keys)) == len(kept_keys):
        return kept, []
    seen: dict[tuple[Any, ...], int] = {}
    out: list[int] = []
    dups = 0
    for i in kept:
        key = tuple(parsed[k][i] for k in key_cols)
        if key[-1] is None:
            out.append(i)
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = i
            out.append(i)
            continue
        dups += 1
        col = col_of[key_cols[-1]]
        shown = " / ".join(str(k) for k in key if k is not None)
        zh, en = cells.message(cells.DUPLICATE, first=start + first + 1, key=shown)
        problems_at.setdefault(i, []).append(
            DataProblem(
                cells.DUPLICATE,
                cell_name(sheet, start + i, col),
                zh,
                en,
                fids[key_cols[-1]],
                shown,
                start + i + 1,
            )
        )
    if not dups:
        return kept, []
    return out, [
        (
            f"{dups} 行与前面的行重复（按{label}），只检查第一次出现的行",
            f"{dups} rows repeat an earlier row (same {label}); only the first is checked",
        )
    ]


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


def suggest_columns(data: SheetData, field_id: str) -> list[str]:
    """Unmatched header texts that look most like ``field_id``'s headers."""
    cat = default_catalogue()
    f = cat.fields.get(field_id)
    if f is None:
        return []
    return closest_headers((*f.headers, f.zh), data.source.unmatched_headers)
