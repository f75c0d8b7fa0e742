"""One worker process as the pool sees it, and how to word its end."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from compliance.isolation import protocol
from compliance.labels.messages import Msg, msg

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
#: Bytes kept of the start and of the end of what a task writes on stderr.
_TAIL = 4096

#: Notified whenever a worker's pipe brings bytes or ends; guards what the pipe
#: threads fill in (``inbox``, ``out_done``, the stderr excerpts, ``err_open``).
ACTIVITY = threading.Condition()


def _pump(stream: IO[bytes], take: Callable[[bytes], None]) -> None:
    """Read a pipe until it ends (b"" at the end), handing each chunk to ``take``.

    One thread per pipe, so that waiting for workers needs no ``select`` on pipes
    (which Windows does not have). The thread owns the pipe and closes it at its end.
    """
    fd = stream.fileno()
    try:
        while True:
            try:
                chunk = os.read(fd, 1 << 20)
            except OSError:
                chunk = b""
            with ACTIVITY:
                take(chunk)
                ACTIVITY.notify_all()
            if not chunk:
                return
    finally:
        with contextlib.suppress(OSError):
            stream.close()


@dataclass(eq=False)
class Worker:
    """One worker process, its pipes, and the tasks it holds."""

    proc: subprocess.Popen[bytes]
    #: Reply bytes not yet split into messages (the pool's thread only).
    buffer: bytearray = field(default_factory=bytearray)
    #: The first and the last bytes of what the current task wrote on stderr.
    head: bytearray = field(default_factory=bytearray)
    tail: bytearray = field(default_factory=bytearray)
    #: The task it runs, then the one queued behind it.
    tasks: deque[int] = field(default_factory=deque)
    started: float = 0.0
    awaiting_init: bool = False
    #: Filled by the pipe threads, under :data:`ACTIVITY`.
    inbox: bytearray = field(default_factory=bytearray)
    out_done: bool = False
    err_open: bool = True
    #: What it was started with (:func:`spawn_key`): only a pool with the same may reuse it.
    key: int = 0

    def __post_init__(self) -> None:
        assert self.proc.stdout is not None and self.proc.stderr is not None
        for stream, take in (
            (self.proc.stdout, self._take_out),
            (self.proc.stderr, self._take_err),
        ):
            threading.Thread(
                target=_pump, args=(stream, take), name=f"worker-{self.proc.pid}", daemon=True
            ).start()

    def _take_out(self, chunk: bytes) -> None:
        if chunk:
            self.inbox += chunk
        else:
            self.out_done = True

    def _take_err(self, chunk: bytes) -> None:
        if chunk:
            self.note(chunk)
        else:
            self.err_open = False

    def begin(self, now: float) -> None:
        """The first of its tasks starts at ``now`` on the pool's clock (its stderr
        starts at a mark)."""
        self.started = now

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
        with ACTIVITY:
            return any(m in self.head or m in self.tail for m in marks)

    def send(self, message: tuple[Any, ...]) -> None:
        assert self.proc.stdin is not None
        protocol.send(self.proc.stdin, message)  # type: ignore[arg-type]

    def resident(self) -> int:
        """Bytes of resident memory (the working set on Windows), 0 where it cannot be read."""
        if sys.platform == "win32":
            return _working_set(self.proc)
        try:
            with open(f"/proc/{self.proc.pid}/statm", "rb") as fh:
                return int(fh.read().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            return 0

    def stop(self) -> int:
        """Kill the process (if it still runs), reap it and close its input; its exit
        status. Its output pipes end with it, and their threads close them."""
        if self.proc.poll() is None:
            self.proc.kill()
        code = self.proc.wait()
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        return code


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # The worker imports what this process can import (tests, scripts beside the CLI).
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    # Nobody reads a worker's panic backtrace; it only costs time.
    env["RUST_BACKTRACE"] = "0"
    return env


def spawn_key(max_memory: int) -> int:
    """What a worker started now would be started with: its memory cap and environment
    (a worker started under other settings, ``COMPLIANCE_NATIVE`` say, is not reused)."""
    return _key(max_memory, _environment())


def _key(max_memory: int, env: dict[str, str]) -> int:
    # polars sets its allocator's settings in the environment when it is imported, and
    # sets them in the worker too: a worker started before the import is the same.
    return hash((max_memory, tuple(sorted(i for i in env.items() if i[0] != _POLARS_ALLOC))))


_POLARS_ALLOC = "_RJEM_MALLOC_CONF"


def spawn(max_memory: int) -> Worker:
    """Start ``python -m compliance.isolation.worker`` with its pipes."""
    env = _environment()
    proc = subprocess.Popen(
        [sys.executable, "-m", "compliance.isolation.worker", str(max_memory)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        close_fds=True,
    )
    return Worker(proc, key=_key(max_memory, env))


def _working_set(proc: subprocess.Popen[bytes]) -> int:
    """A Windows process's working set (its resident memory), 0 if it cannot be read."""
    if sys.platform != "win32":  # pragma: no cover - Windows only
        return 0
    import ctypes
    from ctypes import wintypes

    class Counters(ctypes.Structure):  # PROCESS_MEMORY_COUNTERS
        _fields_ = [
            ("cb", wintypes.DWORD),
            ("PageFaultCount", wintypes.DWORD),
            *((name, ctypes.c_size_t) for name in _COUNTER_FIELDS),
        ]

    counters = Counters()
    counters.cb = ctypes.sizeof(counters)
    try:
        handle = wintypes.HANDLE(int(proc._handle))
        ok = ctypes.windll.psapi.GetProcessMemoryInfo(handle, ctypes.byref(counters), counters.cb)
    except (AttributeError, OSError, ValueError):
        return 0
    return int(counters.WorkingSetSize) if ok else 0


_COUNTER_FIELDS = (
    "PeakWorkingSetSize",
    "WorkingSetSize",
    "QuotaPeakPagedPoolUsage",
    "QuotaPagedPoolUsage",
    "QuotaPeakNonPagedPoolUsage",
    "QuotaNonPagedPoolUsage",
    "PagefileUsage",
    "PeakPagefileUsage",
)


def describe_exit(code: int) -> Msg:
    """How a worker ended, completing "the reader process ..."."""
    if code >= 0:
        return msg("worker_exit", code=code)
    number = -code
    if number == signal.SIGABRT:
        return msg("worker_abort", n=number)
    if number in (signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE):
        return msg("worker_crash", n=number, name=signal.Signals(number).name)
    if number == signal.SIGKILL:
        return msg("worker_killed", n=number)
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = "unknown"
    return msg("worker_signal", n=number, name=name)
