"""The worker process: ``python -m compliance.isolation.worker MAX_MEMORY``.

It lowers its own limits (:func:`~compliance.isolation.limits.lower_limits`),
then reads messages from the pool on stdin and answers on stdout, one task at
a time, until stdin closes. File descriptor 1 is pointed at ``/dev/null`` once
the protocol has its own copy, so that a library that prints cannot corrupt
the replies; the parent drains and drops fd 2, so that a panic message or a
traceback never reaches the user.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Callable
from typing import Any, BinaryIO

from compliance.isolation import protocol
from compliance.isolation.limits import lower_limits
from compliance.isolation.wire import error_out


def resolve(target: str) -> Callable[..., Any]:
    """``"package.module:function"`` as the function."""
    module, _, name = target.partition(":")
    fn = getattr(importlib.import_module(module), name)
    assert callable(fn)
    return fn  # type: ignore[no-any-return]


def _die_with_parent() -> None:
    # A worker busy in a long parse would otherwise outlive a killed parent.
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _private_pipes() -> tuple[BinaryIO, BinaryIO]:
    inbox = os.fdopen(os.dup(0), "rb")
    outbox = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    return inbox, outbox


def serve(inbox: BinaryIO, outbox: BinaryIO) -> None:
    """Answer messages until the pool closes the pipe."""
    while (message := protocol.receive(inbox)) is not None:
        kind, target, args = message
        if kind == protocol.CALL:
            os.write(2, protocol.TASK_MARK)
        try:
            result = resolve(target)(*args)
            assert kind != protocol.CALL or isinstance(result, bytes), "a task returns bytes"
            protocol.reply(outbox, protocol.OK, result if kind == protocol.CALL else b"")
        except MemoryError:
            protocol.reply(outbox, protocol.MEMORY)
        except Exception as exc:
            protocol.reply(outbox, protocol.ERROR, error_out(exc))


def main() -> None:
    lower_limits(int(sys.argv[1]))
    _die_with_parent()
    inbox, outbox = _private_pipes()
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    _warm_up()
    serve(inbox, outbox)


#: What every check needs, imported before the first message arrives.
_READERS = (
    "compliance.batch",
    "compliance.engine",
    "compliance.reading.records",
    "compliance.reading.build",
    "compliance.reading.xlsx_read",
    "compliance.reading.workers",
    "compliance.consistency",
    "compliance.isolation.codec",
    "python_calamine",
    "numpy",
)


def _warm_up() -> None:
    # While the parent is still loading its rule set: the first task then starts at once.
    for name in _READERS:
        with contextlib.suppress(Exception):
            importlib.import_module(name)


if __name__ == "__main__":
    main()
