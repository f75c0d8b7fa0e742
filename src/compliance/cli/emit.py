"""Choosing an output format and writing a report to stdout or a file, for every command."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from compliance.errors import UsageError
from compliance.render import BINARY_FORMATS, Format

#: The --output help every command shares.
OUTPUT_HELP = (
    "Write the report to this file instead of stdout. The file is written atomically "
    "(a temporary file, then a rename); an existing file is replaced, an input file never."
)


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


def emit(fmt: Format, output: Path | None, write: Callable[[Any], None]) -> None:
    """Run ``write`` on stdout or on an atomically written file, in text or binary mode."""
    from compliance.output import atomic_writer

    require_destination(fmt, output)
    if output is None:
        write(sys.stdout)
        return
    with atomic_writer(output, binary=fmt in BINARY_FORMATS) as fh:
        write(fh)
