"""All numeric columns of a sheet are parsed in one query: the same values and problems
as parsing each cell on its own (:func:`~compliance.reading.cells.parse_number`)."""

from __future__ import annotations

import math
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.catalogue import default_catalogue
from compliance.reading import cells
from compliance.reading.raw import RawColumns
from compliance.reading.values import parse_fields

FIELDS = ["households", "premises_area", "full_time_workers", "pay_annual", "name"]

_cell = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([0.0, 1.0, 2.5, -3.0, 1e13, 350.0, 12.0]),
    st.sampled_from(["3,500", "１２", "350平方米", "—", "", " ", "x", "#N/A", "5人", "1.5万"]),
    st.text(max_size=6),
)


def _reference(v: Any, whole: bool) -> tuple[float | None, str | None]:
    value, code = cells.parse_number(v)
    if whole and code is None and value is not None and value % 1.0:
        code = cells.NOT_WHOLE
    return value, code


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_cell, min_size=len(FIELDS), max_size=len(FIELDS)), max_size=12))
def test_one_query_over_every_numeric_column_parses_each_cell_as_the_cell_parser(
    rows: list[list[Any]],
) -> None:
    cat = default_catalogue()
    raw = RawColumns(len(rows))
    for c, fid in enumerate(FIELDS):
        column = [r[c] for r in rows]
        if cat[fid].is_numeric:
            nums = [v if isinstance(v, float) else None for v in column]
            raw.num[c] = pl.Series(values=nums, dtype=pl.Float64)
        texts = [v if isinstance(v, str) and v else None for v in column]
        raw.text[c] = pl.Series(values=texts, dtype=pl.String)
    values, problems = parse_fields(raw, {f: i for i, f in enumerate(FIELDS)}, cat, (), 0)
    assert list(values) == FIELDS
    for c, fid in enumerate(FIELDS[:-1]):
        whole = cat[fid].type == "integer"
        want = [_reference(r[c] if r[c] != "" else None, whole) for r in rows]
        got = values[fid].to_list()
        for (w_value, _), g in zip(want, got, strict=True):
            assert (g is None and w_value is None) or (
                g is not None and w_value is not None and math.isclose(g, w_value)
            ), (fid, want, got)
        codes = [(i, code) for i, (_, code) in enumerate(want) if code not in (None, cells.EMPTY)]
        assert [(i, code) for i, code, _ in problems[fid]] == codes
