"""Values that are not figures: a wage of 0 or less is a data problem, not a wage.

Each field whose catalogue entry says ``positive`` is screened: a value of 0 or
less becomes empty (so the rules that need it are unknown) and a
``not_positive`` data problem names its cell. Only the offending rows are
visited one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from compliance import labels
from compliance.catalogue import default_catalogue
from compliance.engine.cells import cell_expr, record_ref
from compliance.model import DataProblem, SourceInfo
from compliance.reading.frame import ROW
from compliance.rules.model import Rule

#: The data-problem code of a value that must be greater than 0 (a wage).
NOT_POSITIVE = "not_positive"


def positive_fields(rules: Iterable[Rule]) -> tuple[str, ...]:
    """The fields the rules read whose catalogue entry says 0 or less is not a figure."""
    cat = default_catalogue()
    seen: dict[str, None] = {}
    for r in rules:
        seen.update(dict.fromkeys(r.fields))
        if r.scale is not None:
            seen.update(dict.fromkeys(r.scale.fields))
    return tuple(
        f for f in seen if f in cat and cat[f].positive and cat[f].type in ("integer", "number")
    )


def screen(
    frame: pl.DataFrame, source: SourceInfo, fields: Sequence[str]
) -> tuple[pl.DataFrame, tuple[DataProblem, ...]]:
    """``frame`` with every value of ``fields`` that is 0 or less emptied, and one
    ``not_positive`` problem per such value (by row, then field)."""
    present = [f for f in fields if f in frame.columns]
    if not present:
        return frame, ()
    bad = {f: pl.col(f) <= 0 for f in present}
    rows = frame.filter(pl.any_horizontal(bad.values()))
    if rows.height == 0:
        return frame, ()
    cells = rows.select(
        pl.col(ROW),
        *(pl.col(f).alias(f"v:{f}") for f in present),
        *(cell_expr(source, frame.columns, f).alias(f"c:{f}") for f in present),
    )
    problems: list[DataProblem] = []
    for row in cells.iter_rows(named=True):
        for f in present:
            v = row[f"v:{f}"]
            if v is None or v > 0:
                continue
            raw = labels.number(float(v))
            zh, en = labels.not_positive(f, raw)
            cell = row[f"c:{f}"] or record_ref(source, row[ROW])
            problems.append(DataProblem(NOT_POSITIVE, cell, zh, en, f, raw, row[ROW]))
    frame = frame.with_columns(pl.when(~bad[f]).then(pl.col(f)).alias(f) for f in present)
    return frame, tuple(problems)
