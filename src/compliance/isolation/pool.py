"""A pool of long-lived worker processes, each watched while it runs a task.

A task is ``"module:function"`` and its arguments; it runs in a worker and
returns ``bytes``, which come back as :attr:`Reply.data`. A worker that aborts,
is killed by a signal, holds more memory than :attr:`Limits.max_memory`, or
takes longer than :attr:`Limits.file_timeout` is stopped and replaced, and its
task comes back with :attr:`Reply.failure` saying what happened, in words that
complete "the reader process ...". A task that raises (a bug, not a bad input)
raises in the parent. Workers are reused from task to task, so a batch of many
small files pays for a few process starts, not one per file.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from compliance.isolation import protocol
from compliance.isolation.limits import (
    POLL_SECONDS,
    Limits,
    address_space_backstop,
    format_size,
)
from compliance.isolation.process import ACTIVITY, describe_exit, spawn
from compliance.isolation.process import Worker as _Worker
from compliance.isolation.spares import keep, take
from compliance.isolation.wire import error_in, error_text
from compliance.labels.messages import Msg, msg

#: Tasks a worker holds at once: the one it runs, and the next.
_DEPTH = 2
# What a process that failed to allocate leaves on stderr (Rust's alloc error
# handler, Python, the C library), read only to word the failure.
_OOM_MARKS = (b"memory allocation of", b"MemoryError", b"Cannot allocate memory", b"bad_alloc")


@dataclass(frozen=True, slots=True)
class Reply:
    """What a task gave back: its bytes, or why its worker did not finish it."""

    data: bytes | None = None
    failure: Msg | None = None


#: The clock a task's time is measured on. Tests put a fake clock here, so that
#: a timeout is shown without waiting for it and a loaded machine times out nothing.
clock: Callable[[], float] = time.monotonic


class WorkerError(RuntimeError):
    """A task raised an exception that could not be sent back as itself."""


class WorkerPool:
    """Up to ``size`` worker processes, started as needed and kept for later tasks.

    ``init`` (``("module:function", args)``) runs once in each worker before its
    first task, for state that is costly to build or cannot be pickled (a
    compiled rule set). Use as a context manager, so that the workers end.
    """

    def __init__(
        self, size: int, limits: Limits, init: tuple[str, tuple[Any, ...]] | None = None
    ) -> None:
        self.size = max(1, size)
        self.limits = limits
        self.init = init
        self._idle: list[_Worker] = []
        #: How many workers have been started, replacements included.
        self.started = 0
        self._pending: deque[int] = deque()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the idle workers (a busy one is killed when its task is abandoned)."""
        idle, self._idle = self._idle, []
        for w in idle:
            # One not kept holds nothing still wanted: killing it is at once, where
            # letting it end its interpreter (polars loaded) costs about 0.1 s.
            if not keep(w):
                w.stop()

    def _start(self) -> _Worker:
        cap = self.limits.max_memory
        w = take(cap) or spawn(cap)
        self.started += 1
        if self.init is not None:
            w.send((protocol.INIT, *self.init))
            w.awaiting_init = True
        return w

    def imap(
        self,
        target: str,
        arguments: Sequence[tuple[Any, ...]],
        while_waiting: Callable[[], None] | None = None,
    ) -> Iterator[tuple[int, Reply]]:
        """Run ``target(*args)`` for each args; yield ``(index, reply)`` as tasks finish.

        ``while_waiting`` runs once, as soon as the first tasks are handed out: work
        this process has to do anyway (imports, say) then overlaps with the workers'."""
        self._pending = deque(range(len(arguments)))
        busy: dict[int, _Worker] = {}
        try:
            while self._pending or busy:
                self._dispatch(target, arguments, busy)
                if while_waiting is not None:
                    while_waiting()
                    while_waiting = None
                yield from self._wait(busy)
        finally:
            for w in busy.values():
                w.stop()

    def _dispatch(
        self, target: str, arguments: Sequence[tuple[Any, ...]], busy: dict[int, _Worker]
    ) -> None:
        # Each worker holds the task it runs and, while there are more, the next
        # one: it starts that as soon as it replies, without waiting for this
        # process to be scheduled (on a loaded machine a wake-up costs
        # milliseconds, more than checking a small file).
        while self._pending and len(busy) < self.size:
            w = self._idle.pop() if self._idle else self._start()
            if self._give(w, target, arguments):
                busy[id(w)] = w
            else:  # it died while idle: not a task's fault
                w.stop()
        for w in busy.values():
            while self._pending and len(w.tasks) < _DEPTH and self._give(w, target, arguments):
                pass

    def _give(self, w: _Worker, target: str, arguments: Sequence[tuple[Any, ...]]) -> bool:
        index = self._pending.popleft()
        try:
            w.send((protocol.CALL, target, arguments[index]))
        except OSError:  # it died: a running task is reported from its pipe
            self._pending.appendleft(index)
            return False
        if not w.tasks:
            w.begin(clock())
        w.tasks.append(index)
        return True

    def _wait(self, busy: dict[int, _Worker]) -> Iterator[tuple[int, Reply]]:
        # The pipe threads fill each worker's inbox (process.py); take what came.
        with ACTIVITY:
            if not any(w.inbox or w.out_done for w in busy.values()):
                ACTIVITY.wait(POLL_SECONDS)
            arrived = [(w, bytes(w.inbox), w.out_done) for w in busy.values()]
            for w in busy.values():
                w.inbox.clear()
        for w, chunk, ended in arrived:
            key = id(w)
            w.buffer += chunk
            while w.tasks and key in busy:
                try:
                    message = protocol.split(w.buffer)
                except protocol.BadReply as exc:  # a worker no longer to be trusted
                    del busy[key]
                    task = w.tasks.popleft()
                    self._retire(w)
                    why = f"a reply of no known kind, {exc.args[0]!r}"
                    yield task, Reply(failure=msg("worker_malformed", why=why))
                    break
                if message is None:
                    break
                done = self._answer(w, message)
                if done is None:
                    continue
                if done[1].failure is not None:  # a MemoryError: start afresh
                    del busy[key]
                    self._retire(w)
                elif not w.tasks:
                    del busy[key]
                    self._idle.append(w)
                yield done
            if ended and key in busy:
                del busy[key]
                yield self._dead(w)
        now = clock()
        for key, w in list(busy.items()):
            failure: Msg | None = None
            if w.proc.poll() is not None:
                continue  # its pipe reports the end on the next round
            if now - w.started > self.limits.file_timeout:
                failure = msg("worker_timeout", seconds=f"{self.limits.file_timeout:g}")
            elif w.resident() > self.limits.max_memory:
                failure = self._out_of_memory()
            if failure is not None:
                del busy[key]
                task = w.tasks.popleft()
                self._retire(w)
                yield task, Reply(failure=failure)

    def _retire(self, w: _Worker) -> None:
        """Stop a worker; the tasks queued behind its running one go back to be sent again."""
        w.stop()
        self._pending.extendleft(reversed(w.tasks))
        w.tasks.clear()

    def _answer(self, w: _Worker, message: tuple[bytes, bytes]) -> tuple[int, Reply] | None:
        kind, data = message
        if w.awaiting_init:
            w.awaiting_init = False
            if kind == protocol.OK:
                w.begin(clock())  # the file's time starts once the worker is ready
                return None
        task = w.tasks.popleft()
        if w.tasks:
            w.begin(clock())
        if kind == protocol.OK:
            return task, Reply(data=data)
        if kind == protocol.MEMORY:
            return task, Reply(failure=self._out_of_memory())
        w.stop()
        raise _exception(data)

    def _dead(self, w: _Worker) -> tuple[int, Reply]:
        with contextlib.suppress(subprocess.TimeoutExpired):
            w.proc.wait(timeout=2)
        # What it wrote last, read only to word the failure: a dead process's pipe ends soon.
        with ACTIVITY:
            ACTIVITY.wait_for(lambda: not w.err_open, timeout=2)
        code = w.proc.wait()
        task = w.tasks.popleft()
        self._retire(w)
        if w.said(_OOM_MARKS):
            return task, Reply(failure=self._out_of_memory())
        return task, Reply(failure=describe_exit(code))

    def _out_of_memory(self) -> Msg:
        inherited = _address_space_limit()
        ulimit: Msg | str = ""
        if inherited is not None and inherited < address_space_backstop(self.limits.max_memory):
            ulimit = msg("worker_ulimit", limit=format_size(inherited))
        return msg("worker_oom", limit=format_size(self.limits.max_memory), ulimit=ulimit)


def _address_space_limit() -> int | None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


def _exception(payload: bytes) -> BaseException:
    ours = error_in(payload)
    if ours is not None:
        return ours
    text = error_text(payload)
    return WorkerError(f"a worker task failed:\n{text}" if text else "a worker task failed")
