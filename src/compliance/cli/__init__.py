"""The command line: a thin typer layer over :mod:`compliance.api`.

One module per command; :mod:`compliance.cli.errors` turns exceptions into
one-line messages and exit codes.
"""

from __future__ import annotations

from compliance.cli.app import app, main

__all__ = ["app", "main"]
