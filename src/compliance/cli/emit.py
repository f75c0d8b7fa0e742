"""Choosing output formats and writing a report to stdout or to files, for every command."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
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
        raise UsageError(
            f"--output {path}: PDF is not written; write the HTML report "
            f"(-o {path.with_suffix('.html').name}), open it in a browser and print it to PDF"
        )
    raise UsageError(
        f"--output {path}: {path.suffix} files are not written; "
        f"use -o {path.with_suffix('.' + instead).name}"
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
        raise UsageError(f"--format {value!r}: choose one of {', '.join(f.value for f in choices)}")
    return fmt


def require_destination(fmt: Format, output: Path | None) -> None:
    """A workbook is bytes: refuse to pour it onto a terminal or a pipe."""
    if fmt in BINARY_FORMATS and output is None:
        raise UsageError(f"--format {fmt} writes a file: give --output, e.g. -o report.{fmt}")


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
                    f"--output {path}: this command does not write {by_extension}; "
                    f"it writes {', '.join(f.value for f in choices)}"
                )
            chosen = by_extension
        elif len(outputs) == 1:
            chosen = parse_format("table", choices)
        else:
            raise UsageError(
                f"--output {path}: cannot tell the format from the extension; use one of "
                + ", ".join(sorted(k for k, v in _EXTENSIONS.items() if _known(v)))
            )
        out.append((chosen, path))
    seen: set[Path] = set()
    for twice in outputs:
        if twice.resolve() in seen:
            raise UsageError(f"--output {twice} is given twice")
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
        try:
            write(sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:
            # `compliance check … | head`: the reader went away. Not an error, and
            # the run still ends with the exit code its findings give.
            discard_stdout()
        return
    with atomic_writer(output, binary=fmt in BINARY_FORMATS) as fh:
        write(fh)


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
