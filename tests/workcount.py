"""Work counted, not timed: a linear-time claim that a loaded machine cannot break.

A test that limits wall-clock time fails on a busy CI machine and passes a slow
regression on a fast one. Counting the function calls an operation makes (Python
and built-in, in this thread) is the same on every machine: a per-column or
per-cell loop that does more work shows up as more calls per column or cell.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

T = TypeVar("T")


def calls(run: Callable[[], T]) -> tuple[T, int]:
    """``run()``'s result, and how many function calls it made in this thread."""
    n = 0

    def count(_frame: FrameType, event: str, _arg: Any) -> None:
        nonlocal n
        if event in ("call", "c_call"):
            n += 1

    previous = sys.getprofile()
    sys.setprofile(count)
    try:
        result = run()
    finally:
        sys.setprofile(previous)
    return result, n
