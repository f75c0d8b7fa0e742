"""Every node kind and function of the rule language compiles to polars and gives
what a plain Python evaluation of the same checked tree gives, errors included.

The Python evaluation (:func:`reference`) lives here only, as the oracle of these
tests: the library evaluates rule expressions with polars alone."""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.engine.compile import compile_expression
from compliance.rules.expressions import Expression, Kind
from compliance.rules.expressions import compile_expression as parse
from compliance.rules.language import FUNCTIONS

FIELDS: dict[str, Kind] = {"a": "number", "b": "number", "c": "number", "f": "bool", "t": "text"}
PARAMS = {"p": 400, "mode": "ceil", "down": "floor", "half": "round", "name": "x"}

#: One expression per node kind and function the checker accepts.
EXPRESSIONS = [
    "a + b",
    "a - b",
    "a * b",
    "a / b",
    "a // b",
    "a % b",
    "-a",
    "+a",
    "not f",
    "f and a > b",
    "f or a / b > 1",
    "a < b",
    "a <= b",
    "a > b",
    "a >= b",
    "a == b",
    "a != b",
    "a < b < c",
    "a < b / c",
    "t == name",
    "t != 'y'",
    "a if f else b",
    "a / b if a > 0 else c",
    "min(a, b)",
    "max(a, b, c)",
    "max(5, ceil(a / p))",
    "ceil(a)",
    "floor(a)",
    "round(a)",
    "round(a, 2)",
    "abs(a - b)",
    "rounded(a / p, mode)",
    "rounded(a / p, down)",
    "rounded(a / p, half)",
    "true",
    "350",
    "0.7 * a",
    "ceil(a * 1e308 * 10)",
]

values = st.one_of(
    st.sampled_from([0.0, 1.0, -1.0, 0.5, 2.5, -2.5, 400.0, 2150.0, 1e-9]),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
)


def reference(expr: Expression) -> Callable[..., Any]:
    """The checked tree as a Python function of its fields' values, with the
    language's functions and no builtins."""
    args = [ast.arg(f"_{i}") for i in range(len(expr.fields))]
    lam = ast.Expression(
        ast.Lambda(
            ast.arguments(posonlyargs=[], args=args, kwonlyargs=[], kw_defaults=[], defaults=[]),
            expr.tree,
        )
    )
    ast.fix_missing_locations(lam)
    names: dict[str, Any] = {"__builtins__": {}}
    names.update({name: f.impl for name, f in FUNCTIONS.items()})
    return eval(compile(lam, "<reference>", "eval"), names)  # type: ignore[no-any-return]


def python(source: str, row: dict[str, Any]) -> tuple[Any, str | None]:
    expr = parse(source, FIELDS, PARAMS)
    try:
        return reference(expr)(*(row[f] for f in expr.fields)), None
    except ZeroDivisionError:
        return None, "division by zero"
    except (OverflowError, ValueError) as exc:
        return None, str(exc)


def columnar(source: str, rows: list[dict[str, Any]]) -> list[tuple[Any, str | None]]:
    expr = parse(source, FIELDS, PARAMS)
    frame = pl.DataFrame(
        {
            "a": [r["a"] for r in rows],
            "b": [r["b"] for r in rows],
            "c": [r["c"] for r in rows],
            "f": [float(r["f"]) for r in rows],
            "t": [r["t"] for r in rows],
        }
    )
    compiled = compile_expression(expr, FIELDS, frame.columns)
    error = compiled.error if compiled.error is not None else pl.lit(None, pl.String)
    out = frame.with_columns(v=compiled.value, e=error)
    return list(zip(out["v"].to_list(), out["e"].to_list(), strict=True))


def same(py: tuple[Any, str | None], col: tuple[Any, str | None]) -> bool:
    (pv, pe), (cv, ce) = py, col
    if pe is not None:
        return ce == pe
    if ce is not None:
        return False
    if isinstance(pv, bool) or isinstance(cv, bool):
        return bool(pv) == bool(cv)
    if isinstance(pv, str):
        return pv == cv
    if math.isinf(pv) or math.isnan(pv):
        return (math.isnan(pv) and math.isnan(cv)) or pv == cv
    return math.isclose(float(pv), cv, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize("source", EXPRESSIONS)
@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "a": values,
                "b": values,
                "c": values,
                "f": st.booleans(),
                "t": st.sampled_from(["x", "y"]),
            }
        ),
        min_size=1,
        max_size=8,
    )
)
def test_compiled_expression_matches_the_python_evaluation(
    source: str, rows: list[dict[str, Any]]
) -> None:
    got = columnar(source, rows)
    for row, col in zip(rows, got, strict=True):
        assert same(python(source, row), col), (source, row, col)


def test_division_by_zero_is_an_error_not_infinity() -> None:
    [(_, error)] = columnar("a / b", [{"a": 1.0, "b": 0.0, "c": 0.0, "f": True, "t": "x"}])
    assert error == "division by zero"


def test_a_branch_not_taken_raises_nothing() -> None:
    row = {"a": -1.0, "b": 0.0, "c": 3.0, "f": False, "t": "x"}
    assert columnar("a / b if a > 0 else c", [row]) == [(3.0, None)]
    assert columnar("f and a / b > 1", [row]) == [(False, None)]


def test_a_field_without_a_column_reads_as_null() -> None:
    expr = parse("a + b", FIELDS, PARAMS)
    compiled = compile_expression(expr, FIELDS, ["a"])
    out = pl.DataFrame({"a": [1.0]}).select(compiled.value)
    assert out.item() is None


def test_each_expression_compiles_once() -> None:
    expr = parse("max(5, ceil(a / p))", FIELDS, PARAMS)
    first = compile_expression(expr, FIELDS, ["a"])
    assert compile_expression(expr, FIELDS, ["a", "b"]) is first
