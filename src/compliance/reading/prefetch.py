"""Items made ahead, by a thread, while the caller works on the last one.

A sheet's XML is inflated a block at a time (Python's zlib, which lets go of the
interpreter lock) while the tokeniser (native code, which does too) reads the
block before: on two cores the two overlap. The thread stays at most ``depth``
items ahead, so memory follows a few blocks; it stops, and closes what it reads
from, as soon as the caller does.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Generator, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_DONE = object()


def prefetched(items: Generator[T, None, None], depth: int = 2) -> Iterator[T]:
    """``items``, made by a thread up to ``depth`` ahead; an error it raises is raised
    here, where the item would have come."""
    ready: queue.Queue[tuple[Any, BaseException | None]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def make() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        ready.put((item, None), timeout=0.05)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            ready.put((_DONE, None))
        except BaseException as exc:  # handed to the caller, whatever it is
            ready.put((_DONE, exc))
        finally:
            items.close()

    thread = threading.Thread(target=make, name="prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item, exc = ready.get()
            if exc is not None:
                raise exc
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # let a blocked put go, then wait for the thread
            with contextlib.suppress(queue.Empty):
                ready.get(timeout=0.05)
        thread.join()
