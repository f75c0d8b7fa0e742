"""Cell values: numbers in their many disguises, yes/no flags, and what cannot be used."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.reading import cells
from compliance.reading.columns import parse_numbers


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (350, 350),
        (350.5, 350.5),
        ("350", 350),
        ("３５０", 350),
        ("1,200", 1200),
        ("１，２００", 1200),
        ("12,345,678", 12345678),
        ("350平方米", 350),
        ("350 m2", 350),
        ("350㎡", 350),
        ("5人", 5),
        ("2400元/月", 2400),
        ("2.6万", 26000),
        (" 42 ", 42),
        ("1,200户", 1200),
    ],
)
def test_numbers(raw: Any, value: float) -> None:
    assert cells.parse_number(raw) == (value, None)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (None, cells.EMPTY),
        ("", cells.EMPTY),
        ("  ", cells.EMPTY),
        ("约三百", cells.NOT_A_NUMBER),
        ("350,5", cells.NOT_A_NUMBER),
        (-3, cells.NEGATIVE),
        ("-3", cells.NEGATIVE),
        ("—", cells.PLACEHOLDER),
        ("无", cells.PLACEHOLDER),
        ("#DIV/0!", cells.ERROR_VALUE),
        ("#N/A", cells.ERROR_VALUE),
        (True, cells.NOT_A_NUMBER),
        (dt.date(2007, 1, 1), cells.NOT_A_NUMBER),
        (float("nan"), cells.NOT_A_NUMBER),
    ],
)
def test_unusable_numbers(raw: Any, code: str) -> None:
    assert cells.parse_number(raw) == (None, code)


@pytest.mark.parametrize(
    ("raw", "flag"),
    [
        ("是", True), ("否", False), ("√", True), ("×", False), ("Y", True), ("n", False),
        ("有", True), ("无", False), (1, True), (0, False), ("1", True), ("0", False),
        ("已参保", True), ("未缴", False), (True, True),
    ],
)  # fmt: skip
def test_flags(raw: Any, flag: bool) -> None:
    assert cells.parse_flag(raw) == (flag, None)


def test_unusable_flags() -> None:
    assert cells.parse_flag("待定") == (None, cells.NOT_A_FLAG)
    assert cells.parse_flag(2) == (None, cells.NOT_A_FLAG)
    assert cells.parse_flag("") == (None, cells.EMPTY)


def test_every_problem_code_has_both_messages() -> None:
    for code, (zh, en) in cells.MESSAGES.items():
        assert zh and en, code
        cells.message(code, raw="x", first=2, key="k", rolled="3")


@given(st.lists(st.one_of(st.floats(allow_nan=True), st.integers(-5, 10**6), st.text(max_size=6), st.none()), max_size=40), st.booleans())  # fmt: skip
def test_column_parsing_matches_cell_parsing(raw: list[Any], whole: bool) -> None:
    values, problems = parse_numbers(raw, whole=whole)
    codes = dict(problems)
    for i, v in enumerate(raw):
        value, code = cells.parse_number(v)
        assert values[i] == value or (value != value and values[i] != values[i])
        if code not in (None, cells.EMPTY):
            assert codes[i] == code
        elif code is None and whole and value is not None and not value.is_integer():
            assert codes[i] == cells.NOT_WHOLE
        else:
            assert i not in codes
