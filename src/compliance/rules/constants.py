"""The value of a rule expression that reads no record field, found when the rule
file is loaded (a ``tolerance``, a ``stand_in_if``, a constant requirement shown
by ``rules show``).

The checked tree of such an expression holds only constants (parameters are
folded in by the checker), the operators the checker allows and the language's
functions; :func:`constant_value` folds it node by node. Nothing is compiled or
run: records are only ever evaluated by the engine, on columns. Loading a rule
set this way also keeps polars out of processes that only read rules.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

from compliance.labels.messages import Msg, msg, problem
from compliance.rules.language import FUNCTIONS, MAX_INT, EvaluationError, Value

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


def constant_value(tree: ast.expr) -> Value:
    """The value of a checked tree that reads no field.

    Raises :class:`~compliance.rules.language.EvaluationError` where it cannot be
    computed (a division by zero)."""
    try:
        result = _fold(tree)
        if type(result) is int and abs(result) > MAX_INT:
            float(result)  # an integer product past float range raises OverflowError here
        return result  # type: ignore[no-any-return]
    except ZeroDivisionError:
        raise EvaluationError("division by zero") from None
    except (OverflowError, ValueError) as exc:
        raise EvaluationError(str(exc)) from None


def load_time_value(
    tree: ast.expr, place: Msg, line: Msg | str, problems: list[Msg]
) -> Value | None:
    """:func:`constant_value`, or None with a problem of the rule file added (at
    ``place``, on ``line``) where it cannot be computed."""
    try:
        return constant_value(tree)
    except EvaluationError as exc:
        problems.append(problem(place, line, msg("expr_not_computable", why=str(exc))))
        return None


def _fold(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_fold(node.left), _fold(node.right))
    if isinstance(node, ast.UnaryOp):
        value = _fold(node.operand)
        if isinstance(node.op, ast.Not):
            return not value
        return -value if isinstance(node.op, ast.USub) else +value
    if isinstance(node, ast.BoolOp):
        # Python's short circuit: the first false (and) or true (or) operand decides.
        want = isinstance(node.op, ast.Or)
        value = False
        for operand in node.values:
            value = _fold(operand)
            if bool(value) is want:
                return value
        return value
    if isinstance(node, ast.Compare):
        left = _fold(node.left)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _fold(comparator)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.IfExp):
        return _fold(node.body) if _fold(node.test) else _fold(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return FUNCTIONS[node.func.id].impl(*map(_fold, node.args))
    raise EvaluationError(f"{type(node).__name__} reads a record field")
