"""Rules checked once per sub-district (街道) rather than once per community.

The 2008 report counts 130 sub-districts without a community service centre.
A rule with ``level = "subdistrict"`` reads sub-district figures, which come
either

- from a column of the community rows: every row of a sub-district carries its
  figure (repeated, or in a cell merged down the sub-district's rows); rows
  that disagree make the figure unknown and are reported as a data problem; or
- from a sheet of their own in the same workbook, one row per sub-district,
  found by its header (a sub-district column and the rule's fields; see
  :mod:`compliance.reading.subdistricts`).

:func:`subdistrict_sheet` turns either into a frame of one row per sub-district
(named after it, pointing at the cells its figures were read from), grouped with
polars; the engine checks that frame like a sheet of communities, so sub-districts
have the same outcomes, shortfalls and derivations, in a findings table of their own.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from typing import Any

import polars as pl

from compliance.catalogue import Catalogue, default_catalogue, field_named
from compliance.errors import InputError
from compliance.model import DataProblem, SourceInfo
from compliance.reading.frame import CELL_PREFIX, ROW, SheetFrame, field_cells
from compliance.reading.subdistricts import REGION, find_sheet
from compliance.rules.model import Rule

LEVEL = "subdistrict"
CONFLICT = "subdistrict_conflict"


def is_group_rule(rule: Rule) -> bool:
    """True for a rule evaluated once per sub-district."""
    return rule.level == LEVEL


def group_fields(rules: Sequence[Rule]) -> tuple[str, ...]:
    """The fields sub-district rules read, in rule order."""
    seen: dict[str, None] = {}
    for r in rules:
        if is_group_rule(r):
            seen.update(dict.fromkeys(r.fields))
    return tuple(seen)


def _sheet_name(source: SourceInfo) -> str:
    """The sheet as a record names it ("" for CSV)."""
    return "" if source.format.startswith("csv") else source.sheet


def _normal(column: pl.Series) -> pl.Series:
    """Region names compared as the same text: NFKC, without any whitespace, "" for none.
    Computed once per distinct name."""
    given = column.cast(pl.String).fill_null("")
    names = given.unique().to_list()
    table = {n: "".join(unicodedata.normalize("NFKC", n).split()) for n in names}
    return given.replace_strict(table, return_dtype=pl.String)


def _number(v: Any, flag: bool) -> str:
    if flag:
        return str(bool(v))
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def group_frame(
    sheet: SheetFrame, fields: Sequence[str], catalogue: Catalogue | None = None
) -> tuple[SheetFrame, tuple[DataProblem, ...], int]:
    """One row per sub-district from rows that carry sub-district figures.

    Returns the sub-districts as a frame (in the order each first appears: its first
    row's region, ``name`` the sub-district, each field's figure and ``_cell:`` columns
    naming where it was read), the conflicts found (rows of one sub-district with
    different figures: that figure is unknown) and the number of rows that name no
    sub-district and so were left out.
    """
    cat = catalogue or default_catalogue()
    frame = sheet.frame
    fields = [f for f in fields if f not in REGION]
    keys = [f"_key:{f}" for f in REGION]

    def value(f: str) -> pl.Expr:
        if f in frame.columns:
            return pl.col(f)
        numeric = f in cat and cat[f].is_numeric
        return pl.lit(None, pl.Float64 if numeric else pl.String).alias(f)

    wanted = list(dict.fromkeys((*REGION, *fields)))
    base = frame.select(
        pl.col(ROW).cast(pl.Int64),
        *(value(f) for f in wanted),
        *(field_cells(sheet, f).alias(CELL_PREFIX + f) for f in wanted),
    )
    named = pl.col("subdistrict").is_not_null() & (pl.col("subdistrict").cast(pl.String) != "")
    rows = base.filter(named)
    unnamed = base.height - rows.height
    rows = rows.with_columns(_normal(rows[f]).alias(k) for f, k in zip(REGION, keys, strict=True))
    rows = rows.with_columns(
        _differs(pl.col(f), rows.schema[f], keys).alias(f"_differs:{f}") for f in fields
    )
    agg: list[pl.Expr] = [pl.col(ROW).first(), *(pl.col(f).first() for f in REGION)]
    agg += [pl.col(CELL_PREFIX + f).first() for f in REGION]
    for f in fields:
        v, c, d = pl.col(f), pl.col(CELL_PREFIX + f), pl.col(f"_differs:{f}")
        agg += [
            v.drop_nulls().first().alias(f),
            c.filter(v.is_not_null()).first().alias(f"_given:{f}"),
            c.first().alias(f"_first:{f}"),
            v.filter(d).first().alias(f"_clash:{f}"),
            c.filter(d).first().alias(f"_clash_cell:{f}"),
            d.any().alias(f"_clashed:{f}"),
        ]
    grouped = rows.group_by(keys, maintain_order=True).agg(agg)
    problems = _conflicts(grouped, fields, cat)
    out = grouped.select(
        ROW,
        *REGION,
        pl.col("subdistrict").cast(pl.String).alias("name"),
        *(
            pl.when(pl.col(f"_clashed:{f}")).then(None).otherwise(pl.col(f)).alias(f)
            for f in fields
        ),
        *(pl.col(CELL_PREFIX + f) for f in REGION),
        pl.lit("").alias(CELL_PREFIX + "name"),
        *(
            pl.when(pl.col(f"_clashed:{f}"))
            .then(pl.col(f"_clash_cell:{f}"))
            .when(pl.col(f).is_not_null())
            .then(pl.col(f"_given:{f}"))
            .otherwise(pl.col(f"_first:{f}"))
            .alias(CELL_PREFIX + f)
            for f in fields
        ),
    )
    return SheetFrame(sheet.source, out), problems, unnamed


def _differs(v: pl.Expr, dtype: pl.DataType, keys: Sequence[str]) -> pl.Expr:
    """Whether a row's figure differs from the first figure its sub-district gives."""
    first = v.drop_nulls().first().over(keys)
    if dtype.is_numeric():
        return (v.is_not_null() & ((v - first).abs() >= 1e-9)).fill_null(False)
    return (v.is_not_null() & (v != first)).fill_null(False)


def _conflicts(
    grouped: pl.DataFrame, fields: Sequence[str], cat: Catalogue
) -> tuple[DataProblem, ...]:
    clashed = [f"_clashed:{f}" for f in fields]
    if not clashed:
        return ()
    problems = []
    for row in grouped.filter(pl.any_horizontal(clashed)).iter_rows(named=True):
        name = str(row["subdistrict"])
        for fid in fields:
            if not row[f"_clashed:{fid}"]:
                continue
            flag = fid in cat and cat[fid].type == "flag"
            a, b = _number(row[f"_clash:{fid}"], flag), _number(row[fid], flag)
            cell, there = row[f"_clash_cell:{fid}"], row[f"_given:{fid}"]
            label = field_named(fid)
            zh_name = label.zh if label else fid
            en_name = label.en.lower() if label else fid
            problems.append(
                DataProblem(
                    code=CONFLICT,
                    cell=cell,
                    message_zh=f"街道“{name}”的{zh_name}与 {there} 不一致（{a} 与 {b}），无法判断",
                    message_en=f"sub-district {name}: {en_name} differs from {there} "
                    f"({a} and {b}); cannot decide",
                    field=fid,
                    raw=a,
                )
            )
    return tuple(problems)


def subdistrict_source(
    path: str | os.PathLike[str],
    data: SheetFrame,
    rules: Sequence[Rule],
    catalogue: Catalogue | None = None,
) -> SheetFrame | None:
    """Where sub-district figures come from: None for the community rows' own
    columns, else the sheet that lists sub-districts.

    Raises :class:`~compliance.errors.InputError` when neither has them.
    """
    fields = [f for f in group_fields(rules) if f not in REGION]
    if not fields:
        return None
    have = set(data.source.columns)
    if "subdistrict" in have and all(f in have for f in fields):
        return None
    cat = catalogue or default_catalogue()
    sheet = find_sheet(path, fields, skip=data.source.sheet, catalogue=cat)
    if sheet is not None:
        return sheet
    names = ", ".join(f"{f} ({cat[f].zh})" for f in fields if f not in have) or "subdistrict"
    ids = ", ".join(r.id for r in rules if is_group_rule(r))
    raise InputError(
        "subdistrict_no_source",
        names=names,
        ids=ids,
        where=f"{data.source.path} [{data.source.sheet}]",
    )


def subdistrict_sheet(
    data: SheetFrame, rules: Sequence[Rule], sheet: SheetFrame | None = None
) -> tuple[SheetFrame | None, tuple[DataProblem, ...], tuple[str, str] | None]:
    """The sub-districts that ``rules``' sub-district rules are checked on, one row
    each, from ``sheet`` if given, else from ``data``'s columns (None without such
    rules).

    Returns the frame, data problems (conflicting figures, and the sub-district
    sheet's own problems) and a reading note (zh, en) when rows were left out for
    naming no sub-district. The frame's source names no column: every cell is in
    its ``_cell:`` columns, and the rules' stand-in fields count as present, so
    that a sub-district figure is never replaced by a stand-in.
    """
    chosen = [r for r in rules if is_group_rule(r)]
    if not chosen:
        return None, (), None
    given = sheet or data
    grouped, problems, unnamed = group_frame(given, group_fields(chosen))
    source = SourceInfo(
        given.source.path,
        "",
        "records",
        _sheet_name(given.source),
        (),
        {f: ("", "") for r in chosen for f in r.stand_in},
    )
    extra = problems + (sheet.problems if sheet is not None else ())
    note = None
    if unnamed:
        note = (
            f"{unnamed} 行未填所属街道，未计入街道层级标准",
            f"{unnamed} rows name no sub-district and are left out of sub-district rules",
        )
    return SheetFrame(source, grouped.frame), extra, note
