"""Writing output files safely: atomically, never over an input, cleaned up on any exit.

The report is written to a temporary file beside the destination and renamed
over it in one step. The temporary file is removed when the write fails, on
Ctrl-C, and on SIGTERM or SIGHUP (a batch scheduler's stop, a closed
terminal), which are turned into an exception for the duration of the write.
A destination that exists and is not a regular file (a folder, ``/dev/full``,
a FIFO) is refused: renaming over it would replace a device node or fail
halfway. Any error of the file system (read-only, full, no permission) is a
:class:`UsageError`, one line and exit 2.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import IO

from compliance.errors import UsageError

#: Signals that end a run and must not leave a temporary file behind.
_CLEANUP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Terminated(BaseException):
    """A termination signal arrived while a report was being written."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for sig in _CLEANUP_SIGNALS:
        with contextlib.suppress(OSError, ValueError):
            handler = signal.getsignal(sig)
            if handler is signal.SIG_IGN:
                continue  # nohup: the user asked to survive it
            previous[sig] = signal.signal(sig, _raise_terminated)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            with contextlib.suppress(OSError, ValueError):
                signal.signal(sig, handler)


def _check_destination(path: Path) -> Path:
    parent = path.parent if str(path.parent) else Path(".")
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise UsageError("write_failed", path=str(path), reason=exc.strerror) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise UsageError("write_folder", path=str(path))
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise UsageError("write_not_regular", path=str(path))
    if not parent.is_dir():
        raise UsageError("write_no_folder", path=str(path), folder=str(parent))
    return parent


@contextlib.contextmanager
def atomic_writer(
    path: Path, *, binary: bool = False, encoding: str = "utf-8"
) -> Iterator[IO[str] | IO[bytes]]:
    """Open a temporary file next to ``path``; on success it replaces ``path`` in one step,
    so a reader never sees half a report and a failed run leaves the old file intact."""
    path = Path(path)
    parent = _check_destination(path)
    with _signals_raise():
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
        except OSError as exc:
            raise UsageError(
                "write_failed", path=str(path), reason=exc.strerror or str(exc)
            ) from None
        try:
            fh: IO[str] | IO[bytes]
            fh = (
                os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding, newline="")
            )
            with fh:
                yield fh
            # mkstemp makes the file private (0600); a report is shared like any
            # other file, so give it the mode a plain open() would have.
            os.chmod(tmp, _mode_for(path))
            os.replace(tmp, path)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
                raise UsageError(
                    "write_failed", path=str(path), reason=exc.strerror or str(exc)
                ) from None
            raise


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def guard_inputs(
    output: Path | None, inputs: Iterable[Path], side_files: Iterable[Path | None] = ()
) -> None:
    """Refuse to write a report over one of the files being read: an input, or a
    side file (rules, mapping, waivers)."""
    if output is None:
        return
    out = output.resolve()
    for p in (*inputs, *(s for s in side_files if s is not None)):
        with contextlib.suppress(OSError):
            if p.resolve() == out or os.path.samefile(p, output):
                raise UsageError("output_is_input", path=str(output))


def write_text(path: Path, write: Callable[[IO[str]], None], encoding: str = "utf-8") -> None:
    with atomic_writer(path, encoding=encoding) as fh:
        write(fh)  # type: ignore[arg-type]
