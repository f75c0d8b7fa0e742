"""Choosing output formats and writing a report to stdout or to files, for every command."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from compliance.errors import UsageError
from compliance.render import BINARY_FORMATS, Format

#: The --output help of the commands that write one file.
OUTPUT_HELP = (
    "Write the report to this file instead of stdout. The file is written atomically "
    "(a temporary file, then a rename); an existing file is replaced, an input file never."
)

#: The format an output file's extension names. A format that this build lacks
#: (no such Format member) is simply not offered.
_EXTENSIONS = {
    ".txt": "table",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "junit",
    ".csv": "csv",
    ".md": "markdown",
    ".markdown": "markdown",
    ".xlsx": "xlsx",
    ".html": "html",
    ".htm": "html",
    ".parquet": "parquet",
}


#: Documents the tool does not write, and what to write instead: without this an
#: `-o report.pdf` would get the text table under a name that promises a PDF.
_NOT_WRITTEN = {
    ".pdf": "html",
    ".doc": "html",
    ".docx": "html",
    ".odt": "html",
    ".rtf": "html",
    ".xls": "xlsx",
    ".xlsm": "xlsx",
    ".xlsb": "xlsx",
    ".ods": "xlsx",
}


def refuse_unwritten(path: Path) -> None:
    """Refuse an output whose extension names a document the tool cannot write."""
    instead = _NOT_WRITTEN.get(path.suffix.lower())
    if instead is None:
        return
    if path.suffix.lower() == ".pdf":
        raise UsageError("output_pdf", path=str(path), html=path.with_suffix(".html").name)
    raise UsageError(
        "output_not_written",
        path=str(path),
        suffix=path.suffix,
        instead=path.with_suffix("." + instead).name,
    )


def format_for_extension(path: Path) -> Format | None:
    """The format ``path``'s extension names (``report.json`` → json), or None."""
    value = _EXTENSIONS.get(path.suffix.lower())
    if value is None:
        return None
    try:
        return Format(value)
    except ValueError:
        return None


def parse_format(value: str, allowed: Iterable[Format] = tuple(Format)) -> Format:
    """The :class:`Format` named ``value``, or a UsageError listing the choices."""
    choices = tuple(allowed)
    try:
        fmt = Format(value.lower())
    except ValueError:
        fmt = None
    if fmt is None or fmt not in choices:
        raise UsageError(
            "format_choice", value=repr(value), choices=", ".join(f.value for f in choices)
        )
    return fmt


def require_destination(fmt: Format, output: Path | None) -> None:
    """A workbook is bytes: refuse to pour it onto a terminal or a pipe."""
    if fmt in BINARY_FORMATS and output is None:
        raise UsageError("format_needs_output", format=str(fmt))


Destination = tuple[Format, Path | None]


def destinations(
    fmt: str | None, outputs: Sequence[Path], allowed: Iterable[Format] = tuple(Format)
) -> list[Destination]:
    """Where the report goes, and in which format.

    No ``--output``: stdout, in ``--format`` (default table). One output: ``--format``
    if given, else the format its extension names, else the table. Several outputs:
    each in the format its extension names (``--format`` for one it does not name).
    """
    choices = tuple(allowed)
    if not outputs:
        chosen = parse_format(fmt or "table", choices)
        require_destination(chosen, None)
        return [(chosen, None)]
    out: list[Destination] = []
    for path in outputs:
        refuse_unwritten(path)
        by_extension = format_for_extension(path)
        if fmt is not None and (len(outputs) == 1 or by_extension is None):
            chosen = parse_format(fmt, choices)
        elif by_extension is not None:
            if by_extension not in choices:
                raise UsageError(
                    "output_format_not_here",
                    path=str(path),
                    format=str(by_extension),
                    choices=", ".join(f.value for f in choices),
                )
            chosen = by_extension
        elif len(outputs) == 1:
            chosen = parse_format("table", choices)
        else:
            raise UsageError(
                "output_unknown_extension",
                path=str(path),
                extensions=", ".join(sorted(k for k, v in _EXTENSIONS.items() if _known(v))),
            )
        out.append((chosen, path))
    seen: set[Path] = set()
    for twice in outputs:
        if twice.resolve() in seen:
            raise UsageError("output_twice", path=str(twice))
        seen.add(twice.resolve())
    return out


def _known(value: str) -> bool:
    try:
        Format(value)
    except ValueError:
        return False
    return True


def emit(fmt: Format, output: Path | None, write: Callable[[Any], None]) -> None:
    """Run ``write`` on stdout or on an atomically written file, in text or binary mode."""
    from compliance.output import atomic_writer

    require_destination(fmt, output)
    if output is None:
        write_stdout(write)
        return
    with atomic_writer(output, binary=fmt in BINARY_FORMATS) as fh:
        write(fh)


def write_stdout(write: Callable[[Any], None]) -> None:
    """Run ``write`` on stdout and flush it. A reader that went away is not an error
    (a fault of stdout is, see :func:`guarded_stdout`)."""
    try:
        write(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # `compliance check … | head`: the reader went away. Not an error, and
        # the run still ends with the exit code its findings give.
        discard_stdout()


class _GuardedStdout:
    """stdout, with a fault of the stream as a :class:`UsageError`. Any command may
    print (a report, a rule set, a table), and a write that fails is the user's
    destination at fault (``> /dev/full``, a full disk), never a bug."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        with _stdout_fault():
            return int(self._stream.write(text))

    def writelines(self, lines: Iterable[str]) -> None:
        with _stdout_fault():
            self._stream.writelines(lines)

    def flush(self) -> None:
        with _stdout_fault():
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def _stdout_fault() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise UsageError("write_stdout_failed", reason=exc.strerror or str(exc)) from None


@contextlib.contextmanager
def guarded_stdout() -> Iterator[None]:
    """Within the block, a write to stdout that fails (other than a closed pipe) raises
    :class:`UsageError`: one line and exit 2, as for ``--output``."""
    stream = sys.stdout
    if stream is None or isinstance(stream, _GuardedStdout):
        yield
        return
    sys.stdout = _GuardedStdout(stream)
    try:
        yield
    finally:
        if isinstance(sys.stdout, _GuardedStdout):
            sys.stdout = stream


def discard_stdout() -> None:
    """Point stdout at the null device, so that writing or flushing what is left
    after a broken pipe neither fails nor prints "Exception ignored"."""
    import os

    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (a test's buffer): nothing more will be flushed
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
