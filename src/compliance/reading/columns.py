"""Parse whole columns at once: the reader's hot path.

Work is done per column, not per cell: a numeric column that holds clean
non-negative floats (most of a real sheet) is accepted by one comprehension,
and only the odd cells go through :func:`~compliance.reading.cells.parse_number`.
Text and yes/no columns repeat few distinct values, so each distinct value is
parsed once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from itertools import compress
from math import isfinite
from operator import not_
from typing import Any

from compliance.reading import cells

#: (row index within the column, problem code)
Problems = list[tuple[int, str]]


def parse_numbers(
    raw: Sequence[Any], *, whole: bool, uncached: frozenset[int] = frozenset()
) -> tuple[list[Any], Problems]:
    """Values of a numeric column, and its problems.

    ``uncached`` holds the indices of formula cells saved without a value,
    which read as empty and are reported as such.
    """
    values = list(raw)
    kinds = list(map(type, raw))
    if kinds.count(float) == len(kinds):
        is_float: list[bool] = [True] * len(kinds)
        floats = values
    else:
        is_float = [k is float for k in kinds]
        floats = list(compress(raw, is_float))
    if floats and (
        not isfinite(sum(floats))
        or min(floats) < 0.0
        or max(floats) > cells.MAX_PLAUSIBLE
        or (whole and not all(map(float.is_integer, floats)))
    ):
        # Some float cells are negative, infinite or fractional: check them one by one.
        odd = [
            i
            for i, v in enumerate(raw)
            if not is_float[i] or not 0.0 <= v <= cells.MAX_PLAUSIBLE or (whole and v % 1.0)
        ]
    elif len(floats) == len(values):
        return values, []
    else:
        odd = list(compress(range(len(values)), map(not_, is_float)))
    problems: Problems = []
    parse = cells.parse_number
    for i in odd:
        value, code = parse(raw[i])
        values[i] = value
        if code is None:
            if whole and value is not None and not value.is_integer():
                problems.append((i, cells.NOT_WHOLE))
        elif code != cells.EMPTY:
            problems.append((i, code))
        elif i in uncached:
            problems.append((i, cells.FORMULA_NOT_COMPUTED))
    return values, problems


def parse_repeated(
    raw: Sequence[Any],
    parse: Callable[[Any], tuple[Any, str | None]],
    uncached: frozenset[int] = frozenset(),
) -> tuple[list[Any], Problems]:
    """Values of a text or yes/no column, parsing each distinct cell value once."""
    distinct = set(raw)
    if parse is cells.parse_text:
        texts = [v for v in distinct if v.__class__ is str and v]
        if len(texts) + ("" in distinct) == len(distinct) and _all_clean(texts):
            # Every cell is clean text or empty: nothing to parse.
            return [v or None for v in raw], []
    memo: dict[Any, tuple[Any, str | None]] = {}
    for v in distinct:
        if v not in memo:
            memo[v] = parse(v)
    values = [memo[v][0] for v in raw]
    bad = {v: code for v, (_, code) in memo.items() if code is not None and code != cells.EMPTY}
    problems: Problems = [(i, bad[v]) for i, v in enumerate(raw) if v in bad] if bad else []
    if uncached:
        problems += [(i, cells.FORMULA_NOT_COMPUTED) for i in sorted(uncached) if values[i] is None]
    return values, problems


def _all_clean(texts: list[str]) -> bool:
    """Whether every text is already what clean_text would make of it (checked at once)."""
    joined = "|".join(texts)
    return (
        joined.isprintable()
        and "  " not in joined
        and " |" not in joined
        and "| " not in joined
        and not joined[:1].isspace()
        and not joined[-1:].isspace()
        and unicodedata.is_normalized("NFKC", joined)
    )


def parse_column(
    raw: Sequence[Any], ftype: str, uncached: frozenset[int] = frozenset()
) -> tuple[list[Any], Problems]:
    """Dispatch on the catalogue field type."""
    if ftype in ("integer", "number"):
        return parse_numbers(raw, whole=ftype == "integer", uncached=uncached)
    if ftype == "flag":
        return parse_repeated(raw, cells.parse_flag, uncached)
    return parse_repeated(raw, cells.parse_text, uncached)
