"""Error messages in Chinese and English: a key, its two texts, and :class:`Msg`.

Every error the library raises on purpose names a message by key and gives its
parameters, never a finished sentence::

    raise InputError("file_empty", where=str(path))
    raise UsageError("as_of_not_a_date", text=text, forms=FORMS)

The texts live in the catalogue by area (:mod:`.msg_files`, :mod:`.msg_sheets`,
:mod:`.msg_rules`, :mod:`.msg_expressions`, :mod:`.msg_options`, :mod:`.msg_run`); a parameter may itself be a :class:`Msg` (or a list of them),
said in the same language. The command line renders a message in the user's
language in one place (:mod:`compliance.cli.errors`); ``str()`` of an error is
its English text, as before. A test checks that every key has both texts with
the same placeholders, and that no error is raised with a sentence of its own.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from compliance.labels import (
    msg_expressions,
    msg_files,
    msg_options,
    msg_rules,
    msg_run,
    msg_sheets,
)

#: The areas of the catalogue (each a module of TEXT); they never share a key.
AREAS = (msg_files, msg_sheets, msg_rules, msg_expressions, msg_options, msg_run)
#: Every error message: key -> (Chinese, English).
MESSAGES: dict[str, tuple[str, str]] = {k: v for area in AREAS for k, v in area.TEXT.items()}
#: The one message whose two texts are given with it (``zh`` and ``en``): what comes
#: in both languages from elsewhere (a data problem, a validation library).
AS_GIVEN = "as_given"


@dataclass(frozen=True, slots=True, eq=True)
class Msg:
    """A message by key with its parameters, said in either language on demand."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in MESSAGES:
            raise KeyError(f"no message {self.key!r} in compliance.labels.messages")

    def text(self, lang: str) -> str:
        """The message in ``lang`` ("zh" or "en"), its parameters filled in."""
        zh, en = MESSAGES[self.key]
        values = {k: said(v, lang) for k, v in self.params.items()}
        return (zh if lang == "zh" else en).format(**values)

    def __str__(self) -> str:
        return self.text("en")


def msg(key: str, /, **params: Any) -> Msg:
    """A :class:`Msg` (checked to exist)."""
    return Msg(key, params)


class Clauses(tuple[Any, ...]):
    """Parts said one after another as clauses ("；" in Chinese, "; " in English)."""

    __slots__ = ()


def problem(place: Msg | str, at: Msg | str, detail: Msg | str) -> Msg:
    """One problem of a file: where it is (and its line), and what is wrong; ``detail``
    is a message or a message key."""
    what = detail if isinstance(detail, Msg) else Msg(detail)
    return Msg("problem", {"place": place, "at": at, "detail": what})


def said(value: Any, lang: str) -> Any:
    """A parameter as it goes into a sentence in ``lang``: a message said, a list of
    them joined ("、" in Chinese, ", " in English; :class:`Clauses` with "；" and
    "; "); numbers kept for ``{n:,}``."""
    if isinstance(value, Msg):
        return value.text(lang)
    if isinstance(value, Clauses):
        return ("；" if lang == "zh" else "; ").join(str(said(v, lang)) for v in value)
    if isinstance(value, list | tuple):
        return ("、" if lang == "zh" else ", ").join(str(said(v, lang)) for v in value)
    return value


def placeholders(text: str) -> set[str]:
    """The names a template fills in ("{path}" -> {"path"})."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
