"""Keeping text from the input inert in the files we write and on the terminal.

Cell text may hold ANSI escape sequences (which recolour, move or clear a
terminal) and bidi controls such as U+202E (which reverse how the rest of a
line reads). :func:`terminal_text` removes them, with every other control
character, from data shown on a terminal or in Markdown.

A community name such as ``=HYPERLINK("http://…")`` or ``@SUM(A1)`` comes from
someone else's workbook. Spreadsheet programs treat a cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula, so such
text must reach a report as text: the xlsx writer stores it as a string cell
with Excel's quote prefix, and the CSV writer puts an apostrophe in front of it
(the usual defence, since CSV has no types). Characters that show nothing (a BOM,
zero-width spaces and joiners, word joiners) do not hide a trigger: spreadsheet
programs skip them, so ``\ufeff=1+1`` is a formula too.
"""

from __future__ import annotations

import re

from compliance.safetext import for_display

#: Leading characters that make a spreadsheet read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Characters that show nothing and that a spreadsheet skips before a trigger.
INVISIBLE = "\ufeff\u200b-\u200d\u2060"
#: A formula-like start as a regular expression (Python's ``re`` and polars' both read it).
FORMULA_START = f"^[{INVISIBLE}]*[=+\\-@\t\r]"
#: Characters that XML 1.0 (and so xlsx, junit, annotate) cannot hold at all, even
#: escaped: C0 controls other than tab and line breaks, the non-characters U+FFFE and
#: U+FFFF, and surrogates (a file name that was not UTF-8 holds them).
NOT_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"

_FORMULA = re.compile(FORMULA_START)
_ILLEGAL = re.compile(f"[{NOT_XML}]")


def is_formula_like(text: str) -> bool:
    """True if a spreadsheet would read ``text`` as a formula."""
    return _FORMULA.match(text) is not None


def printable(text: str) -> str:
    """``text`` with characters an xlsx file cannot hold replaced by U+FFFD."""
    return _ILLEGAL.sub("\ufffd", text)


def csv_value(value: object) -> object:
    """A value for a CSV cell: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


_MD_SPECIAL = re.compile(r"([\\|`*_\[\]<>])")


def terminal_text(text: object) -> str:
    """Data text for a terminal or Markdown: no control, escape or bidi characters."""
    return for_display(str(text))


def markdown_text(text: str) -> str:
    """Text for one Markdown table cell: one line, with Markdown and HTML specials escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(terminal_text(text).split()))


def markdown_code(text: str) -> str:
    """Text as an inline code span (file paths, cells), fenced so that backticks inside stay put."""
    text = " ".join(terminal_text(text).split())
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
