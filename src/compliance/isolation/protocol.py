"""Frames between the pool and a worker: an 8-byte big-endian length, then a pickle.

Only the parent and the worker it started speak this, over the worker's own
pipes; nothing read from an input file is ever unpickled by anyone but the
process that produced it. The payload of a finished task is ``bytes`` that the
task encoded itself (see :mod:`compliance.isolation.codec`).
"""

from __future__ import annotations

import pickle
import struct
from typing import Any, BinaryIO

from compliance.isolation import unpickle

_HEADER = struct.Struct(">Q")
HEADER_SIZE = _HEADER.size

# Messages to a worker.
INIT = "init"  # (INIT, "module:function", args): run once, before any task
CALL = "call"  # (CALL, "module:function", args): run, reply with its bytes

#: Written on the worker's stderr as each task starts.
TASK_MARK = b"\x00compliance-task\x00\n"

# Replies from a worker.
OK = "ok"  # (OK, bytes)
ERROR = "error"  # (ERROR, pickled exception or its text): a bug, raised in the parent
MEMORY = "memory"  # (MEMORY,): the task raised MemoryError


def pack(message: tuple[Any, ...]) -> bytes:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(body)) + body


def send(stream: BinaryIO, message: tuple[Any, ...]) -> None:
    stream.write(pack(message))
    stream.flush()


def receive(stream: BinaryIO) -> tuple[Any, ...] | None:
    """The next message, or None at the end of the stream."""
    head = stream.read(HEADER_SIZE)
    if len(head) < HEADER_SIZE:
        return None
    (size,) = _HEADER.unpack(head)
    body = stream.read(size)
    if len(body) < size:
        return None
    message = pickle.loads(body)
    assert isinstance(message, tuple)
    return message


def split(buffer: bytearray) -> tuple[Any, ...] | None:
    """Take one whole message off the front of ``buffer``, if it holds one."""
    if len(buffer) < HEADER_SIZE:
        return None
    (size,) = _HEADER.unpack_from(buffer)
    if len(buffer) < HEADER_SIZE + size:
        return None
    message = unpickle.loads(bytes(buffer[HEADER_SIZE : HEADER_SIZE + size]))
    del buffer[: HEADER_SIZE + size]
    assert isinstance(message, tuple)
    return message
