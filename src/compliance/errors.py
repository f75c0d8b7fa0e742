"""The one exception family of the library.

Every error a user can cause (a bad workbook, a bad rule file, a bad option)
is a :class:`ComplianceError`. The CLI turns these into one line of text, in the
user's language, and exit code 2; anything else that escapes is a bug and exits 3.

An error names its message by key, with parameters (see
:mod:`compliance.labels.messages`)::

    raise InputError("file_empty", where=str(path))
    raise UsageError("option_format_choice", value=value, choices=names)

``str(error)`` is the English line; :meth:`ComplianceError.line` says it in
either language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from compliance.labels.messages import Msg, said


class ComplianceError(Exception):
    """Base of every error the library raises on purpose."""

    def __init__(
        self,
        key: str | Msg,
        /,
        *,
        where: str | Msg | None = None,
        problems: Sequence[Msg] | None = None,
        **params: Any,
    ) -> None:
        #: What went wrong, by key, said in either language.
        self.msg = key if isinstance(key, Msg) else Msg(key, params)
        #: Where the problem is: a file, ``file: sheet!A1`` or ``rules.toml: rule 'x'``.
        self.where = where
        #: Each problem on its own, when there are several (a rule file with three mistakes).
        self.parts: list[Msg] = list(problems) if problems else [self.msg]
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``, without where it is."""
        return self.msg.text(lang)

    def place(self, lang: str = "en") -> str | None:
        """Where the problem is, in ``lang``."""
        return None if self.where is None else str(said(self.where, lang))

    def line(self, lang: str = "en") -> str:
        """``where: message`` in ``lang``."""
        where = self.place(lang)
        text = self.text(lang)
        if where is None:
            return text
        return f"{where}：{text}" if lang == "zh" else f"{where}: {text}"

    @property
    def message(self) -> str:
        """The English message (without where it is)."""
        return self.text("en")

    @property
    def problems(self) -> list[str]:
        """Each problem on its own, in English."""
        return [p.text("en") for p in self.parts]

    def problem_lines(self, lang: str) -> list[str]:
        """Each problem on its own, in ``lang``."""
        return [p.text(lang) for p in self.parts]

    def __str__(self) -> str:
        return self.line("en")

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (across a worker's pipe) as its message and place, not its English text.
        return (type(self), (self.msg,), {"where": self.where, "parts": self.parts})


class InputError(ComplianceError):
    """A workbook or CSV file that cannot be read or has no usable table."""


class RuleSetError(ComplianceError):
    """A rule-set file that is missing, malformed or unsafe."""


class UsageError(ComplianceError):
    """Options that do not fit together, or an output that may not be written."""
