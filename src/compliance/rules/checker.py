"""Check a parsed rule expression against the whitelist, node by node.

:class:`Checker` walks the :mod:`ast` tree once: it refuses every node that is
not allowed (attribute access, subscripts, lambdas, comprehensions, ...),
infers the kind of each part, folds rule-set parameters into constants and
renames the record fields it reads to positional slots.
"""

from __future__ import annotations

import ast
import difflib
import math
from collections.abc import Mapping
from typing import cast

from compliance.rules.language import (
    FUNCTIONS,
    MAX_INT,
    ROUNDING_MODES,
    ExpressionError,
    Kind,
    Value,
)

MAX_NODES = 400

_CONSTANT_NAMES: dict[str, bool] = {"true": True, "false": False, "True": True, "False": False}

_ARITH: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
}
_ORDER = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_EQUALITY = (ast.Eq, ast.NotEq)

_FORBIDDEN: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "subscripts are not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.NamedExpr: "assignment is not allowed",
    ast.Starred: "star arguments are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Dict: "dicts are not allowed",
    ast.Set: "sets are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
    ast.Slice: "slices are not allowed",
}


def _kind_of(value: object) -> Kind:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    raise ExpressionError(f"unsupported value {value!r}")


class Checker:
    """Walks a parsed tree once: refuses what is not allowed, infers kinds,
    folds parameters into constants and renames fields to positional slots."""

    def __init__(self, fields: Mapping[str, Kind], params: Mapping[str, Value]) -> None:
        self.fields = fields
        self.params = params
        self.used: list[str] = []
        self.nodes = 0

    def _unknown(self, name: str) -> ExpressionError:
        known = [*self.fields, *self.params, *FUNCTIONS]
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return ExpressionError(
            f"unknown name {name!r}: not a record field, rule-set parameter or allowed function{hint}"
        )

    def check(self, node: ast.expr) -> tuple[ast.expr, Kind]:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExpressionError(f"expression is too long (more than {MAX_NODES} parts)")
        for bad, message in _FORBIDDEN.items():
            if isinstance(node, bad):
                raise ExpressionError(message)
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise ExpressionError(f"{type(node).__name__} is not allowed in a rule expression")
        return cast(tuple[ast.expr, Kind], method(node))

    def _Constant(self, node: ast.Constant) -> tuple[ast.expr, Kind]:
        v = node.value
        if isinstance(v, float) and not math.isfinite(v):
            raise ExpressionError("numbers must be finite")
        if v is None or isinstance(v, bytes | complex) or v is Ellipsis:
            raise ExpressionError(f"constant {v!r} is not allowed")
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_INT:
            raise ExpressionError(f"integer constant out of range (more than {MAX_INT:.0e})")
        return node, _kind_of(v)

    def _Name(self, node: ast.Name) -> tuple[ast.expr, Kind]:
        name = node.id
        if name.startswith("_"):
            raise ExpressionError(f"names starting with '_' are not allowed: {name!r}")
        if name in _CONSTANT_NAMES:
            return ast.Constant(_CONSTANT_NAMES[name]), "bool"
        if name in self.params:
            value = self.params[name]
            return ast.Constant(value), _kind_of(value)
        if name in self.fields:
            if name not in self.used:
                self.used.append(name)
            return ast.Name(f"_{self.used.index(name)}", ast.Load()), self.fields[name]
        if name in FUNCTIONS:
            raise ExpressionError(f"function {name!r} must be called, e.g. {name}(...)")
        raise self._unknown(name)

    def _BinOp(self, node: ast.BinOp) -> tuple[ast.expr, Kind]:
        if type(node.op) not in _ARITH:
            op = type(node.op).__name__
            raise ExpressionError(f"operator {op} is not allowed (use + - * / // %)")
        left, lk = self.check(node.left)
        right, rk = self.check(node.right)
        sym = _ARITH[type(node.op)]
        if lk != "number" or rk != "number":
            raise ExpressionError(f"'{sym}' needs numbers on both sides, not {lk} and {rk}")
        return ast.BinOp(left, node.op, right), "number"

    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[ast.expr, Kind]:
        operand, kind = self.check(node.operand)
        if isinstance(node.op, ast.Not):
            if kind != "bool":
                raise ExpressionError(f"'not' needs a true/false value, not {kind}")
            return ast.UnaryOp(node.op, operand), "bool"
        if isinstance(node.op, ast.USub | ast.UAdd):
            if kind != "number":
                raise ExpressionError(f"a sign needs a number, not {kind}")
            return ast.UnaryOp(node.op, operand), "number"
        raise ExpressionError("operator ~ is not allowed")

    def _BoolOp(self, node: ast.BoolOp) -> tuple[ast.expr, Kind]:
        values = []
        for v in node.values:
            out, kind = self.check(v)
            if kind != "bool":
                word = "and" if isinstance(node.op, ast.And) else "or"
                raise ExpressionError(f"'{word}' needs true/false values, not {kind}")
            values.append(out)
        return ast.BoolOp(node.op, values), "bool"

    def _Compare(self, node: ast.Compare) -> tuple[ast.expr, Kind]:
        left, lk = self.check(node.left)
        comparators = []
        prev = lk
        for op, comp in zip(node.ops, node.comparators, strict=True):
            out, kind = self.check(comp)
            if isinstance(op, _ORDER):
                if prev != "number" or kind != "number":
                    raise ExpressionError(
                        f"ordering comparisons need numbers, not {prev} and {kind}"
                    )
            elif isinstance(op, _EQUALITY):
                if prev != kind:
                    raise ExpressionError(f"cannot compare {prev} with {kind}")
            else:
                raise ExpressionError(f"comparison {type(op).__name__} is not allowed")
            comparators.append(out)
            prev = kind
        return ast.Compare(left, node.ops, comparators), "bool"

    def _IfExp(self, node: ast.IfExp) -> tuple[ast.expr, Kind]:
        test, tk = self.check(node.test)
        if tk != "bool":
            raise ExpressionError(f"the condition after 'if' must be true/false, not {tk}")
        body, bk = self.check(node.body)
        orelse, ok = self.check(node.orelse)
        if bk != ok:
            raise ExpressionError(
                f"both branches of 'if ... else' must have one kind, not {bk} and {ok}"
            )
        return ast.IfExp(test, body, orelse), bk

    def _Call(self, node: ast.Call) -> tuple[ast.expr, Kind]:
        if not isinstance(node.func, ast.Name):
            raise ExpressionError("only named functions can be called, e.g. max(a, b)")
        name = node.func.id
        if name.startswith("_"):
            raise ExpressionError(f"names starting with '_' are not allowed: {name!r}")
        fn = FUNCTIONS.get(name)
        if fn is None:
            if name in self.fields or name in self.params:
                raise ExpressionError(f"{name!r} is not a function")
            allowed = ", ".join(FUNCTIONS)
            raise ExpressionError(f"function {name!r} is not allowed (allowed: {allowed})")
        if node.keywords:
            raise ExpressionError(f"{name}() takes no keyword arguments")
        n = len(node.args)
        lo = fn.min_args if fn.min_args is not None else len(fn.params)
        if n < lo or (not fn.variadic and n > len(fn.params)):
            want = (
                f"at least {lo}"
                if fn.variadic
                else (f"{lo} to {len(fn.params)}" if lo != len(fn.params) else str(lo))
            )
            raise ExpressionError(f"{name}() takes {want} arguments, got {n}")
        args = []
        for i, a in enumerate(node.args):
            out, kind = self.check(a)
            want_kind = fn.params[min(i, len(fn.params) - 1)]
            if kind != want_kind:
                raise ExpressionError(
                    f"argument {i + 1} of {name}() must be a {want_kind}, not {kind}"
                )
            args.append(out)
        if name == "rounded":
            mode = args[1]
            if not isinstance(mode, ast.Constant) or mode.value not in ROUNDING_MODES:
                raise ExpressionError(
                    f"rounded() needs a rounding mode of {', '.join(ROUNDING_MODES)}, "
                    f"given as a text parameter"
                )
        if (
            name == "round"
            and len(args) == 2
            and not (
                isinstance(args[1], ast.Constant)
                and isinstance(args[1].value, int)
                and not isinstance(args[1].value, bool)
                and 0 <= args[1].value <= 10
            )
        ):
            raise ExpressionError("round(x, n) needs a whole number of digits n from 0 to 10")
        return ast.Call(ast.Name(name, ast.Load()), args, []), "number"
