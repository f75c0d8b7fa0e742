"""Blank and subtotal rows, found in one pass over all columns, as per-column tests found them."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.reading import rows
from compliance.reading.raw import RawColumns
from tests.workcount import calls

_TEXTS = st.sampled_from(
    [None, "", " ", "\u3000", "城东社区", "合计", "小 计", "Total", "tOtAl", "全市", "注：", "x"]
)


@st.composite
def raw_columns(draw: st.DrawFn) -> RawColumns:
    height = draw(st.integers(1, 6))
    raw = RawColumns(height)
    for c in range(draw(st.integers(0, 5))):
        if draw(st.booleans()):
            raw.text[c] = pl.Series(
                values=draw(st.lists(_TEXTS, min_size=height, max_size=height)), dtype=pl.String
            )
        if draw(st.booleans()):
            nums = st.one_of(st.none(), st.sampled_from([0.0, 1.5]))
            raw.num[c] = pl.Series(
                values=draw(st.lists(nums, min_size=height, max_size=height)), dtype=pl.Float64
            )
    return raw


def _filled_by_column(raw: RawColumns) -> list[bool]:
    exprs = []
    for c in sorted(set(raw.text) | set(raw.num)):
        text = pl.lit(raw.text_of(c))
        filled = text.is_not_null() & (text.str.strip_chars() != "")
        if c in raw.num:
            filled = filled | pl.lit(raw.num[c]).is_not_null()
        exprs.append(filled)
    if not exprs:
        return [False] * raw.height
    return pl.select(pl.any_horizontal(exprs)).to_series().to_list()


def _subtotal_by_column(raw: RawColumns, label_cols: list[int]) -> list[int | None]:
    sub = []
    for c in label_cols:
        # Every text is put to the pattern: the one-pass reading's quick look first must
        # rule out none that names a subtotal ("tOtAl" too: the pattern ignores case).
        distinct = raw.text_of(c).drop_nulls().unique().to_list()
        hits = [v for v in distinct if rows._SUBTOTAL.search("".join(v.split()))]
        if hits:
            sub.append(pl.when(pl.lit(raw.text_of(c)).is_in(hits)).then(pl.lit(c)))
    if not sub:
        return [None] * raw.height
    return pl.select(pl.coalesce(sub)).to_series().to_list()


@settings(max_examples=200, deadline=None)
@given(raw_columns(), st.permutations(range(5)))
def test_one_pass_agrees_with_a_test_per_column(raw: RawColumns, order: list[int]) -> None:
    assert raw.filled().tolist() == _filled_by_column(raw)
    label_cols = order[:3]
    assert rows._subtotal_column(raw, label_cols).to_list() == _subtotal_by_column(raw, label_cols)


def test_a_sheet_65000_columns_wide_is_sorted_in_linear_time() -> None:
    # Counted, not timed: a test per column (an expression each) made about 600
    # calls per column, and took seconds on a sheet 65,000 columns wide; one pass
    # over all columns makes about 13.
    width = 65_000
    raw = RawColumns(7)
    for c in range(width):
        raw.text[c] = pl.Series(
            values=[None, f"v{c}", None, " ", None, None, "合计"], dtype=pl.String
        )
    (filled, subtotal), work = calls(
        lambda: (raw.filled().tolist(), rows._subtotal_column(raw, list(range(width))).to_list())
    )
    assert filled == [False, True, False, False, False, False, True]
    assert subtotal == [None] * 6 + [0]
    assert work <= 40 * width, work / width
