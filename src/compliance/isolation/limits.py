"""The memory and time a worker may use on one input, and how they are enforced.

Memory is bounded by what the process really holds (its resident set), which
the parent reads from ``/proc/PID/statm`` while a task runs, and kills the
worker past :attr:`Limits.max_memory`. ``RLIMIT_AS`` (``ulimit -v``) alone is
the wrong measure for the parsers we run. Measured on this machine (2 cores,
polars 1.x, fastexcel, python-calamine; 100k-row bench file, peak address space
vs peak resident set):

- ``polars.read_csv`` of a 12 MB CSV: 1,203 MB address space for 101 MB
  resident (1,583 MB with 64 threads), and under ``ulimit -v 1000000`` it
  panics on a read that needs 101 MB;
- fastexcel ``load_sheet``: 526 MB address space for 171 MB resident;
- python-calamine ``to_python``: 215 MB for 210 MB;
- importing polars, fastexcel, python-calamine and pyarrow: 631 MB for 81 MB.

Allocators and thread pools reserve address space they never touch, and the
reservation grows with the number of threads, so a cap on address space either
refuses legitimate work or, set high enough not to, bounds nothing. The
address-space limit is still set, at :func:`address_space_backstop` (four times
the cap, at least the cap plus 8 GiB), to stop an allocation that grows faster
than the parent looks (every :data:`POLL_SECONDS`); and it only ever lowers the
limit the process already has (a batch scheduler's ``ulimit -v`` stays).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GIB = 1024**3
#: Resident memory one worker may hold while it reads and checks one input.
DEFAULT_MAX_MEMORY = 4 * GIB
#: Seconds one input may take to be read and checked.
DEFAULT_FILE_TIMEOUT = 300.0
#: How often the parent looks at a busy worker's memory and clock.
POLL_SECONDS = 0.02

_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": GIB, "t": 1024**4}


def parse_size(text: str) -> int:
    """A size in bytes from ``"4G"``, ``"512M"``, ``"1.5GiB"`` or a plain number of bytes.

    Units are binary (``G`` is 1024³). Raises ValueError for anything else.
    """
    m = _SIZE.fullmatch(text)
    if m is None:
        raise ValueError(f"{text!r} is not a size; use e.g. 4G, 512M")
    size = int(float(m.group(1)) * _UNITS[m.group(2).lower()])
    if size <= 0:
        raise ValueError(f"{text!r}: the size must be above zero")
    return size


def format_size(size: int) -> str:
    """``4 GiB``, ``512 MiB``, ``1.5 GiB``: the figure an error line names."""
    for unit, scale in (("TiB", 1024**4), ("GiB", GIB), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


@dataclass(frozen=True, slots=True)
class Limits:
    """What one worker may spend on one input."""

    #: Bytes of resident memory (the worker is killed past it).
    max_memory: int = DEFAULT_MAX_MEMORY
    #: Seconds of wall time (the worker is killed past it).
    file_timeout: float = DEFAULT_FILE_TIMEOUT

    def __post_init__(self) -> None:
        if self.max_memory <= 0 or self.file_timeout <= 0:
            raise ValueError("memory and time limits must be above zero")


def address_space_backstop(max_memory: int) -> int:
    """The ``RLIMIT_AS`` a worker sets on itself: far above what the parsers
    reserve (see the module docstring), low enough to stop a runaway."""
    return max(4 * max_memory, max_memory + 8 * GIB)


def lower_limits(max_memory: int) -> None:
    """Lower this process's address-space and core-file limits; never raise them.

    Runs in the worker at start. Under ``ulimit -v`` the soft limit is already
    below the backstop and stays as it is. Where there are no such limits
    (Windows), only the parent's watch of resident memory caps a worker.
    """
    try:
        import resource
    except ImportError:  # not POSIX
        return

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = address_space_backstop(max_memory)
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft == resource.RLIM_INFINITY or want < soft:
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    # A worker that aborts on a hostile file should not write a core file of gigabytes.
    _, core_hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (0, core_hard))
