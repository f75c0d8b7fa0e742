"""Items made ahead by a thread: the same items, errors where they happen, a bounded lead."""

from __future__ import annotations

import threading
from collections.abc import Generator

import pytest

from compliance.reading.prefetch import prefetched


def _count(
    n: int, made: list[int], closed: list[bool], fail_at: int | None = None
) -> Generator[int, None, None]:
    try:
        for i in range(n):
            if i == fail_at:
                raise ValueError(f"bad item {i}")
            made.append(i)
            yield i
    finally:
        closed.append(True)


def test_the_items_come_in_order() -> None:
    made: list[int] = []
    closed: list[bool] = []
    assert list(prefetched(_count(50, made, closed), depth=3)) == list(range(50))
    assert closed == [True]


def test_an_error_comes_where_its_item_would_have() -> None:
    got: list[int] = []
    with pytest.raises(ValueError, match="bad item 7"):
        got.extend(prefetched(_count(20, [], [], fail_at=7)))
    assert got == list(range(7))


def test_the_thread_stays_a_few_items_ahead_and_stops_with_the_caller() -> None:
    made: list[int] = []
    closed: list[bool] = []
    items = prefetched(_count(10_000, made, closed), depth=2)
    assert next(items) == 0
    for _ in range(100):  # let it run ahead as far as it may
        threading.Event().wait(0.002)
    assert len(made) <= 1 + 2 + 1  # the one taken, two waiting, one being handed over
    items.close()
    assert closed == [True]
    assert not [t for t in threading.enumerate() if t.name == "prefetch"]
