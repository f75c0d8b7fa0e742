"""The vocabulary of rule expressions: kinds, errors and the functions a rule may call.

See :mod:`compliance.rules.expressions` for the language as a whole.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from compliance.labels.messages import Msg

Kind = Literal["number", "bool", "text"]
Value = float | int | str | bool

#: Largest integer constant: beyond it, float conversion of a product can overflow.
MAX_INT = 10**15
ROUNDING_MODES = ("ceil", "floor", "round")


class ExpressionError(ValueError):
    """An expression that does not parse, uses something not allowed or mixes types
    (a message by key, as every error; see :mod:`compliance.labels.messages`)."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.msg = Msg(key, params)
        super().__init__(self.msg.text("en"))


def kind_word(kind: str) -> Msg:
    """A kind ("number", "bool", "text") as a word of a message."""
    return Msg(f"kind_{kind}")


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
class Function:
    """A function rule expressions may call: what it computes and the kinds it takes."""

    impl: Callable[..., Any]
    params: tuple[Kind, ...]
    variadic: bool = False  # the last parameter may repeat
    min_args: int | None = None


FUNCTIONS: dict[str, Function] = {
    "min": Function(min, ("number", "number"), variadic=True),
    "max": Function(max, ("number", "number"), variadic=True),
    "ceil": Function(_ceil, ("number",)),
    "floor": Function(_floor, ("number",)),
    "round": Function(_round, ("number", "number"), min_args=1),
    "abs": Function(abs, ("number",)),
    # rounded(x, mode) rounds by a rule-set parameter ("ceil", "floor" or "round"),
    # so that an interpretation choice stays a parameter, not an edit of the formula.
    "rounded": Function(_rounded, ("number", "text")),
}


#: Operators that need a value on each side, and those that may also stand before one.
_BINARY = frozenset({"*", "/", "//", "%", "<", "<=", ">", ">=", "==", "!=", "and", "or"})
_SIGNS = frozenset({"+", "-", "not"})
#: Tokens that end a value's place: after one of these, an operator has nothing after it.
_CLOSERS = frozenset({")", ",", "]", "else", "if", "and", "or"})


def missing_operand(source: str) -> Msg | None:
    """Why an expression that does not parse does not, where the reason is an operator
    with nothing on one side ("'>' (column 19) has nothing after it"); else None.

    Python's own message names what it expected next ("expected 'else' after 'if'
    expression" for ``500 if households > else 400``), not the missing value.
    """
    import io
    import tokenize

    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.ENDMARKER, tokenize.COMMENT)
        ]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    for i, tok in enumerate(tokens):
        text = tok.string
        after = tokens[i + 1].string if i + 1 < len(tokens) else None
        where = {"token": repr(text), "column": tok.start[1] + 1}
        if text in ("if", "else") and tok.type == tokenize.NAME:
            if after is None or after in _CLOSERS:
                return Msg("expr_nothing_after", where)
            continue
        if text not in _BINARY and text not in _SIGNS:
            continue
        if after is None or after in _CLOSERS or after in _BINARY:
            return Msg("expr_nothing_after", where)
        before = tokens[i - 1].string if i else None
        if text in _BINARY and (
            before is None or before in ("(", ",", "[", "if", "else", *_BINARY, *_SIGNS)
        ):
            return Msg("expr_nothing_before", where)
    return None
