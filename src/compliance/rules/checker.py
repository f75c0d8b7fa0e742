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

from compliance.labels.messages import msg
from compliance.rules.language import (
    FUNCTIONS,
    MAX_INT,
    ROUNDING_MODES,
    ExpressionError,
    Kind,
    Value,
    kind_word,
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
    ast.Attribute: "expr_no_attribute",
    ast.Subscript: "expr_no_subscript",
    ast.Lambda: "expr_no_lambda",
    ast.ListComp: "expr_no_comprehension",
    ast.SetComp: "expr_no_comprehension",
    ast.DictComp: "expr_no_comprehension",
    ast.GeneratorExp: "expr_no_comprehension",
    ast.NamedExpr: "expr_no_assignment",
    ast.Starred: "expr_no_star",
    ast.JoinedStr: "expr_no_fstring",
    ast.List: "expr_no_list",
    ast.Tuple: "expr_no_tuple",
    ast.Dict: "expr_no_dict",
    ast.Set: "expr_no_set",
    ast.Await: "expr_no_await",
    ast.Yield: "expr_no_yield",
    ast.YieldFrom: "expr_no_yield",
    ast.Slice: "expr_no_slice",
}


def _kind_of(value: object) -> Kind:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    raise ExpressionError("expr_unsupported_value", value=repr(value))


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
        hint = msg("did_you_mean", names=repr(close[0])) if close else ""
        return ExpressionError("expr_unknown_name", name=repr(name), hint=hint)

    def check(self, node: ast.expr) -> tuple[ast.expr, Kind]:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExpressionError("expr_too_many_parts", limit=MAX_NODES)
        for bad, message in _FORBIDDEN.items():
            if isinstance(node, bad):
                raise ExpressionError(message)
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise ExpressionError("expr_node_not_allowed", node=type(node).__name__)
        return cast(tuple[ast.expr, Kind], method(node))

    def _Constant(self, node: ast.Constant) -> tuple[ast.expr, Kind]:
        v = node.value
        if isinstance(v, float) and not math.isfinite(v):
            raise ExpressionError("expr_not_finite")
        if v is None or isinstance(v, bytes | complex) or v is Ellipsis:
            raise ExpressionError("expr_constant", value=repr(v))
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_INT:
            raise ExpressionError("expr_int_range", limit=f"{MAX_INT:.0e}")
        return node, _kind_of(v)

    def _Name(self, node: ast.Name) -> tuple[ast.expr, Kind]:
        name = node.id
        if name.startswith("_"):
            raise ExpressionError("expr_underscore", name=repr(name))
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
            raise ExpressionError("expr_call_function", name=name)
        raise self._unknown(name)

    def _BinOp(self, node: ast.BinOp) -> tuple[ast.expr, Kind]:
        if type(node.op) not in _ARITH:
            op = type(node.op).__name__
            raise ExpressionError("expr_operator", op=op)
        left, lk = self.check(node.left)
        right, rk = self.check(node.right)
        sym = _ARITH[type(node.op)]
        if lk != "number" or rk != "number":
            raise ExpressionError(
                "expr_arith_kinds", sym=sym, left=kind_word(lk), right=kind_word(rk)
            )
        return ast.BinOp(left, node.op, right), "number"

    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[ast.expr, Kind]:
        operand, kind = self.check(node.operand)
        if isinstance(node.op, ast.Not):
            if kind != "bool":
                raise ExpressionError("expr_not_needs_bool", kind=kind_word(kind))
            return ast.UnaryOp(node.op, operand), "bool"
        if isinstance(node.op, ast.USub | ast.UAdd):
            if kind != "number":
                raise ExpressionError("expr_sign_needs_number", kind=kind_word(kind))
            return ast.UnaryOp(node.op, operand), "number"
        raise ExpressionError("expr_invert")

    def _BoolOp(self, node: ast.BoolOp) -> tuple[ast.expr, Kind]:
        values = []
        for v in node.values:
            out, kind = self.check(v)
            if kind != "bool":
                word = "and" if isinstance(node.op, ast.And) else "or"
                raise ExpressionError("expr_logic_needs_bool", word=word, kind=kind_word(kind))
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
                        "expr_order_kinds", left=kind_word(prev), right=kind_word(kind)
                    )
            elif isinstance(op, _EQUALITY):
                if prev != kind:
                    raise ExpressionError(
                        "expr_compare_kinds", left=kind_word(prev), right=kind_word(kind)
                    )
            else:
                raise ExpressionError("expr_comparison", op=type(op).__name__)
            comparators.append(out)
            prev = kind
        return ast.Compare(left, node.ops, comparators), "bool"

    def _IfExp(self, node: ast.IfExp) -> tuple[ast.expr, Kind]:
        test, tk = self.check(node.test)
        if tk != "bool":
            raise ExpressionError("expr_if_condition", kind=kind_word(tk))
        body, bk = self.check(node.body)
        orelse, ok = self.check(node.orelse)
        if bk != ok:
            raise ExpressionError("expr_if_branches", left=kind_word(bk), right=kind_word(ok))
        return ast.IfExp(test, body, orelse), bk

    def _Call(self, node: ast.Call) -> tuple[ast.expr, Kind]:
        if not isinstance(node.func, ast.Name):
            raise ExpressionError("expr_named_calls")
        name = node.func.id
        if name.startswith("_"):
            raise ExpressionError("expr_underscore", name=repr(name))
        fn = FUNCTIONS.get(name)
        if fn is None:
            if name in self.fields or name in self.params:
                raise ExpressionError("expr_not_a_function", name=repr(name))
            allowed = ", ".join(FUNCTIONS)
            raise ExpressionError("expr_function_not_allowed", name=repr(name), allowed=allowed)
        if node.keywords:
            raise ExpressionError("expr_keywords", name=name)
        n = len(node.args)
        lo = fn.min_args if fn.min_args is not None else len(fn.params)
        if n < lo or (not fn.variadic and n > len(fn.params)):
            want = (
                msg("expr_at_least", n=lo)
                if fn.variadic
                else (msg("expr_range", lo=lo, hi=len(fn.params)) if lo != len(fn.params) else lo)
            )
            raise ExpressionError("expr_arg_count", name=name, want=want, n=n)
        args = []
        for i, a in enumerate(node.args):
            out, kind = self.check(a)
            want_kind = fn.params[min(i, len(fn.params) - 1)]
            if kind != want_kind:
                raise ExpressionError(
                    "expr_arg_kind",
                    i=i + 1,
                    name=name,
                    want=kind_word(want_kind),
                    kind=kind_word(kind),
                )
            args.append(out)
        if name == "rounded":
            mode = args[1]
            if not isinstance(mode, ast.Constant) or mode.value not in ROUNDING_MODES:
                raise ExpressionError("expr_rounded_mode", modes=", ".join(ROUNDING_MODES))
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
            raise ExpressionError("expr_round_digits")
        return ast.Call(ast.Name(name, ast.Load()), args, []), "number"
