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
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from compliance.rules.checker import Checker
from compliance.rules.language import (
    FUNCTIONS,
    MAX_INT,
    EvaluationError,
    ExpressionError,
    Kind,
    Value,
    kind_word,
    missing_operand,
)

__all__ = [
    "EvaluationError",
    "Expression",
    "ExpressionError",
    "Kind",
    "Value",
    "compile_expression",
]

MAX_SOURCE_LENGTH = 2000
#: Deepest nesting accepted (ast.unparse and compile recurse once per level).
MAX_DEPTH = 60


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
        return self.format_args(args, result)

    def format_args(self, args: tuple[Any, ...], result: Any) -> str:
        """The expression with ``args`` (values in the order of :attr:`fields`) filled in
        and ``result`` after it, as the engine computed it: a text, never a
        computation ("?" where there is no result)."""
        body = self._template.format(*map(_number_text, args))
        if result is None:
            return f"{body} = ?"
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
        raise ExpressionError("expr_empty")
    if len(source) > MAX_SOURCE_LENGTH:
        raise ExpressionError("expr_too_long_text", limit=MAX_SOURCE_LENGTH)
    try:
        parsed = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        reason = missing_operand(source.strip()) or exc.msg
        raise ExpressionError("expr_syntax", detail=reason) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("expr_nested") from None
    if _depth(parsed.body) > MAX_DEPTH:
        raise ExpressionError("expr_too_deep", depth=MAX_DEPTH)
    checker = Checker(fields, params or {})
    try:
        tree, kind = checker.check(parsed.body)
    except RecursionError:
        raise ExpressionError("expr_nested") from None
    if expect is not None and kind != expect:
        raise ExpressionError("expr_wrong_kind", expect=kind_word(expect), kind=kind_word(kind))
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
