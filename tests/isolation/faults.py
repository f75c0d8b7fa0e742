"""Test-only worker tasks that misbehave the way a native parser can.

The pool imports them by name in its worker processes. ``check_or_fail`` checks
a file like the real task unless the file's name says how to misbehave, so
that a batch can be shown to go on past each kind of failure with the guards
of the reader out of the way.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time
from pathlib import Path


def echo(text: str) -> bytes:
    return text.encode()


def pid(_: str = "") -> bytes:
    return str(os.getpid()).encode()


def abort() -> bytes:
    sys.stderr.write("thread 'main' panicked at src/xlsx.rs:1:1:\nattempt to overflow\n")
    sys.stderr.flush()
    os.abort()


def segfault() -> bytes:
    ctypes.string_at(0)
    return b""  # pragma: no cover - never reached


def allocate(megabytes: int, hold: float = 0) -> bytes:
    # Touch every page, as a parser filling a grid does: resident, not just reserved.
    blocks = [bytearray(1024 * 1024) for _ in range(megabytes)]
    time.sleep(hold)
    return str(len(blocks)).encode()


def allocate_at_once(size: int) -> bytes:
    # One huge request, as calamine makes for a forged count; Python raises MemoryError.
    return bytes(bytearray(size))[:1]


def sleep(seconds: float) -> bytes:
    time.sleep(seconds)
    return b"woke"


def hang(marker: str) -> bytes:
    """Say that the task runs (the file ``marker`` appears), then never end: only
    the pool's timeout ends it. See :class:`HangClock`."""
    Path(marker).touch()
    time.sleep(3600)
    return b"woke"


class HangClock:
    """A fake clock for the pool (``compliance.isolation.pool.clock``): real time,
    moved ``jump`` seconds on for each ``*.running`` marker of a :func:`hang` task
    in ``folder``, from the reading after the one that first saw it.

    A task that hangs is then past any timeout as soon as it runs, however loaded
    the machine: whether the pool starts its clock before the marker appears or at
    the reading that first sees it, a later reading is ``jump`` further on. A task
    begun after the jump keeps the whole of a generous real timeout. No task that
    ends may be running, or have its reply still on the way, when a jump comes, or
    it too would be past its timeout: let the hanging task be the first its worker
    runs, with one worker (or only hanging tasks).
    """

    def __init__(self, folder: Path, jump: float = 1e6) -> None:
        self.folder = folder
        self.jump = jump
        self._seen: set[Path] = set()

    def __call__(self) -> float:
        now = time.monotonic() + self.jump * len(self._seen)
        self._seen.update(self.folder.glob("*.running"))
        return now


def chatter() -> bytes:
    # Print on stdout and stderr: neither may reach the user or corrupt the replies.
    print("noise on stdout " * 1000)
    os.write(1, b"raw noise on fd 1\n")
    sys.stderr.write("noise on stderr\n" * 10000)
    return b"quiet"


def fail() -> bytes:
    raise ValueError("a bug in a task")


def check_or_fail(path: str) -> bytes:
    """The real task, unless the file's name starts with a fault (after an
    ``x-`` prefix that sets where it sorts)."""
    name = Path(path).name
    name = name[2:] if name[1:2] == "-" else name
    if name.startswith("abort"):
        abort()
    if name.startswith("segfault"):
        segfault()
    if name.startswith("hog"):
        allocate(10_000, hold=5)
    if name.startswith("slow"):
        hang(path + ".running")
    from compliance.batch import work

    return work(path)


def address_space() -> bytes:
    import resource

    return str(resource.getrlimit(resource.RLIMIT_AS)[0]).encode()


def calamine_cells(path: str) -> bytes:
    # calamine directly, without the reader's guards.
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    return str(len(rows)).encode()


def peak_memory() -> bytes:
    import resource

    return str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss).encode()


def timed_work(path: str) -> bytes:
    from compliance.batch import work

    start = time.perf_counter()
    work(path)
    return f"{time.perf_counter() - start:.6f}".encode()


def warn_memory() -> bytes:
    sys.stderr.write("memory allocation of 8 bytes failed (only a warning)\n")
    sys.stderr.flush()
    return b"ok"


class _Run:
    """What a subverted worker might send: unpickling it would run a command."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[object, ...]:
        return (os.system, (self.command,))


def evil_outcome(marker: str) -> bytes:
    # Bytes, as a task gives: a pickle whose loading would run the call.
    import pickle

    return pickle.dumps(_Run(f"touch {marker}"))


def bad_manifest(marker: str) -> bytes:
    # A reply's frame, but a manifest that is not JSON.
    from compliance.isolation.codec import MAGIC

    head = f'{{"kind": "check", "marker": "{marker}"'.encode()
    return MAGIC + len(head).to_bytes(4, "big") + head


def wrong_manifest(marker: str) -> bytes:
    # JSON, but not a check: a class named where a source should be.
    import json

    from compliance.isolation.codec import MAGIC

    doc = {"kind": "check", "source": {"__class__": "os.system", "args": [f"touch {marker}"]}}
    head = json.dumps(doc).encode()
    return MAGIC + len(head).to_bytes(4, "big") + head
