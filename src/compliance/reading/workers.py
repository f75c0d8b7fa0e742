"""Per-worker roster sheets: one row per worker, rolled up to their community.

The roster sheet (found by :mod:`compliance.reading.roster`) lists per worker
the community, whether full-time (是/否), annual or monthly pay and six
insurance flags. The roll-up gives each community:

- ``full_time_workers``: the roster rows marked full-time (every row when
  there is no full-time column);
- ``female_workers``: the women among them, where the roster has a 性别 column
  (男/女, M/F), so that maternity is counted against the women (女工生育);
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

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from compliance.model import DataProblem
from compliance.reading import cells
from compliance.reading.columns import parse_column
from compliance.reading.frame import CELL_PREFIX, NOTE_PREFIX, ROW, SheetFrame, field_cells
from compliance.reading.grid import Workbook, cell_name, column_letter
from compliance.reading.roster import (
    INSURANCE,
    ROSTER_CATALOGUE,
    Roster,
    parse_sex,
    per_worker_key,
)
from compliance.reading.roster_figures import Pays, roll_up, rolled_fields

if TYPE_CHECKING:
    import polars as pl


def _key(value: Any) -> str | None:
    t = cells.clean_text(value)
    return "".join(t.split()) or None


def join(sheet: SheetFrame, roster: Roster, book: Workbook) -> SheetFrame:
    """Roll the roster up into the community rows of ``sheet`` (see the module doc):
    the rolled-up figures, their cells and how each was made replace the sheet's,
    as columns joined on the community's row."""

    grid, header = roster.grid, roster.header
    rsheet = grid.name
    cols = {fid: col for fid, (col, _) in header.columns.items()}
    start = header.last_row + 1
    rows = grid.rows[start:]
    parsed: dict[str, list[Any]] = {}
    problems: list[DataProblem] = list(sheet.problems)
    for fid, col in cols.items():
        raw = [r[col] if col < len(r) else None for r in rows]
        if fid == "sex":
            values, probs = _sexes(raw)
        else:
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

    frame = sheet.frame
    n = frame.height

    def column(fid: str) -> list[Any]:
        return frame[fid].to_list() if fid in frame.columns else [None] * n

    ids, names, subs = column("id"), column("name"), column("subdistrict")
    by_id = "community_id" in cols and any(ids)
    with_sub = not by_id and "subdistrict" in cols and any(subs)
    index: dict[tuple[str | None, ...], int] = {}
    for k in range(n):
        if by_id:
            key: tuple[str | None, ...] = (_key(ids[k]),)
        else:
            key = (_key(subs[k]) if with_sub else None, _key(names[k]))
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

    figures, each = roll_up(members, parsed, cols, rsheet, start)
    fields = rolled_fields(cols) if members else []
    problems += _mismatches(sheet, figures, fields)
    joined = _joined(sheet, figures, fields, each)

    notes_zh = list(sheet.source.notes_zh)
    notes_en = list(sheet.source.notes_en)
    workers = sum(len(v) for v in members.values())
    notes_zh.append(
        f"已汇总人员名册“{rsheet}”：{workers} 名工作人员，{len(members)} 个社区；"
        "报酬逐人判断（每名专职人员的年收入），保险取标为“是”的专职人数"
    )
    notes_en.append(
        f"rolled up the roster sheet '{rsheet}': {workers} workers in {len(members)} communities; "
        "pay is judged per full-time worker, insurance is the count marked yes"
    )
    if "sex" in cols:
        notes_zh.append(
            f"人员名册“{rsheet}”有性别列：女职工人数取专职人员中的女性人数，生育保险按女职工计"
        )
        notes_en.append(
            f"the roster sheet '{rsheet}' gives each worker's sex: female workers are the women "
            "among the full-time workers, and maternity is counted against them"
        )
    if unmatched:
        notes_zh.append(f"人员名册中有 {unmatched} 行找不到对应社区")
        notes_en.append(f"{unmatched} roster rows name no community in the sheet")
    columns = dict(sheet.source.columns)
    for fid in ("full_time_workers", "female_workers", "pay_annual", *INSURANCE):
        src = _source_column(fid, cols)
        if src is not None:
            columns[fid] = (f"{rsheet}!{column_letter(cols[src])}", header.columns[src][1])
    source = replace(
        sheet.source, columns=columns, notes_zh=tuple(notes_zh), notes_en=tuple(notes_en)
    )
    problems.sort(key=lambda p: (p.cell.split("!")[0], p.row or 0))
    return replace(joined, source=source, problems=tuple(problems))


def _mismatches(sheet: SheetFrame, figures: pl.DataFrame, fields: list[str]) -> list[DataProblem]:
    """A ``roster_mismatch`` for each figure the sheet gives that its roster does not
    add up to (the roster wins), in roster order."""
    import polars as pl

    frame = sheet.frame
    given = [f for f in fields if f in frame.columns]
    if not given:
        return []
    sheet_figures = frame.select(
        pl.col(ROW),
        *(pl.col(f).alias(f"_was:{f}") for f in given),
        *(field_cells(sheet, f).alias(CELL_PREFIX + f) for f in given),
    ).with_row_index("_k")
    differ = [
        pl.col(f"_was:{f}").is_not_null()
        & pl.col(f"_v:{f}").is_not_null()
        & (pl.col(f"_was:{f}").cast(pl.Float64, strict=False) != pl.col(f"_v:{f}"))
        for f in given
    ]
    both = figures.join(sheet_figures, on="_k", how="left", maintain_order="left")
    out = []
    for r in both.filter(pl.any_horizontal(differ)).iter_rows(named=True):
        for fid in given:
            was, value = r[f"_was:{fid}"], r[f"_v:{fid}"]
            if was is None or value is None or float(was) == value:
                continue
            raw = f"{was:g}" if isinstance(was, float) else str(was)
            zh, en = cells.message(cells.ROSTER_MISMATCH, raw=raw, rolled=f"{value:g}")
            at = r[CELL_PREFIX + fid]
            out.append(DataProblem(cells.ROSTER_MISMATCH, at, zh, en, fid, raw, r[ROW]))
    return out


def _joined(
    sheet: SheetFrame, figures: pl.DataFrame, fields: list[str], each: dict[int, Pays]
) -> SheetFrame:
    """``sheet`` with each rolled-up community's figures, cells and notes in place of
    its own (a ``_cell:`` and ``_note:`` column per rolled-up field) and each
    full-time worker's pay under :func:`per_worker_key`."""
    import polars as pl

    frame = sheet.frame
    if not fields:
        return sheet
    joined = (
        frame.with_row_index("_k")
        .join(
            figures.with_columns(pl.lit(True).alias("_h")),
            on="_k",
            how="left",
            maintain_order="left",
        )
        .with_columns(pl.col("_h").fill_null(False))
    )
    derived = dict(sheet.derived)
    out = []
    hit = pl.col("_h")
    for f in fields:
        own = pl.col(f) if f in frame.columns else pl.lit(None, pl.Float64)
        note = (
            pl.col(NOTE_PREFIX + f)
            if NOTE_PREFIX + f in frame.columns
            else pl.lit(derived.pop(f, None), pl.String)
        )
        out += [
            pl.when(hit).then(pl.col(f"_v:{f}")).otherwise(own.cast(pl.Float64)).alias(f),
            pl.when(hit)
            .then(pl.col(f"_c:{f}"))
            .otherwise(field_cells(sheet, f))
            .alias(CELL_PREFIX + f),
            pl.when(hit).then(pl.col(f"_n:{f}")).otherwise(note).alias(NOTE_PREFIX + f),
        ]
    joined = joined.with_columns(out).drop(
        "_k", "_h", *(f"_{p}:{f}" for f in fields for p in "vcn")
    )
    if each:
        pays = [each.get(k) for k in range(frame.height)]
        joined = joined.with_columns(pl.Series(per_worker_key("pay_annual"), pays, dtype=pl.Object))
    return replace(sheet, frame=joined, derived=derived)


def _sexes(raw: list[Any]) -> tuple[list[Any], list[tuple[int, str]]]:
    """Each 性别 cell: True for a woman, False for a man, None (and a problem for
    text that is not a sex) otherwise."""
    values: list[Any] = []
    problems: list[tuple[int, str]] = []
    for i, v in enumerate(raw):
        sex, code = parse_sex(v)
        values.append(sex)
        if code is not None and code != cells.EMPTY:
            problems.append((i, code))
    return values, problems


def _source_column(fid: str, cols: dict[str, int]) -> str | None:
    if fid == "full_time_workers":
        return "full_time" if "full_time" in cols else "worker"
    if fid == "female_workers":
        return "sex" if "sex" in cols else None
    if fid == "pay_annual":
        return next((f for f in ("pay_annual", "pay_monthly") if f in cols), None)
    return fid if fid in cols else None
