"""Turn arguments into input files: files as given, folders searched, patterns expanded.

:func:`expand_inputs` gives the files of a batch run in a fixed order; an
argument that names nothing to read comes back as an :class:`Input` saying why,
so that the run reports it rather than passing silently.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from compliance.labels.messages import Msg, msg

#: The suffixes a folder is searched for (case-insensitive).
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")
_GLOB_CHARS = frozenset("*?[")


class Input(NamedTuple):
    """One input file, or an argument that named no readable file (``missing`` says why)."""

    path: Path
    missing: Msg | None = None


def _is_candidate(path: Path) -> bool:
    name = path.name
    # Office writes "~$name.xlsx" lock files next to an open workbook; they are not data.
    return not name.startswith(("~$", ".")) and path.suffix.lower() in SUFFIXES and path.is_file()


def _folder(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(p for p in (Path(root, f) for f in sorted(files)) if _is_candidate(p))
    return found


def is_pattern(arg: str | os.PathLike[str]) -> bool:
    """Whether an argument is a glob pattern rather than a path: it has ``*?[``
    and names no existing file (a file may have ``[`` in its name)."""
    text = os.fspath(arg)
    return bool(_GLOB_CHARS & set(text)) and not Path(text).exists()


def expand_inputs(args: Iterable[str | os.PathLike[str]]) -> list[Input]:
    """Files as given; folders searched (with their sub-folders) for .xlsx, .xlsm,
    .xls, .xlsb, .ods and .csv files; glob patterns (``returns/*.xlsx``,
    ``**/*.xls``) expanded.

    The order is fixed: arguments in the order given, and within a folder or a
    pattern by path. A file named twice is checked once. Office lock files
    (``~$*``) and hidden files are skipped in folders and patterns. An argument
    that names nothing to read (a path that does not exist, an empty folder, a
    pattern that matches no file) comes back as an :class:`Input` with
    ``missing`` set, so that a batch reports it rather than passing silently.
    """
    out: list[Input] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            out.append(Input(p))

    for arg in args:
        text = os.fspath(arg)
        p = Path(text)
        if p.is_dir():
            files = _folder(p)
            if not files:
                out.append(Input(p, msg("input_empty_folder")))
            for f in files:
                add(f)
        elif not is_pattern(p):
            # A file given by name is read whatever its suffix: the format is sniffed.
            if p.exists():
                add(p)
            else:
                out.append(Input(p, msg("input_no_such")))
        else:
            matches = sorted(
                Path(m) for m in glob.glob(text, recursive=True) if _is_candidate(Path(m))
            )
            if not matches:
                out.append(Input(p, msg("input_no_match")))
            for m in matches:
                add(m)
    return out
