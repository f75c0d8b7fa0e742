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

The checked tree is all there is: the engine compiles it to polars expressions
(:mod:`compliance.engine.compile`), a tree that reads no field is folded to its
value when the rule file is loaded (:mod:`compliance.rules.constants`), and
:meth:`Expression.format_args` writes a derivation from values the engine
computed. Nothing is compiled to Python or run, so a rule file can compute with
its data but never reach the interpreter.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from compliance.rules.checker import Checker
from compliance.rules.language import (
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
    """A checked expression: its source, its kind, the record fields it reads (in the
    order of the tree's ``_0``, ``_1``, … slots) and the checked tree."""

    source: str
    kind: Kind
    fields: tuple[str, ...]
    tree: ast.expr

    @property
    def is_constant(self) -> bool:
        return not self.fields

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
    return Expression(source=source.strip(), kind=kind, fields=tuple(checker.used), tree=tree)
