"""Per-worker roster sheets: one row per worker, rolled up to their community.

The roster sheet (found by :mod:`compliance.reading.roster`) lists per worker
the community, whether full-time (是/否), annual or monthly pay and six
insurance flags. The roll-up gives each community:

- ``full_time_workers``: the roster rows marked full-time (every row when
  there is no full-time column);
- ``pay_annual``: the mean annual pay of those workers (monthly pay × 12), and under
  :func:`per_worker_key` each worker's annual pay, so that pay is judged per worker;
- each insurance field: how many of them are marked 是/√/Y/有/1.

A value the roster cannot settle (an unreadable flag or pay) leaves that
field unknown for the community, never a pass. The roster wins over a figure
on the community sheet; a disagreement is reported as a ``roster_mismatch``
data problem. Every roll-up names its roster cells, and the uninsured or
lowest-paid workers by cell.
"""

from __future__ import annotations

from typing import Any

from compliance.model import DataProblem, Record, SheetData, SourceInfo
from compliance.reading import cells
from compliance.reading.columns import parse_column
from compliance.reading.grid import Workbook, cell_name, column_letter
from compliance.reading.roster import INSURANCE, ROSTER_CATALOGUE, Roster, per_worker_key


def _key(value: Any) -> str | None:
    t = cells.clean_text(value)
    return "".join(t.split()) or None


def join(data: SheetData, roster: Roster, book: Workbook) -> SheetData:
    """Roll the roster up into the community records (see the module doc)."""
    grid, header = roster.grid, roster.header
    rsheet = grid.name
    cols = {fid: col for fid, (col, _) in header.columns.items()}
    start = header.last_row + 1
    rows = grid.rows[start:]
    parsed: dict[str, list[Any]] = {}
    problems: list[DataProblem] = list(data.problems)
    for fid, col in cols.items():
        raw = [r[col] if col < len(r) else None for r in rows]
        values, probs = parse_column(raw, ROSTER_CATALOGUE[fid].type)
        parsed[fid] = values
        for i, code in probs:
            text = cells.raw_text(raw[i])
            zh, en = cells.message(code, raw=text)
            problems.append(
                DataProblem(
                    code, cell_name(rsheet, start + i, col), zh, en, fid, text, start + i + 1
                )
            )

    by_id = "community_id" in cols and any(r.values.get("id") for r in data.records)
    with_sub = (
        not by_id
        and "subdistrict" in cols
        and any(r.values.get("subdistrict") for r in data.records)
    )
    index: dict[tuple[str | None, ...], int] = {}
    for k, rec in enumerate(data.records):
        if by_id:
            key: tuple[str | None, ...] = (_key(rec.values.get("id")),)
        else:
            key = (
                _key(rec.values.get("subdistrict")) if with_sub else None,
                _key(rec.values.get("name")),
            )
        index.setdefault(key, k)
    members: dict[int, list[int]] = {}
    unmatched = 0
    key_field = "community_id" if by_id else "community"
    nothing: list[Any] = [None] * len(rows)
    key_values = parsed.get(key_field, nothing)
    worker_names = parsed.get("worker", nothing)
    for i in range(len(rows)):
        name = key_values[i]
        if name is None or worker_names[i] is None:
            continue  # a blank, subtotal or note row
        if by_id:
            key = (_key(name),)
        else:
            key = (_key(parsed["subdistrict"][i]) if with_sub else None, _key(name))
        match = index.get(key)
        if match is None:
            unmatched += 1
            zh, en = cells.message(cells.ROSTER_UNMATCHED, raw=cells.raw_text(name))
            problems.append(
                DataProblem(
                    cells.ROSTER_UNMATCHED,
                    cell_name(rsheet, start + i, cols[key_field]),
                    zh,
                    en,
                    key_field,
                    str(name),
                    start + i + 1,
                )
            )
            continue
        members.setdefault(match, []).append(i)

    records = list(data.records)
    for k, idx in members.items():
        records[k] = _roll_up(records[k], idx, parsed, cols, rsheet, start, problems)

    notes_zh = list(data.source.notes_zh)
    notes_en = list(data.source.notes_en)
    workers = sum(len(v) for v in members.values())
    notes_zh.append(
        f"已汇总人员名册“{rsheet}”：{workers} 名工作人员，{len(members)} 个社区；"
        "报酬逐人判断（每名专职人员的年收入），保险取标为“是”的专职人数"
    )
    notes_en.append(
        f"rolled up the roster sheet '{rsheet}': {workers} workers in {len(members)} communities; "
        "pay is judged per full-time worker, insurance is the count marked yes"
    )
    if unmatched:
        notes_zh.append(f"人员名册中有 {unmatched} 行找不到对应社区")
        notes_en.append(f"{unmatched} roster rows name no community in the sheet")
    columns = dict(data.source.columns)
    for fid in ("full_time_workers", "pay_annual", *INSURANCE):
        src = _source_column(fid, cols)
        if src is not None:
            columns[fid] = (f"{rsheet}!{column_letter(cols[src])}", header.columns[src][1])
    source = SourceInfo(
        path=data.source.path,
        sha256=data.source.sha256,
        format=data.source.format,
        sheet=data.source.sheet,
        header_rows=data.source.header_rows,
        columns=columns,
        unmatched_headers=data.source.unmatched_headers,
        notes_zh=tuple(notes_zh),
        notes_en=tuple(notes_en),
    )
    problems.sort(key=lambda p: (p.cell.split("!")[0], p.row or 0))
    return SheetData(source, tuple(records), tuple(problems))


def _source_column(fid: str, cols: dict[str, int]) -> str | None:
    if fid == "full_time_workers":
        return "full_time" if "full_time" in cols else "worker"
    if fid == "pay_annual":
        return next((f for f in ("pay_annual", "pay_monthly") if f in cols), None)
    return fid if fid in cols else None


def _span(rsheet: str, col: int, rows: list[int]) -> str:
    letter = column_letter(col)
    lo, hi = min(rows) + 1, max(rows) + 1
    return f"{rsheet}!{letter}{lo}" + (f":{letter}{hi}" if hi != lo else "")


def _roll_up(
    rec: Record,
    idx: list[int],
    parsed: dict[str, list[Any]],
    cols: dict[str, int],
    rsheet: str,
    start: int,
    problems: list[DataProblem],
) -> Record:
    values = dict(rec.values)
    refs = dict(rec.cells)
    derived = dict(rec.derived)
    abs_rows = [start + i for i in idx]
    names = parsed["worker"]

    def who(i: int, col: int) -> str:
        return f"{cell_name(rsheet, start + i, col)} ({names[i]})"

    rolled: dict[str, tuple[Any, str, str]] = {}  # field -> (value, cell, derivation)
    each: tuple[tuple[float, str, str], ...] | None = None  # each full-time worker's pay
    if "full_time" in cols:
        flags = [parsed["full_time"][i] for i in idx]
        ft = [i for i, f in zip(idx, flags, strict=True) if f]
        known = None not in flags
        count: Any = len(ft) if known else None
        how = f"{len(ft)} of {len(idx)} roster rows marked full-time" + (
            "" if known else "; some rows are not marked, so the count is unknown"
        )
        rolled["full_time_workers"] = (count, _span(rsheet, cols["full_time"], abs_rows), how)
    else:
        ft = list(idx)
        known = True
        rolled["full_time_workers"] = (
            len(ft),
            _span(rsheet, cols["worker"], abs_rows),
            f"{len(ft)} roster rows (no full-time column: every row counted)",
        )
    ft_rows = [start + i for i in ft] or abs_rows

    pay_col = next((f for f in ("pay_annual", "pay_monthly") if f in cols), None)
    if pay_col is not None:
        factor = 12.0 if pay_col == "pay_monthly" else 1.0
        pays = [parsed[pay_col][i] for i in ft]
        if known and ft and None not in pays:
            annual = [p * factor for p in pays]
            mean = sum(annual) / len(annual)
            low = min(range(len(ft)), key=annual.__getitem__)
            how = (
                f"{len(ft)} full-time workers' annual pay"
                + (" (monthly × 12)" if factor != 1 else "")
                + f", judged one by one; mean {mean:,.0f}, lowest "
                + f"{who(ft[low], cols[pay_col])} {annual[low]:,.0f}"
            )
            rolled["pay_annual"] = (round(mean, 2), _span(rsheet, cols[pay_col], ft_rows), how)
            each = tuple(
                (a, cell_name(rsheet, start + i, cols[pay_col]), str(names[i]))
                for a, i in zip(annual, ft, strict=True)
            )
        else:
            rolled["pay_annual"] = (
                None,
                _span(rsheet, cols[pay_col], ft_rows),
                "some full-time workers' pay (or full-time flag) is missing or unreadable",
            )

    for fid in INSURANCE:
        if fid not in cols:
            continue
        flags = [parsed[fid][i] for i in ft]
        span = _span(rsheet, cols[fid], ft_rows)
        if not known or None in flags:
            rolled[fid] = (None, span, "some full-time workers' flags are missing or unreadable")
            continue
        no = [i for i, f in zip(ft, flags, strict=True) if not f]
        how = f"{len(ft) - len(no)} of {len(ft)} full-time workers marked yes"
        if no:
            how += "; not insured: " + ", ".join(who(i, cols[fid]) for i in no)
        rolled[fid] = (len(ft) - len(no), span, how)

    for fid, (value, span, how) in rolled.items():
        before = values.get(fid)
        if before is not None and value is not None and float(before) != float(value):
            raw = f"{before:g}" if isinstance(before, float) else str(before)
            zh, en = cells.message(cells.ROSTER_MISMATCH, raw=raw, rolled=f"{float(value):g}")
            problems.append(
                DataProblem(
                    cells.ROSTER_MISMATCH,
                    refs.get(fid, rec.ref),
                    zh,
                    en,
                    fid,
                    raw,
                    rec.row,
                )
            )
        values[fid] = float(value) if value is not None else None
        refs[fid] = span
        derived[fid] = f"roster: {how}"
    if each is not None:
        values[per_worker_key("pay_annual")] = each
    return Record(rec.source, rec.sheet, rec.row, values, refs, derived)
