"""The one exception family of the library.

Every error a user can cause (a bad workbook, a bad rule file, a bad option)
is a :class:`ComplianceError`. The CLI turns these into one line of text and
exit code 2; anything else that escapes is a bug and exits 3.
"""

from __future__ import annotations


class ComplianceError(Exception):
    """Base of every error the library raises on purpose."""

    def __init__(
        self, message: str, *, where: str | None = None, problems: list[str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        #: Where the problem is: a file, ``file: sheet!A1`` or ``rules.toml: rule 'x'``.
        self.where = where
        #: Each problem on its own, when there are several (a rule file with three mistakes).
        self.problems = problems or [message]

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InputError(ComplianceError):
    """A workbook or CSV file that cannot be read or has no usable table."""


class RuleSetError(ComplianceError):
    """A rule-set file that is missing, malformed or unsafe."""


class UsageError(ComplianceError):
    """Options that do not fit together, or an output that may not be written."""
