"""A small, safe expression language for rule files.

A rule says what it measures and what it requires as expressions such as
``max(min_workers, rounded(households / households_per_worker, staffing_rounding))``.
The text is parsed with :mod:`ast` (parsing runs no code) and every node is
checked against a short whitelist: numbers, strings, booleans, names of record
fields and rule-set parameters, arithmetic, comparisons, ``and``/``or``/``not``,
``a if cond else b`` and calls of a few named functions. Attribute access,
subscripts, lambdas, comprehensions, keyword arguments, names starting with an
underscore and any name that is not a field, parameter or allowed function are
refused when the rule file is loaded.

Only a tree that passed the check is compiled, with empty builtins, into a
plain function of the field values: the checked tree is the whole program, so
a rule file can compute with its data but never reach the interpreter.
"""

from __future__ import annotations

import ast
import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, cast

Kind = Literal["number", "bool", "text"]
Value = float | int | str | bool

MAX_SOURCE_LENGTH = 2000
MAX_NODES = 400
#: Deepest nesting accepted (ast.unparse and compile recurse once per level).
MAX_DEPTH = 60
#: Largest integer constant: beyond it, float conversion of a product can overflow.
MAX_INT = 10**15
ROUNDING_MODES = ("ceil", "floor", "round")


class ExpressionError(ValueError):
    """An expression that does not parse, uses something not allowed or mixes types."""


class EvaluationError(ArithmeticError):
    """An expression that could not be computed for one record (division by zero...)."""


# Rounding is done on the value rounded to 9 decimals so that floating-point
# noise (2400 * 0.1 / 40 = 6.000000000000001) never adds a whole worker.
def _ceil(x: float) -> int:
    return math.ceil(round(x, 9))


def _floor(x: float) -> int:
    return math.floor(round(x, 9))


def _round(x: float, ndigits: int = 0) -> float | int:
    """Round half away from zero (四舍五入), not Python's banker's rounding."""
    scale = 10**ndigits
    y = math.floor(abs(x) * scale + 0.5 + 1e-9) / scale
    y = math.copysign(y, x)
    return int(y) if ndigits == 0 else y


_ROUNDERS: dict[str, Callable[[float], float | int]] = {
    "ceil": _ceil,
    "floor": _floor,
    "round": _round,
}


def _rounded(x: float, mode: str) -> float | int:
    return _ROUNDERS[mode](x)


@dataclass(frozen=True)
class _Function:
    impl: Callable[..., Any]
    params: tuple[Kind, ...]
    variadic: bool = False  # the last parameter may repeat
    min_args: int | None = None


FUNCTIONS: dict[str, _Function] = {
    "min": _Function(min, ("number", "number"), variadic=True),
    "max": _Function(max, ("number", "number"), variadic=True),
    "ceil": _Function(_ceil, ("number",)),
    "floor": _Function(_floor, ("number",)),
    "round": _Function(_round, ("number", "number"), min_args=1),
    "abs": _Function(abs, ("number",)),
    # rounded(x, mode) rounds by a rule-set parameter ("ceil", "floor" or "round"),
    # so that an interpretation choice stays a parameter, not an edit of the formula.
    "rounded": _Function(_rounded, ("number", "text")),
}

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


class _Checker:
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


def _number_text(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return f"{v:.6f}".rstrip("0").rstrip(".")
    return repr(v) if isinstance(v, str) else str(v)


class _Explain(ast.NodeTransformer):
    """Turns a checked tree into the same tree with field values filled in."""

    def __init__(self, texts: tuple[str, ...]) -> None:
        self.texts = texts

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id.startswith("_") and node.id[1:].isdigit():
            return ast.Name(self.texts[int(node.id[1:])], ast.Load())
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, float | bool):
            return ast.Name(_number_text(node.value), ast.Load())
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        # rounded(x, "ceil") reads better as ceil(x).
        if isinstance(node.func, ast.Name) and node.func.id == "rounded":
            mode = node.args[1]
            assert isinstance(mode, ast.Constant)
            return ast.Call(ast.Name(str(mode.value), ast.Load()), [self.visit(node.args[0])], [])
        self.generic_visit(node)
        return node


@dataclass(frozen=True, eq=False)
class Expression:
    """A checked expression, compiled to a function of the record fields it reads."""

    source: str
    kind: Kind
    fields: tuple[str, ...]
    tree: ast.expr
    fn: Callable[..., Any]

    def __reduce__(self) -> tuple[Any, ...]:
        # Compiled code does not pickle: a copy is compiled again from the tree.
        return (_restore, (self.source, self.kind, self.fields, self.tree))

    @property
    def is_constant(self) -> bool:
        return not self.fields

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        """Compute the value for one record's field values."""
        return self.call(*(values[f] for f in self.fields))

    def call(self, *args: Any) -> Any:
        """Compute the value from field values given in the order of :attr:`fields`."""
        try:
            result = self.fn(*args)
            if type(result) is int and abs(result) > MAX_INT:
                float(result)  # an integer product past float range raises OverflowError here
            return result
        except ZeroDivisionError:
            raise EvaluationError("division by zero") from None
        except (OverflowError, ValueError) as exc:
            raise EvaluationError(str(exc)) from None

    def explain(self, values: Mapping[str, Any]) -> str:
        """The expression with values filled in and its result: 'max(5, ceil(2150 / 400)) = 6'."""
        return self.explain_args(tuple(values[f] for f in self.fields))

    def explain_args(self, args: tuple[Any, ...], result: Any = None) -> str:
        """:meth:`explain` for values given in the order of :attr:`fields`.

        ``result`` may be passed when the caller has already computed it.
        """
        if result is None:
            try:
                result = self.call(*args)
            except EvaluationError as exc:
                return f"{self._template.format(*map(_number_text, args))} = ? ({exc})"
        body = self._template.format(*map(_number_text, args))
        out = _number_text(result)
        if body == out:
            # Nothing to show but the value: name where it came from instead.
            return out if self.source == out else f"{self.source} = {out}"
        return f"{body} = {out}"

    @cached_property
    def _template(self) -> str:
        marked = ast.unparse(
            _Explain(tuple(f"\x00{i}\x00" for i in range(len(self.fields)))).visit(_copy(self.tree))
        )
        escaped = marked.replace("{", "{{").replace("}", "}}")
        return re.sub("\x00(\\d+)\x00", r"{\1}", escaped)


def _depth(tree: ast.AST) -> int:
    """Nesting depth of a tree, without recursion."""
    best = 0
    stack = [(tree, 1)]
    while stack:
        node, d = stack.pop()
        best = max(best, d)
        if best > MAX_DEPTH:
            break
        stack.extend((child, d + 1) for child in ast.iter_child_nodes(node))
    return best


def _copy(tree: ast.expr) -> ast.expr:
    return ast.parse(ast.unparse(tree), mode="eval").body


def compile_expression(
    source: str,
    fields: Mapping[str, Kind],
    params: Mapping[str, Value] | None = None,
    *,
    expect: Kind | None = None,
) -> Expression:
    """Parse, check and compile ``source``.

    ``fields`` maps the record fields the expression may read to their kinds;
    ``params`` maps rule-set parameters to their values, which are folded in as
    constants. Raises :class:`ExpressionError` with a short reason.
    """
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("expression is empty")
    if len(source) > MAX_SOURCE_LENGTH:
        raise ExpressionError(f"expression is longer than {MAX_SOURCE_LENGTH} characters")
    try:
        parsed = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("expression is nested too deeply") from None
    if _depth(parsed.body) > MAX_DEPTH:
        raise ExpressionError(f"expression is nested more than {MAX_DEPTH} deep")
    checker = _Checker(fields, params or {})
    try:
        tree, kind = checker.check(parsed.body)
    except RecursionError:
        raise ExpressionError("expression is nested too deeply") from None
    if expect is not None and kind != expect:
        raise ExpressionError(f"expression must give a {expect}, but gives {kind}")
    return _restore(source.strip(), kind, tuple(checker.used), tree)


def _function(tree: ast.expr, arity: int) -> Callable[..., Any]:
    """The checked ``tree`` as a function of its ``arity`` field values."""
    args = [ast.arg(f"_{i}") for i in range(arity)]
    lam = ast.Expression(
        ast.Lambda(
            ast.arguments(posonlyargs=[], args=args, kwonlyargs=[], kw_defaults=[], defaults=[]),
            tree,
        )
    )
    ast.fix_missing_locations(lam)
    namespace: dict[str, Any] = {"__builtins__": {}}
    namespace.update({name: f.impl for name, f in FUNCTIONS.items()})
    code = compile(lam, "<rule expression>", "eval")
    fn: Callable[..., Any] = eval(code, namespace)
    return fn


def _restore(source: str, kind: Kind, fields: tuple[str, ...], tree: ast.expr) -> Expression:
    """An expression from its checked tree (also how a pickled one comes back: the
    tree was checked when first compiled, in a process of ours)."""
    return Expression(
        source=source, kind=kind, fields=fields, tree=tree, fn=_function(tree, len(fields))
    )
