"""compliance: check community records against community-service standards.

The package is a library first; everything the command line does is a function
here (see the README, "Use from Python / in a batch job"):

- :func:`load_ruleset` loads a rule set by name or path, :func:`select_rules` picks rules;
- :func:`read_records` reads the community records of one file;
- :func:`check` checks one file into a :class:`CheckResult`, :func:`check_frame` a polars
  or pandas DataFrame (or anything Arrow) the caller already holds;
- :func:`check_files` checks files, folders and glob patterns into one :class:`Report`,
  in worker processes with ``jobs=N``; an unreadable file becomes an :class:`InputFailure`;
- :meth:`Report.findings` gives every community's findings as one polars DataFrame
  (one row per community and rule, with where it was read and who it is);
- :func:`summarise` rolls a report up by region;
- :func:`render_report` writes a report (or one check result) as table, JSON, JSON Lines,
  JUnit XML, CSV, Markdown, xlsx or Parquet;
- :func:`exit_code` gives the run's exit code (:class:`ExitCode`, with :class:`FailOn`).

Errors are :class:`ComplianceError` (:class:`InputError` for an unreadable file,
:class:`RuleSetError`, :class:`UsageError`). Names are imported on first use, so
that ``import compliance`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from compliance._version import __version__

if TYPE_CHECKING:
    from compliance.api import (
        check,
        check_files,
        check_frame,
        exit_code,
        load_ruleset,
        read_records,
        render_report,
        select_rules,
        summarise,
    )
    from compliance.errors import ComplianceError, InputError, RuleSetError, UsageError
    from compliance.exitcodes import ExitCode, FailOn
    from compliance.findings import FindingsTable
    from compliance.model import Outcome, Record
    from compliance.results import CheckResult, InputFailure, Report
    from compliance.rules.model import Rule, RuleSet

#: Where each public name lives; imported on first use.
_LAZY = {
    **dict.fromkeys(
        (
            "check",
            "check_files",
            "check_frame",
            "exit_code",
            "load_ruleset",
            "read_records",
            "render_report",
            "select_rules",
            "summarise",
        ),
        "compliance.api",
    ),
    **dict.fromkeys(
        ("ComplianceError", "InputError", "RuleSetError", "UsageError"), "compliance.errors"
    ),
    **dict.fromkeys(("ExitCode", "FailOn"), "compliance.exitcodes"),
    **dict.fromkeys(("Outcome", "Record"), "compliance.model"),
    **dict.fromkeys(("CheckResult", "InputFailure", "Report"), "compliance.results"),
    **dict.fromkeys(("Rule", "RuleSet"), "compliance.rules.model"),
    "FindingsTable": "compliance.findings",
}

__all__ = [
    "CheckResult",
    "ComplianceError",
    "ExitCode",
    "FailOn",
    "FindingsTable",
    "InputError",
    "InputFailure",
    "Outcome",
    "Record",
    "Report",
    "Rule",
    "RuleSet",
    "RuleSetError",
    "UsageError",
    "__version__",
    "check",
    "check_files",
    "check_frame",
    "exit_code",
    "load_ruleset",
    "read_records",
    "render_report",
    "select_rules",
    "summarise",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'compliance' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
