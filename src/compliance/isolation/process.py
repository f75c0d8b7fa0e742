"""One worker process as the pool sees it, and how to word its end."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from compliance.isolation import protocol

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
#: Bytes kept of the start and of the end of what a task writes on stderr.
_TAIL = 4096


@dataclass(eq=False)
class Worker:
    """One worker process, its pipes, and the tasks it holds."""

    proc: subprocess.Popen[bytes]
    buffer: bytearray = field(default_factory=bytearray)
    #: The first and the last bytes of what the current task wrote on stderr.
    head: bytearray = field(default_factory=bytearray)
    tail: bytearray = field(default_factory=bytearray)
    #: The task it runs, then the one queued behind it.
    tasks: deque[int] = field(default_factory=deque)
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

    def begin(self) -> None:
        """The first of its tasks starts now (its clock; its stderr starts at a mark)."""
        self.started = time.monotonic()

    def note(self, chunk: bytes) -> None:
        # The worker marks the start of each task on stderr, so that what an
        # earlier task wrote is never taken as this one's.
        if protocol.TASK_MARK in chunk:
            chunk = chunk.rsplit(protocol.TASK_MARK, 1)[1]
            self.head.clear()
            self.tail.clear()
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
