"""The long CSV layout: one row per (community, rule), for programs.

Written from the findings tables (communities, then sub-districts) as text
columns, :data:`CHUNK` communities at a time, made inert column by column: the
same cells :func:`~compliance.render.csv_cells.write_rows` would write.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import polars as pl

from compliance import labels
from compliance.labels import field_label, t
from compliance.model import Outcome
from compliance.render.csv_cells import figure_column, inert, inert_column

if TYPE_CHECKING:
    from compliance.render.rows import Part
    from compliance.rules.model import Rule

_IDENTITY = ("id", "name", "city", "district", "subdistrict")
#: Communities written at a time: memory follows this, not the sheet.
CHUNK = 10_000


def header(lang: str) -> list[str]:
    return [
        t("file", lang),
        t("row", lang),
        *(field_label(f, lang) for f in _IDENTITY),
        t("rule_id", lang),
        t("ruleset_column", lang),
        t("rule", lang),
        t("outcome", lang),
        t("actual", lang),
        t("required", lang),
        t("gap", lang),
        t("unit", lang),
        t("total", lang),
        t("total_unit", lang),
        t("derivation", lang),
        t("reason", lang),
        t("cell", lang),
        t("notes", lang),
    ]


def _reasons(frame: pl.DataFrame, lang: str) -> pl.Series:
    """Each finding's reason in words, worked out where it has one."""
    said = [""] * frame.height
    cols = ("reason", "derivation", "cells", "notes", "missing")
    has = frame.with_row_index("_i").filter(pl.col("reason").fill_null("") != "")
    for i, why, derivation, cells, notes, missing in has.select("_i", *cols).iter_rows():
        said[i] = labels.reason_text(why, derivation, cells, notes, missing, lang)
    return pl.Series("reason", said, dtype=pl.String)


def _notes(frame: pl.DataFrame, lang: str) -> pl.Series:
    """Each finding's notes in words, "; " between them (a note worked out once)."""
    notes = frame["notes"]
    every = notes.explode().drop_nulls().unique().to_list()
    words = {n: labels.note(n, lang) for n in every}
    return frame.select(
        pl.col("notes")
        .list.eval(pl.element().replace_strict(words, return_dtype=pl.String))
        .list.join("; ")
    ).to_series()


def _words(words: dict[str, str]) -> dict[str, str | None]:
    """Words as the CSV writes them: made inert, an empty one as no value."""
    return {k: (str(inert(v)) or None) for k, v in words.items()}


def long_frames(
    part: Part, rules: Sequence[Rule], lang: str, ruleset: str
) -> Iterator[pl.DataFrame]:
    """The rows of ``part``'s findings as text columns, ready for
    :func:`~compliance.render.csv_cells.write_frame`, in community and then
    rule-set order, :data:`CHUNK` communities at a time.

    Words taken from the rule set are made inert once each, a community's identity
    once per community, and only the texts of each finding row by row."""
    table = part.table
    ids = _words({r.id: r.id for r in rules})
    titles = _words({r.id: r.title(lang) for r in rules})
    units = _words({r.id: labels.unit(r.unit, lang) for r in rules})
    total_units = _words({r.id: labels.unit(r.total_unit, lang) for r in rules})
    outcomes = _words({o.value: labels.outcome(o, lang) for o in Outcome})
    file, label = (str(inert(x)) or None for x in (part.source, ruleset))
    row = pl.col("_row").cast(pl.String)
    where = pl.lit(f"{part.sheet}!") + row if part.sheet else row
    ident = ["_where", *_IDENTITY]
    records = table.records.select(
        pl.col("_rec"), where.alias("_where"), *(pl.col(k).cast(pl.String) for k in _IDENTITY)
    )
    for at, rows in table.chunks(CHUNK):
        found = table.explained(rows)
        if not found.height:
            continue
        mine = records.slice(at, CHUNK)
        mine = pl.DataFrame(
            [mine["_rec"].cast(found.schema["_rec"]), *(_inert(mine[k]).alias(k) for k in ident)]
        )
        found = found.join(mine, on="_rec", how="left", maintain_order="left")
        n = found.height

        def said(column: str, words: dict[str, str | None], f: pl.DataFrame = found) -> pl.Series:
            return f[column].replace_strict(words, default=None, return_dtype=pl.String)

        texts = [
            pl.Series("file", [file] * n, dtype=pl.String),
            *(found[k] for k in ident),
            said("rule", ids),
            pl.Series("ruleset", [label] * n, dtype=pl.String),
            said("rule", titles),
            said("outcome", outcomes),
            # Figures are numbers, never formulas: written as they are (a "-5" too).
            *(figure_column(found[k]) for k in ("actual", "required", "shortfall")),
            said("rule", units),
            figure_column(found["total"]),
            found.select(
                pl.when(pl.col("total").is_not_null()).then(
                    pl.col("rule").replace_strict(total_units, default=None)
                )
            ).to_series(),
            _inert(found["derivation"].fill_null("")),
            _inert(_reasons(found, lang)),
            _inert(
                found.select(
                    pl.col("cells")
                    .list.eval(pl.element().filter(pl.element() != ""))
                    .list.join(" ")
                ).to_series()
            ),
            _inert(_notes(found, lang)),
        ]
        yield pl.DataFrame([s.alias(f"c{i}") for i, s in enumerate(texts)])


def _inert(s: pl.Series) -> pl.Series:
    """The column made inert, an empty text as no value (which polars writes bare)."""
    x = (inert_column(s.alias("x")) if s.dtype == pl.String else s.cast(pl.String)).alias("x")
    return x.to_frame().select(pl.when(pl.col("x") != "").then(pl.col("x"))).to_series()


__all__ = ["header", "inert", "long_frames"]
