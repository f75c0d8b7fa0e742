"""Workers waiting for a pool: started ahead of it, or kept from a closed one."""

from __future__ import annotations

import atexit

from compliance.isolation.limits import Limits
from compliance.isolation.process import Worker, spawn, spawn_key

#: Workers started ahead of their pool (:func:`prestart`), by memory cap.
_SPARES: list[tuple[int, Worker]] = []


def prestart(limits: Limits, count: int) -> None:
    """Start ``count`` workers now, for the next pool with these limits to take: a
    worker spends about half a second importing its readers, which then overlaps
    with what this process does before it reads (loading the rule set, say). A
    spare nobody takes ends with this process (its input closes). Workers kept from
    an earlier pool count."""
    key = spawn_key(limits.max_memory)
    have = sum(1 for cap, _ in _SPARES if cap == limits.max_memory)
    have += sum(1 for w in _KEPT if w.key == key)
    for _ in range(max(0, count - have)):
        _SPARES.append((limits.max_memory, spawn(limits.max_memory)))


#: Idle workers of closed pools: the next pool started with the same memory cap and
#: environment takes them, warm. A worker's first check costs about a second of
#: imports and first calls, its later ones a fraction of that: a program (or a test
#: suite) that checks files again and again pays it once. They end with this process.
_KEPT: list[Worker] = []
#: Kept at most, and only while their resident memory is below this.
_KEEP_AT_MOST = 4
_KEEP_BELOW = 384 << 20


def keep(w: Worker) -> bool:
    """Keep an idle worker for a later pool, if it is healthy and small."""
    if (
        len(_KEPT) >= _KEEP_AT_MOST
        or w.tasks
        or w.awaiting_init
        or w.proc.poll() is not None
        or not 0 < w.resident() < _KEEP_BELOW
    ):
        return False
    _KEPT.append(w)
    return True


@atexit.register
def _end_kept() -> None:
    while _KEPT:
        _KEPT.pop().stop()


def _take_kept(max_memory: int) -> Worker | None:
    key = spawn_key(max_memory)
    for i, w in enumerate(_KEPT):
        if w.key == key:
            del _KEPT[i]
            if w.proc.poll() is None:
                return w
            w.stop()
            return _take_kept(max_memory)
    return None


def _take_spare(max_memory: int) -> Worker | None:
    while _SPARES:
        for i, (cap, w) in enumerate(_SPARES):
            if cap == max_memory:
                del _SPARES[i]
                if w.proc.poll() is None:
                    return w
                w.stop()
                break
        else:
            return None
    return None


def take(max_memory: int) -> Worker | None:
    """A kept worker started under this process's settings, else a spare, else None."""
    return _take_kept(max_memory) or _take_spare(max_memory)
