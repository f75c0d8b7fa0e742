"""The one place where exceptions become messages and exit codes."""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from compliance.errors import ComplianceError
from compliance.exitcodes import ExitCode
from compliance.output import Terminated
from compliance.safetext import one_line

P = ParamSpec("P")
R = TypeVar("R")


def error_line(message: str) -> None:
    """One printable line, however long or strange the file name or cell text in it."""
    typer.echo(f"compliance: error: {one_line(message)}", err=True)


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a command; a user's mistake gives one line and exit 2, a bug exit 3.

    Set COMPLIANCE_DEBUG=1 to see the traceback of an internal error.
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except ComplianceError as exc:
            error_line(str(exc))
            raise typer.Exit(ExitCode.INPUT) from None
        except KeyboardInterrupt:
            typer.echo("compliance: interrupted", err=True)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except Terminated as exc:
            # SIGTERM/SIGHUP during a write: the temporary file is gone; exit as the signal would.
            typer.echo(f"compliance: terminated by signal {exc.signum}", err=True)
            raise typer.Exit(128 + exc.signum) from None

        except BrokenPipeError:
            # The reader of stdout went away before the report was written
            # (cli/emit.py keeps the run's exit code when it goes during the report).
            from compliance.cli.emit import discard_stdout

            discard_stdout()
            raise typer.Exit(ExitCode.OK) from None
        except Exception as exc:
            if os.environ.get("COMPLIANCE_DEBUG"):
                traceback.print_exc()
            error_line(
                f"internal error: {type(exc).__name__}: {one_line(exc, 200)} "
                "(this is a bug; set COMPLIANCE_DEBUG=1 for the traceback and please report it)"
            )
            raise typer.Exit(ExitCode.INTERNAL) from None

    return wrapper
