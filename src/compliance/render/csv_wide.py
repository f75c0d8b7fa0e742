"""The wide CSV layout: one row per community, a group of columns per standard.

Written from the findings tables (communities, then sub-districts) as text
columns (:func:`wide_frame`), made inert column by column.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from compliance import labels
from compliance.labels import field_label, t
from compliance.model import Outcome
from compliance.render.csv_cells import code_column, figure_column, inert, inert_column
from compliance.results import Report

if TYPE_CHECKING:
    import polars as pl

    from compliance.render.rows import Part
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


def wide_rows_source(
    part: Part, rules: Iterable[Rule]
) -> tuple[pl.DataFrame, list[tuple[str, str, str, str]]]:
    """The part's communities with their worst outcome (``_worst``) and, per rule,
    the names of its outcome, actual, required and shortfall columns."""
    import polars as pl

    table = part.table
    wide = table.records.with_columns(table.worst().alias("_worst"))
    per_rule = table.outcomes.partition_by("rule", as_dict=True, include_key=False)
    figures = ("outcome", "actual", "required", "shortfall")
    names: list[tuple[str, str, str, str]] = []
    for i, r in enumerate(rules):
        one = per_rule.get((r.id,))
        cols = tuple(f"{k}{i}" for k in figures)
        names.append(cols)  # type: ignore[arg-type]
        if one is None:
            wide = wide.with_columns(
                pl.lit(None, pl.String if c.startswith("outcome") else pl.Float64).alias(c)
                for c in cols
            )
            continue
        one = one.select("_rec", *(pl.col(k).alias(c) for k, c in zip(figures, cols, strict=True)))
        wide = wide.join(one, on="_rec", how="left", maintain_order="left")
    return wide, names


def wide_frame(part: Part, rules: Iterable[Rule], lang: str, ruleset: str) -> pl.DataFrame:
    """A row per community (or sub-district) of ``part`` as text columns, ready for
    :func:`~compliance.render.csv_cells.write_frame`: file, row, identity, worst
    outcome, per rule its outcome, actual, required and shortfall, and the rule set."""
    import polars as pl

    frame, names = wide_rows_source(part, rules)
    said = {o.value: str(inert(labels.outcome(o, lang))) for o in Outcome}
    sheet = part.sheet
    row = frame["_row"].cast(pl.String)
    where = pl.select(pl.lit(f"{sheet}!") + row).to_series() if sheet else row
    ids = frame["id"].cast(pl.String)
    out: list[pl.Series] = [
        pl.Series("file", [str(inert(part.source))] * frame.height, dtype=pl.String),
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
