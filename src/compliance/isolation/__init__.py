"""Isolated reading: every input is read and checked in a worker process.

The native spreadsheet parsers (calamine, through python-calamine, for .xls, .xlsb, .ods)
can abort the whole process on a hostile file: a Rust ``panic`` that aborts, a
failed allocation, a segmentation fault. So no input is parsed in the process
that holds the batch. :class:`~compliance.isolation.pool.WorkerPool` keeps a
few long-lived worker processes (:mod:`~compliance.isolation.worker`), sends
each one task at a time and watches it: its memory against
:attr:`Limits.max_memory`, its time against :attr:`Limits.file_timeout`, and
its exit. A worker that dies or is stopped is replaced, and the task it held
comes back as one line saying what happened.
"""

from __future__ import annotations

from compliance.isolation.limits import (
    DEFAULT_FILE_TIMEOUT,
    DEFAULT_MAX_MEMORY,
    Limits,
    format_size,
    parse_size,
)
from compliance.isolation.pool import Reply, WorkerError, WorkerPool

__all__ = [
    "DEFAULT_FILE_TIMEOUT",
    "DEFAULT_MAX_MEMORY",
    "Limits",
    "Reply",
    "WorkerError",
    "WorkerPool",
    "format_size",
    "parse_size",
]
