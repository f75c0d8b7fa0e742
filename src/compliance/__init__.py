"""compliance: check community records against community-service standards.

The package is a library first. The usual entry points:

- :func:`compliance.api.check_files` reads and checks files into a :class:`~compliance.model.Report`;
- :func:`compliance.rules.loader.load_ruleset` loads a rule set by name or path;
- :func:`compliance.reading.read_records` reads the records of one file;
- :mod:`compliance.render` turns a report into a table, JSON and other formats.

They are importable from the top level (``compliance.check_files``); the
import is lazy so that ``import compliance`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from compliance._version import __version__

if TYPE_CHECKING:
    from compliance.api import (
        check,
        check_files,
        exit_code,
        load_ruleset,
        read_records,
        select_rules,
    )

__all__ = [
    "__version__",
    "check",
    "check_files",
    "exit_code",
    "load_ruleset",
    "read_records",
    "select_rules",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from compliance import api

        return getattr(api, name)
    raise AttributeError(f"module 'compliance' has no attribute {name!r}")
