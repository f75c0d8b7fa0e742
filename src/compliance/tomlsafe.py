"""One bounded TOML loader for every file the user hands us (rules, waivers, mapping).

:mod:`tomllib` parses nested arrays and inline tables recursively, so a few
kilobytes of ``[[[[…`` end in RecursionError. This helper refuses what is not a
regular file or is larger than the caller's cap before reading it, measures the
nesting depth with a linear scan of the text before parsing, and turns every
failure into the caller's error class with one line.
"""

from __future__ import annotations

import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from compliance.errors import ComplianceError
from compliance.labels.messages import msg

#: Deepest nesting of arrays and inline tables accepted (real files use 2 or 3).
MAX_DEPTH = 32


def check_file(path: Path, max_bytes: int, error: type[ComplianceError], what: str) -> None:
    """Refuse, before opening it, what is missing, not a regular file, or too large."""
    where = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise error("side_file_not_found", what=msg(what), where=where) from None
    except OSError as exc:
        raise error(
            "side_file_unreadable", what=msg(what), reason=exc.strerror, where=where
        ) from None
    if not stat.S_ISREG(st.st_mode):
        key = "side_file_is_folder" if stat.S_ISDIR(st.st_mode) else "side_file_not_regular"
        raise error(key, what=msg(what), where=where)
    if st.st_size > max_bytes:
        raise error("side_file_too_large", what=msg(what), limit=max_bytes, where=where)


def read_capped(path: Path, max_bytes: int, error: type[ComplianceError], what: str) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or ``error``."""
    where = str(path)
    check_file(path, max_bytes, error, what)
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise error(
            "side_file_unreadable", what=msg(what), reason=exc.strerror, where=where
        ) from None
    if len(data) > max_bytes:
        raise error("side_file_too_large", what=msg(what), limit=max_bytes, where=where)
    return data


# Strings and comments, whose brackets are not structure. Each alternative starts
# with a distinct character and none can run past its line (or its closing
# triple quote), so the substitution is linear.
_NOT_STRUCTURE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*+"|\'[^\'\n]*+\'|#[^\n]*+'
)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_PAIR = re.compile(r"[\[{][\]}]")


def too_deep(text: str) -> bool:
    """True when arrays/inline tables nest more than :data:`MAX_DEPTH` deep (or an
    unclosed run of openers is that long). Table headers (``[[x]]``) count as
    nesting too, which is harmless at this limit. C-speed substitutions only."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    brackets = _NOT_BRACKET.sub("", _NOT_STRUCTURE.sub("", text))
    for _ in range(MAX_DEPTH):
        brackets, n = _PAIR.subn("", brackets)
        if not n:
            break
    return bool(_PAIR.search(brackets)) or brackets.count("[") + brackets.count("{") > MAX_DEPTH


def loads(text: str, error: type[ComplianceError], where: str) -> dict[str, Any]:
    """Parse TOML text, bounded in depth; every failure is ``error``."""
    if too_deep(text):
        raise error("toml_too_deep", depth=MAX_DEPTH, where=where)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error("toml_invalid", detail=str(exc), where=where) from None
    except RecursionError:  # a shape the depth scan did not foresee
        raise error("toml_nested", where=where) from None


def load_toml(
    path: Path, *, max_bytes: int, error: type[ComplianceError], what: str
) -> tuple[dict[str, Any], str]:
    """Read and parse a user's TOML file: (tables, text). The text is UTF-8 (BOM allowed)."""
    data = read_capped(path, max_bytes, error, what)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error("side_file_not_utf8", what=msg(what), where=str(path)) from None
    return loads(text, error, str(path)), text
