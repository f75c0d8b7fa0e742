"""Frames between the pool and a worker: an 8-byte big-endian length, then a body.

To a worker, the body is a pickle: only the parent that started it writes there.
From a worker, it is one byte saying what the reply is and its bytes, which the
parent never unpickles: a finished task's bytes are what the task encoded itself
(see :mod:`compliance.isolation.codec`), an error is JSON
(:mod:`compliance.isolation.wire`). A worker parses hostile files with native
code; if one were ever subverted, nothing it could send would run here.
"""

from __future__ import annotations

import pickle
import struct
from typing import Any, BinaryIO

_HEADER = struct.Struct(">Q")
HEADER_SIZE = _HEADER.size

# Messages to a worker.
INIT = "init"  # (INIT, "module:function", args): run once, before any task
CALL = "call"  # (CALL, "module:function", args): run, reply with its bytes

#: Written on the worker's stderr as each task starts.
TASK_MARK = b"\x00compliance-task\x00\n"

# Replies from a worker: the kind, then its bytes.
OK = b"o"  # the task's bytes
ERROR = b"e"  # the exception, as :func:`compliance.isolation.wire.error_out` wrote it
MEMORY = b"m"  # the task raised MemoryError (no bytes)
_REPLIES = frozenset({OK, ERROR, MEMORY})


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


def reply(stream: BinaryIO, kind: bytes, data: bytes = b"") -> None:
    """Write one reply (a worker's side)."""
    stream.write(_HEADER.pack(len(kind) + len(data)) + kind + data)
    stream.flush()


class BadReply(ValueError):
    """A reply of no kind a worker sends: the worker is no longer to be trusted."""


def split(buffer: bytearray) -> tuple[bytes, bytes] | None:
    """Take one whole reply (its kind, its bytes) off the front of ``buffer``, if it
    holds one; raises :class:`BadReply` for one of no known kind."""
    if len(buffer) < HEADER_SIZE:
        return None
    (size,) = _HEADER.unpack_from(buffer)
    if len(buffer) < HEADER_SIZE + size:
        return None
    body = bytes(buffer[HEADER_SIZE : HEADER_SIZE + size])
    del buffer[: HEADER_SIZE + size]
    kind = body[:1]
    if kind not in _REPLIES:
        raise BadReply(kind)
    return kind, body[1:]
