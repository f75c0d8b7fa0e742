"""The meanings the native tokeniser decides against those polars computes (``typed_block``).

Every value of the table is written in cells of every type (none, ``n``, ``s``,
``str``, ``b``, ``e``, ``inlineStr``, a made-up one), with and without a date
style and a formula; the native typed cells must equal what ``typed_block`` makes
of the pure reader's cells, kind, number (as polars' ``cast(pl.Float64,
strict=False)`` reads it), text, shared-string index and the formula-without-value
flag alike.
"""

from __future__ import annotations

import itertools
from typing import Any

import polars as pl
import pytest

from compliance.reading import xlsx_native
from compliance.reading.xlsx_meanings import date_mask, typed_block
from compliance.reading.xlsx_tags import CellState, general_block
from tests.reading.test_native_differential import lib as lib

#: Numbers and near-numbers: what polars' cast accepts and what it refuses.
VALUES = [
    "1", " 1", "1 ", "\t1", "+1", "-1", "-0", "0001", "00.5", "1.", ".5", ".", "-.5", "5.e1",
    ".e1", "1e5", "1E5", "1e+5", "1e-5", "1e", "1e+", "e5", "1e5.0", "1.2.3", "1_000", "1,000",
    "0x10", "0b1", "1d", "1f", "inf", "-inf", "+inf", "Inf", "INF", "infinity", "inFinity",
    "infinityx", "nan", "NaN", "-nan", "+nan", "snan", "nan(1)", "--1", "+-1", "-", "+", "",
    " ", "١", "１", "\u30001\u3000", "1.7976931348623157e309", "4.9e-325", "1e0400",
    "123456789012345678901234567890", "18446744073709551615", "18446744073709551616", "0",
    "#N/A", "x&amp;y", "&#49;", "True", "0.1e-400",
]  # fmt: skip
TYPES = [None, "n", "s", "str", "b", "e", "inlineStr", "d"]
STYLES = [None, "3", "03", "14", "99", " 3"]


def _cell(n: int, value: str, t: str | None, s: str | None, formula: bool) -> str:
    attrs = f' r="A{n}"' + (f' t="{t}"' if t else "") + (f' s="{s}"' if s else "")
    body = ("<f>1+1</f>" if formula else "") + (f"<v>{value}</v>" if value != "<none>" else "")
    if t == "inlineStr":
        body += f"<is><t>{value}</t></is>"
    return f"<row><c{attrs}>{body}</c></row>"


def _both(lib: Any, data: bytes, dates: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    with xlsx_native.Scanner(
        lib, max_cells=10**9, columns=None, first_row=0, stop_row=None, dates=date_mask(dates)
    ) as scanner:
        native = scanner.block(data, CellState())
    assert native is not None, data
    return native, typed_block(general_block(data, CellState(), 10**9), dates)


@pytest.mark.parametrize("t", TYPES)
def test_every_value_means_the_same_natively(lib: Any, t: str | None) -> None:
    cells = [
        _cell(n + 1, value, t, s, formula)
        for n, (value, s, formula) in enumerate(
            itertools.product([*VALUES, "<none>"], STYLES, [False, True])
        )
    ]
    native, pure = _both(lib, "".join(cells).encode(), ["3", "14"])
    assert native.schema == pure.schema
    for name in native.columns:
        got, want = native.get_column(name), pure.get_column(name)
        if name == "num":  # NaN equals NaN here; the sign of a NaN is not a meaning
            got, want = got.fill_nan(None), want.fill_nan(None)
        assert got.equals(want), (name, native.filter(got.ne_missing(want)))


def test_the_table_reaches_every_kind(lib: Any) -> None:
    cells = [
        _cell(n + 1, v, t, s, False)
        for n, (v, t, s) in enumerate(itertools.product(["1", "x", ""], TYPES, ["3", None]))
    ]
    native, _ = _both(lib, "".join(cells).encode(), ["3"])
    assert set(native["kind"].cast(pl.String)) == {
        "empty", "s", "text", "bool", "error", "date", "num",
    }  # fmt: skip
