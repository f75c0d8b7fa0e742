"""Writing output files safely: atomically, and never over an input."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from compliance.errors import UsageError


@contextlib.contextmanager
def atomic_writer(
    path: Path, *, binary: bool = False, encoding: str = "utf-8"
) -> Iterator[IO[str] | IO[bytes]]:
    """Open a temporary file next to ``path``; on success it replaces ``path`` in one step,
    so a reader never sees half a report and a failed run leaves the old file intact."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"cannot write {path}: folder {parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        fh: IO[str] | IO[bytes]
        fh = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding, newline="")
        with fh:
            yield fh
        # mkstemp makes the file private (0600); a report is shared like any
        # other file, so give it the mode a plain open() would have.
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def guard_inputs(output: Path | None, inputs: Iterable[Path]) -> None:
    """Refuse to write a report over one of the files being checked."""
    if output is None:
        return
    out = output.resolve()
    for p in inputs:
        with contextlib.suppress(OSError):
            if p.resolve() == out:
                raise UsageError(
                    f"--output {output} is one of the input files; refusing to overwrite it"
                )


def write_text(path: Path, write: Callable[[IO[str]], None], encoding: str = "utf-8") -> None:
    with atomic_writer(path, encoding=encoding) as fh:
        write(fh)  # type: ignore[arg-type]
