"""Start a reader worker before the command line is parsed.

A worker spends about 0.3 s starting Python and importing its readers (polars,
python-calamine). Started here, that overlaps with this process importing and parsing
its own options, instead of following them: on a small workbook that is a
third of the run. Only a peek at ``argv``: the real parse comes later, and a
worker started for a run that then stops at a usage error just ends with this
process (its input closes).
"""

from __future__ import annotations

from collections.abc import Sequence

#: The commands that read workbooks in worker processes.
COMMANDS = frozenset({"check", "summary", "annotate"})


def max_memory_option(argv: Sequence[str]) -> str | None:
    """The value given to ``--max-memory``, if any (the last one wins, as in the parser)."""
    value = None
    for i, arg in enumerate(argv):
        if arg == "--max-memory" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--max-memory="):
            value = arg.partition("=")[2]
    return value


def start_reader(argv: Sequence[str]) -> None:
    """Start one worker with the limits ``argv`` asks for, when its command reads files."""
    if not argv or argv[0] not in COMMANDS or "--help" in argv or "-h" in argv:
        return
    from compliance.cli.options import isolation_limits
    from compliance.errors import UsageError
    from compliance.isolation.spares import prestart

    try:
        limits = isolation_limits(max_memory_option(argv), None)
    except UsageError:
        return  # the parser says what is wrong
    prestart(limits, 1)
