"""Output that never fails on an encoding: characters a legacy code page lacks
print as stand-ins instead of raising UnicodeEncodeError."""

from __future__ import annotations

import codecs
import contextlib
import io
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import BinaryIO, TextIO

#: Stand-ins for characters a legacy code page lacks, best first. GBK (cp936, the
#: code page of Chinese Windows) has √ × … but not ✓ ✗ ⏳ or ²; ASCII has none.
FALLBACKS: dict[str, tuple[str, ...]] = {
    # A byte-order mark (CSV on stdout) means nothing in a legacy code page.
    "\ufeff": ("",),
    "✓": ("√", "v"),
    "✗": ("×", "x"),
    "⏳": ("…", "~"),
    "–": ("-",),
    "─": ("-",),
    "—": ("-",),
    "²": ("2",),
    "≥": (">=",),
    "≤": ("<=",),
    "·": ("-",),
    "×": ("x",),
    "√": ("v",),
    "…": ("...",),
    "：": (":",),
    "，": (",",),
    "（": ("(",),
    "）": (")",),
    "“": ('"',),
    "”": ('"',),
    "‘": ("'",),
    "’": ("'",),
}

#: The codec error handler :func:`fallback_stream` installs.
ERRORS = "compliance-fallback"


def _fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start : exc.end]:
        for candidate in FALLBACKS.get(ch, ()):
            try:
                candidate.encode(exc.encoding)
            except (UnicodeEncodeError, LookupError):
                continue
            out.append(candidate)
            break
        else:
            out.append("?")
    return "".join(out), exc.end


codecs.register_error(ERRORS, _fallback)


def fallback_stream(stream: TextIO) -> None:
    """Make ``stream`` print what its encoding lacks as a stand-in (✓ → √ in GBK,
    → v in ASCII; anything else → ?) instead of raising UnicodeEncodeError.

    A console or a redirected stream on Chinese Windows is GBK; Python's own
    default would stop the report half-way with exit 3.
    """
    reconfigure = getattr(stream, "reconfigure", None)
    encoding = (getattr(stream, "encoding", None) or "").lower()
    if reconfigure is None or encoding.replace("-", "").startswith("utf"):
        return
    with contextlib.suppress(ValueError, OSError):  # a closed or odd stream
        reconfigure(errors=ERRORS)


def utf8_bytes(stream: TextIO) -> BinaryIO | None:
    """The byte stream under ``stream`` where writing UTF-8 there is exactly what writing
    the text would do (a UTF-8 file or pipe, no line-end translation), else None. Text
    polars built as UTF-8 then goes out as it is, not decoded and encoded again (62 MB
    of a JSON report at 100,000 communities). Flush ``stream`` before writing to it."""
    if os.linesep != "\n" or not isinstance(stream, io.TextIOWrapper):
        return None
    try:
        if codecs.lookup(stream.encoding).name != "utf-8":
            return None
    except LookupError:
        return None
    buffer: BinaryIO = stream.buffer
    return buffer
