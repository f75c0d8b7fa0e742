"""The wide CSV layout: one row per community, a group of columns per standard.

Written from the findings tables as text columns (:func:`wide_frame`), made
inert column by column; :func:`wide_row` is the same row from record
objects, for sub-district results.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from compliance import labels
from compliance.labels import field_label, t
from compliance.model import Outcome, RecordResult
from compliance.render.csv_cells import (
    code_cell,
    code_column,
    figure_column,
    inert,
    inert_column,
    number,
)
from compliance.results import CheckResult, Report

if TYPE_CHECKING:
    import polars as pl

    from compliance.rules.model import Rule

_IDENTITY = ("id", "name", "city", "district", "subdistrict")


#: Per standard in the wide layout: outcome, actual, required, shortfall.
_GROUP = ("outcome", "actual", "required", "gap")


def wide_header(report: Report, lang: str) -> list[str]:
    cols = [
        t("file", lang),
        t("row", lang),
        *(field_label(f, lang) for f in _IDENTITY),
        t("result", lang),
    ]
    for r in report.rules:
        name = r.short(lang)
        unit = labels.unit(r.unit, lang)
        for key in _GROUP:
            label = f"{name} {t(key, lang)}"
            cols.append(f"{label} ({unit})" if unit and key != "outcome" else label)
    cols.append(t("ruleset_column", lang))
    return cols


def wide_row(rr: RecordResult, rules: Iterable[Rule], lang: str, ruleset: str) -> list[Any]:
    rec = rr.record
    values = rec.values
    row: list[Any] = [
        rec.source,
        f"{rec.sheet}!{rec.row}" if rec.sheet else rec.row,
        code_cell(values.get("id")),
        *("" if values.get(k) is None else str(values.get(k)) for k in _IDENTITY[1:]),
        labels.outcome(rr.worst, lang),
    ]
    for r in rules:
        f = rr.finding(r.id)
        if f is None:
            row += [""] * len(_GROUP)
            continue
        row += [labels.outcome(f.outcome, lang), number(f.actual), number(f.required)]
        row.append(number(f.shortfall))
    row.append(ruleset)
    return row


def wide_rows_source(
    check: CheckResult, rules: Iterable[Rule]
) -> tuple[pl.DataFrame, list[tuple[str, str, str, str]]]:
    """The check's communities with their worst outcome (``_worst``) and, per rule,
    the names of its outcome, actual, required and shortfall columns."""
    import polars as pl

    table = check.table
    wide = table.records.with_columns(table.worst().alias("_worst"))
    per_rule = table.outcomes.partition_by("rule", as_dict=True, include_key=False)
    figures = ("outcome", "actual", "required", "shortfall")
    names: list[tuple[str, str, str, str]] = []
    for i, r in enumerate(rules):
        part = per_rule.get((r.id,))
        cols = tuple(f"{k}{i}" for k in figures)
        names.append(cols)  # type: ignore[arg-type]
        if part is None:
            wide = wide.with_columns(
                pl.lit(None, pl.String if c.startswith("outcome") else pl.Float64).alias(c)
                for c in cols
            )
            continue
        part = part.select(
            "_rec", *(pl.col(k).alias(c) for k, c in zip(figures, cols, strict=True))
        )
        wide = wide.join(part, on="_rec", how="left", maintain_order="left")
    return wide, names


def wide_rows(
    check: CheckResult, rules: Iterable[Rule], lang: str, ruleset: str
) -> Iterator[list[Any]]:
    """:func:`wide_row` for every community of ``check``, read from its findings
    table (no record objects)."""
    import polars as pl

    src = check.source
    path = src.path
    sheet = "" if src.format.startswith("csv") else src.sheet
    wide, names = wide_rows_source(check, rules)
    said = {o.value: labels.outcome(o, lang) for o in Outcome}
    flat = [c for group in names for c in group]
    for rec_row, ident, worst, *found in wide.select(
        "_row", pl.concat_list(_IDENTITY).alias("_ident"), "_worst", *flat
    ).iter_rows():
        row: list[Any] = [
            path,
            f"{sheet}!{rec_row}" if sheet else rec_row,
            code_cell(ident[0]),
            *("" if v is None else v for v in ident[1:]),
            said[worst],
        ]
        for at in range(0, len(found), 4):
            outcome, actual, required, shortfall = found[at : at + 4]
            if outcome is None:
                row += [""] * len(_GROUP)
            else:
                row += [said[outcome], number(actual), number(required), number(shortfall)]
        row.append(ruleset)
        yield row


def wide_frame(check: CheckResult, rules: Iterable[Rule], lang: str, ruleset: str) -> pl.DataFrame:
    """The rows of :func:`wide_rows` as text columns, ready for :func:`write_frame`."""
    import polars as pl

    frame, names = wide_rows_source(check, rules)
    said = {o.value: str(inert(labels.outcome(o, lang))) for o in Outcome}
    src = check.source
    sheet = "" if src.format.startswith("csv") else src.sheet
    row = frame["_row"].cast(pl.String)
    where = pl.select(pl.lit(f"{sheet}!") + row).to_series() if sheet else row
    ids = frame["id"].cast(pl.String)
    out: list[pl.Series] = [
        pl.Series("file", [str(inert(src.path))] * frame.height, dtype=pl.String),
        inert_column(where).alias("row"),
        code_column(ids).alias("id"),
        *(inert_column(frame[k]).alias(k) for k in _IDENTITY[1:]),
        frame["_worst"].replace_strict(said, return_dtype=pl.String).alias("_worst"),
    ]
    for i, (outcome, actual, required, shortfall) in enumerate(names):
        out.append(
            frame[outcome].replace_strict(said, default=None, return_dtype=pl.String).alias(f"o{i}")
        )
        out += [figure_column(frame[c]).alias(f"{c}") for c in (actual, required, shortfall)]
    out.append(pl.Series("ruleset", [str(inert(ruleset))] * frame.height, dtype=pl.String))
    return pl.DataFrame(out)
