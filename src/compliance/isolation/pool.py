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
import os
import pickle
import select
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from compliance.isolation import protocol
from compliance.isolation.limits import (
    POLL_SECONDS,
    Limits,
    address_space_backstop,
    format_size,
)

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_TAIL = 4096
# What a process that failed to allocate leaves on stderr (Rust's alloc error
# handler, Python, the C library), read only to word the failure.
_OOM_MARKS = (b"memory allocation of", b"MemoryError", b"Cannot allocate memory", b"bad_alloc")


@dataclass(frozen=True, slots=True)
class Reply:
    """What a task gave back: its bytes, or why its worker did not finish it."""

    data: bytes | None = None
    failure: str | None = None


class WorkerError(RuntimeError):
    """A task raised an exception that could not be sent back as itself."""


@dataclass(eq=False)
class _Worker:
    proc: subprocess.Popen[bytes]
    buffer: bytearray = field(default_factory=bytearray)
    #: The first and the last bytes of what the current task wrote on stderr.
    head: bytearray = field(default_factory=bytearray)
    tail: bytearray = field(default_factory=bytearray)
    task: int | None = None
    started: float = 0.0
    awaiting_init: bool = False
    err_open: bool = True

    @property
    def out(self) -> int:
        assert self.proc.stdout is not None
        return self.proc.stdout.fileno()

    @property
    def err(self) -> int:
        assert self.proc.stderr is not None
        return self.proc.stderr.fileno()

    def note(self, chunk: bytes) -> None:
        if len(self.head) < _TAIL:
            self.head += chunk[: _TAIL - len(self.head)]
        self.tail = (self.tail + chunk)[-_TAIL:]

    def said(self, marks: tuple[bytes, ...]) -> bool:
        return any(m in self.head or m in self.tail for m in marks)

    def send(self, message: tuple[Any, ...]) -> None:
        assert self.proc.stdin is not None
        protocol.send(self.proc.stdin, message)  # type: ignore[arg-type]

    def resident(self) -> int:
        """Bytes of resident memory, 0 where /proc cannot tell."""
        try:
            with open(f"/proc/{self.proc.pid}/statm", "rb") as fh:
                return int(fh.read().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            return 0

    def stop(self) -> int:
        """Kill the process (if it still runs), reap it and close its pipes; its exit status."""
        if self.proc.poll() is None:
            self.proc.kill()
        code = self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        return code


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

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the idle workers (a busy one is killed when its task is abandoned)."""
        idle, self._idle = self._idle, []
        for w in idle:
            try:
                assert w.proc.stdin is not None
                w.proc.stdin.close()  # the worker ends at the end of its input
                w.proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
            w.stop()

    def _start(self) -> _Worker:
        env = dict(os.environ)
        # The worker imports what this process can import (tests, scripts beside the CLI).
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        # Nobody reads a worker's panic backtrace; it only costs time.
        env["RUST_BACKTRACE"] = "0"
        proc = subprocess.Popen(
            [sys.executable, "-m", "compliance.isolation.worker", str(self.limits.max_memory)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            close_fds=True,
        )
        self.started += 1
        w = _Worker(proc)
        if self.init is not None:
            w.send((protocol.INIT, *self.init))
            w.awaiting_init = True
        return w

    def imap(
        self, target: str, arguments: Sequence[tuple[Any, ...]]
    ) -> Iterator[tuple[int, Reply]]:
        """Run ``target(*args)`` for each args; yield ``(index, reply)`` as tasks finish."""
        pending = deque(enumerate(arguments))
        busy: dict[int, _Worker] = {}
        try:
            while pending or busy:
                while pending and len(busy) < self.size:
                    w = self._idle.pop() if self._idle else self._start()
                    index, args = pending.popleft()
                    try:
                        w.send((protocol.CALL, target, args))
                    except OSError:  # it died while idle: not this task's fault
                        pending.appendleft((index, args))
                        w.stop()
                        continue
                    w.task, w.started = index, time.monotonic()
                    w.head.clear()
                    w.tail.clear()
                    busy[w.out] = w
                yield from self._wait(busy)
        finally:
            for w in busy.values():
                w.stop()

    def _wait(self, busy: dict[int, _Worker]) -> Iterator[tuple[int, Reply]]:
        errs = {w.err: w for w in busy.values() if w.err_open}
        ready, _, _ = select.select([*busy, *errs], [], [], POLL_SECONDS)
        # stderr first: a worker whose stdout has ended is stopped below, pipes closed.
        for fd in (fd for fd in ready if fd in errs):
            w = errs[fd]
            chunk = os.read(fd, 65536)
            w.err_open = bool(chunk)
            w.note(chunk)
        for fd in (fd for fd in ready if fd in busy):
            w = busy[fd]
            chunk = os.read(fd, 1 << 20)
            if chunk:
                w.buffer += chunk
                while w.task is not None and (message := protocol.split(w.buffer)) is not None:
                    done = self._answer(w, message)
                    if done is not None:
                        del busy[fd]
                        if done[1].failure is None:
                            self._idle.append(w)
                        else:  # a MemoryError: start afresh rather than reuse its heap
                            w.stop()
                        yield done
            else:
                del busy[fd]
                yield self._dead(w)
        now = time.monotonic()
        for fd, w in list(busy.items()):
            failure = None
            if w.proc.poll() is not None:
                continue  # its pipe reports the end on the next round
            if now - w.started > self.limits.file_timeout:
                failure = f"took longer than {self.limits.file_timeout:g} s"
            elif w.resident() > self.limits.max_memory:
                failure = self._out_of_memory()
            if failure is not None:
                del busy[fd]
                task = w.task
                w.stop()
                assert task is not None
                yield task, Reply(failure=failure)

    def _answer(self, w: _Worker, message: tuple[Any, ...]) -> tuple[int, Reply] | None:
        kind = message[0]
        if w.awaiting_init:
            w.awaiting_init = False
            if kind == protocol.OK:
                # The file's time starts once the worker is ready, not at its start.
                w.started = time.monotonic()
                return None
        task, w.task = w.task, None
        assert task is not None
        if kind == protocol.OK:
            return task, Reply(data=message[1])
        if kind == protocol.MEMORY:
            return task, Reply(failure=self._out_of_memory())
        w.stop()
        raise _exception(message[1])

    def _dead(self, w: _Worker) -> tuple[int, Reply]:
        task = w.task
        with contextlib.suppress(subprocess.TimeoutExpired):
            w.proc.wait(timeout=2)
        # What it wrote last, read only to word the failure: a dead process's pipe ends soon.
        while w.err_open and select.select([w.err], [], [], 0.5)[0]:
            chunk = os.read(w.err, 65536)
            w.err_open = bool(chunk)
            w.note(chunk)
        code = w.stop()
        assert task is not None
        if w.said(_OOM_MARKS):
            return task, Reply(failure=self._out_of_memory())
        return task, Reply(failure=describe_exit(code))

    def _out_of_memory(self) -> str:
        text = f"ran out of memory (limit {format_size(self.limits.max_memory)}"
        inherited = _address_space_limit()
        if inherited is not None and inherited < address_space_backstop(self.limits.max_memory):
            text += f"; address space limited to {format_size(inherited)} by ulimit -v"
        return text + ")"


def describe_exit(code: int) -> str:
    """How a worker ended, completing "the reader process ..."."""
    if code >= 0:
        return f"exited unexpectedly (exit code {code})"
    number = -code
    if number == signal.SIGABRT:
        return f"aborted (signal {number})"
    if number in (signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE):
        return f"crashed (signal {number}, {signal.Signals(number).name})"
    if number == signal.SIGKILL:
        return f"was killed (signal {number}; perhaps by the system, for lack of memory)"
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = "unknown"
    return f"was stopped by signal {number} ({name})"


def _address_space_limit() -> int | None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


def _exception(payload: bytes | str) -> BaseException:
    if isinstance(payload, bytes):
        try:
            exc = pickle.loads(payload)
            if isinstance(exc, BaseException):
                return exc
        except Exception:
            pass
        return WorkerError("a worker task failed")
    return WorkerError(f"a worker task failed:\n{payload}")
