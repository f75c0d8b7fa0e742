"""Exit codes, decided in one place.

=====  ==========================================================
0      every evaluated rule passes (for every readable input)
1      some community fails a rule of severity "error", or fails a
       blocking consistency check (强制性审核)
2      bad input or usage: unreadable file, no header, bad rule file,
       bad option; in a batch, some input could not be read
3      unexpected internal error (a bug: please report it)
130    interrupted (Ctrl-C)
=====  ==========================================================

Precedence in a batch: an unreadable input (2) outranks failures (1), because a
run that could not see all its data cannot vouch for it. ``--fail-on``
chooses which outcomes turn the run red: ``fail`` (default), ``unknown``
(failures or unknowns give 1) or ``never`` (findings never give 1; unreadable
inputs still give 2).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

from compliance.results import Report


class ExitCode(IntEnum):
    OK = 0
    FAIL = 1
    INPUT = 2
    INTERNAL = 3
    INTERRUPTED = 130


class FailOn(StrEnum):
    FAIL = "fail"
    UNKNOWN = "unknown"
    NEVER = "never"


def exit_code(report: Report, fail_on: FailOn = FailOn.FAIL) -> ExitCode:
    """The exit code for a finished run."""
    if report.failures:
        return ExitCode.INPUT
    if fail_on is FailOn.NEVER:
        return ExitCode.OK
    if report.has_failures or _blocked(report):
        return ExitCode.FAIL
    if fail_on is FailOn.UNKNOWN and report.has_unknowns:
        return ExitCode.FAIL
    return ExitCode.OK


def _blocked(report: Report) -> bool:
    """A blocking consistency check (强制性审核) failed somewhere: like a failing rule of
    severity "error", the return cannot be accepted until the figures are fixed."""
    return any(p.code == "review" and p.severity == "blocking" for p in report.problems)
