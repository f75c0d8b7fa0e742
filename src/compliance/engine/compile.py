"""Compile a checked rule expression into polars expressions, once per rule.

The input is the tree that :mod:`compliance.rules.expressions` has already
checked against its whitelist (parameters folded into constants, fields
renamed to positional slots ``_0``, ``_1``...). Nothing is evaluated here:
each node becomes a polars expression over the record columns, so loading a
rule set still never runs code from it.

Every node gives two expressions: its value, and an error text (String, null
when the value is fine). An error is what the row-by-row evaluation raises as
:class:`~compliance.rules.expressions.EvaluationError`: a division by zero, or
rounding a value that is not finite. Errors follow Python's evaluation order:
the first error met wins, and a branch that ``if``/``and``/``or`` does not take
contributes none.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from compliance.rules.expressions import Expression, Kind

_ZERO_DIVISION = "division by zero"
# The texts Python gives for math.ceil/floor of a value that is not finite.
_INFINITE = "cannot convert float infinity to integer"
_NAN = "cannot convert float NaN to integer"


@dataclass(frozen=True, slots=True)
class Compiled:
    """An expression's value column and its error column (null: no error)."""

    value: pl.Expr
    error: pl.Expr | None


def _first_error(*errors: pl.Expr | None) -> pl.Expr | None:
    """The first non-null error, in evaluation order."""
    present = [e for e in errors if e is not None]
    if not present:
        return None
    return present[0] if len(present) == 1 else pl.coalesce(present)


def _when(cond: pl.Expr, error: pl.Expr | None) -> pl.Expr | None:
    """``error`` only where ``cond`` holds (a branch that is evaluated)."""
    if error is None:
        return None
    return pl.when(cond).then(error)


def _not_finite(x: pl.Expr) -> pl.Expr:
    return pl.when(x.is_nan()).then(pl.lit(_NAN)).when(x.is_infinite()).then(pl.lit(_INFINITE))


class _Compiler:
    def __init__(self, columns: Sequence[pl.Expr]) -> None:
        self.columns = columns

    def node(self, node: ast.expr) -> Compiled:
        method: Callable[[ast.expr], Compiled] | None = getattr(
            self, f"_{type(node).__name__}", None
        )
        if method is None:  # the checker refused it already; never reached
            raise TypeError(f"cannot compile {type(node).__name__}")
        return method(node)

    def _Constant(self, node: ast.Constant) -> Compiled:
        v = node.value
        if isinstance(v, bool):
            return Compiled(pl.lit(v, dtype=pl.Boolean), None)
        if isinstance(v, int | float):
            return Compiled(pl.lit(float(v), dtype=pl.Float64), None)
        return Compiled(pl.lit(str(v), dtype=pl.String), None)

    def _Name(self, node: ast.Name) -> Compiled:
        return Compiled(self.columns[int(node.id[1:])], None)

    def _BinOp(self, node: ast.BinOp) -> Compiled:
        left = self.node(node.left)
        right = self.node(node.right)
        a, b = left.value, right.value
        error = _first_error(left.error, right.error)
        op = node.op
        if isinstance(op, ast.Add):
            return Compiled(a + b, error)
        if isinstance(op, ast.Sub):
            return Compiled(a - b, error)
        if isinstance(op, ast.Mult):
            return Compiled(a * b, error)
        zero = _first_error(error, pl.when(b == 0).then(pl.lit(_ZERO_DIVISION)))
        if isinstance(op, ast.Div):
            return Compiled(a / b, zero)
        floor_div = isinstance(op, ast.FloorDiv)
        return Compiled(
            pl.map_batches(
                [a.cast(pl.Float64), b.cast(pl.Float64)],
                lambda s: _divmod(s[0], s[1], floor_div),
                return_dtype=pl.Float64,
            ),
            zero,
        )

    def _UnaryOp(self, node: ast.UnaryOp) -> Compiled:
        inner = self.node(node.operand)
        if isinstance(node.op, ast.Not):
            return Compiled(~inner.value, inner.error)
        if isinstance(node.op, ast.USub):
            return Compiled(-inner.value, inner.error)
        return inner

    def _BoolOp(self, node: ast.BoolOp) -> Compiled:
        parts = [self.node(v) for v in node.values]
        is_and = isinstance(node.op, ast.And)
        value = parts[0].value
        error = parts[0].error
        for part in parts[1:]:
            # The next operand is evaluated only while the result is still open.
            reached = value if is_and else ~value
            error = _first_error(error, _when(reached, part.error))
            value = (value & part.value) if is_and else (value | part.value)
        return Compiled(value, error)

    def _Compare(self, node: ast.Compare) -> Compiled:
        left = self.node(node.left)
        value: pl.Expr | None = None
        error = left.error
        prev = left.value
        for op, comp in zip(node.ops, node.comparators, strict=True):
            right = self.node(comp)
            # Python stops a chain at the first false link.
            error = _first_error(error, right.error if value is None else _when(value, right.error))
            link = _compare(op, prev, right.value)
            value = link if value is None else (value & link)
            prev = right.value
        assert value is not None
        return Compiled(value, error)

    def _IfExp(self, node: ast.IfExp) -> Compiled:
        test = self.node(node.test)
        body = self.node(node.body)
        orelse = self.node(node.orelse)
        value = pl.when(test.value).then(body.value).otherwise(orelse.value)
        branch: pl.Expr | None = None
        if body.error is not None or orelse.error is not None:
            branch = (
                pl.when(test.value)
                .then(body.error if body.error is not None else pl.lit(None, pl.String))
                .otherwise(orelse.error if orelse.error is not None else pl.lit(None, pl.String))
            )
        return Compiled(value, _first_error(test.error, branch))

    def _Call(self, node: ast.Call) -> Compiled:
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        args = [self.node(a) for a in node.args]
        error = _first_error(*(a.error for a in args))
        x = args[0].value
        if name == "min":
            return Compiled(pl.min_horizontal([a.value for a in args]), error)
        if name == "max":
            return Compiled(pl.max_horizontal([a.value for a in args]), error)
        if name == "abs":
            return Compiled(x.abs(), error)
        digits = 0
        if name == "rounded":
            # rounded(x, mode): the mode is a rule-set parameter, folded to a constant.
            mode = node.args[1]
            assert isinstance(mode, ast.Constant)
            name = str(mode.value)
        elif name == "round" and len(node.args) == 2:
            d = node.args[1]
            assert isinstance(d, ast.Constant) and isinstance(d.value, int)
            digits = d.value
        if name == "round":
            return Compiled(_round(x, digits), _first_error(error, _not_finite(x)))
        if name == "ceil":
            return Compiled(x.round(9).ceil(), _first_error(error, _not_finite(x)))
        if name == "floor":
            return Compiled(x.round(9).floor(), _first_error(error, _not_finite(x)))
        raise TypeError(f"cannot compile function {name}")  # the checker refused it already


def _divmod(a: pl.Series, b: pl.Series, floor_div: bool) -> pl.Series:
    """Python's float ``a // b`` or ``a % b`` (CPython's float_divmod), a column at a
    time: exact where ``a - b * floor(a / b)`` would lose the remainder."""
    import numpy as np

    x = a.to_numpy().astype(float)
    y = b.to_numpy().astype(float)
    with np.errstate(all="ignore"):
        mod = np.fmod(x, y)
        div = (x - mod) / y
        adjust = (mod != 0) & ((y < 0) != (mod < 0))
        mod = np.where(adjust, mod + y, mod)
        div = np.where(adjust, div - 1.0, div)
        mod = np.where(mod == 0, np.copysign(0.0, y), mod)
        whole = np.floor(div)
        whole = np.where(div - whole > 0.5, whole + 1.0, whole)
        whole = np.where(div == 0, np.copysign(0.0, x / y), whole)
    out = np.where(y == 0, np.nan, whole if floor_div else mod)
    return pl.Series(out, dtype=pl.Float64)


def _round(x: pl.Expr, digits: int) -> pl.Expr:
    """Half away from zero (四舍五入), as the rule language's ``round``."""
    scale = 10.0**digits
    y = (x.abs() * scale + 0.5 + 1e-9).floor() / scale
    return pl.when(x < 0).then(-y).otherwise(y)


def _compare(op: ast.cmpop, a: pl.Expr, b: pl.Expr) -> pl.Expr:
    if isinstance(op, ast.Lt):
        return a < b
    if isinstance(op, ast.LtE):
        return a <= b
    if isinstance(op, ast.Gt):
        return a > b
    if isinstance(op, ast.GtE):
        return a >= b
    if isinstance(op, ast.Eq):
        return a == b
    return a != b


def field_column(name: str, kind: Kind, present: bool) -> pl.Expr:
    """A record field as the expression language sees it: flags as booleans."""
    if not present:
        dtype = pl.Float64 if kind == "number" else pl.Boolean if kind == "bool" else pl.String
        return pl.lit(None, dtype=dtype)
    col = pl.col(name)
    if kind == "bool":
        return col.cast(pl.Boolean)
    return col


def compile_expression(
    expr: Expression,
    kinds: Mapping[str, Kind],
    columns: Sequence[str],
    rename: Mapping[str, str] | None = None,
) -> Compiled:
    """``expr`` as polars expressions over a frame with ``columns``.

    ``kinds`` gives each field's kind (flags are stored as 0/1 numbers and read
    as booleans); a field without a column reads as null; ``rename`` maps a
    field to the column read for it (a stand-in).
    """
    present = set(columns)
    names = [(rename or {}).get(f, f) for f in expr.fields]
    shape = tuple(
        (name, kinds.get(f, "number"), name in present)
        for f, name in zip(expr.fields, names, strict=True)
    )
    return _compiled(expr, shape)


@lru_cache(maxsize=1024)
def _compiled(expr: Expression, shape: tuple[tuple[str, Kind, bool], ...]) -> Compiled:
    """Compiled once per rule expression (and the columns its fields read)."""
    cols = [field_column(name, kind, present) for name, kind, present in shape]
    return _Compiler(cols).node(expr.tree)
