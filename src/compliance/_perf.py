"""Small helpers for the hot paths of large runs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many small objects are made.

    Evaluating a large sheet makes millions of findings that hold no reference
    cycles, yet every few thousand allocations the collector would scan the
    objects made so far: on 100,000 communities that is half the evaluation
    time. Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
