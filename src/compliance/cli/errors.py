"""The one place where exceptions become messages and exit codes.

An error of the library (:class:`~compliance.errors.ComplianceError`) names its
message by key (:mod:`compliance.labels.messages`); it is said here, in the
command's ``--lang`` (else the locale's language), as one line:
``compliance: error: …`` or ``compliance: 错误：…``.
"""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

import typer

from compliance.errors import ComplianceError
from compliance.exitcodes import ExitCode
from compliance.labels.messages import Msg, msg
from compliance.output import Terminated
from compliance.safetext import one_line

P = ParamSpec("P")
R = TypeVar("R")


def error_line(message: str | Msg, lang: str | None = None) -> None:
    """One printable line, however long or strange the file name or cell text in it."""
    lang = lang or _default()
    text = message.text(lang) if isinstance(message, Msg) else message
    typer.echo(msg("error_line", text=one_line(text)).text(lang), err=True)


def language_of(kwargs: Mapping[str, Any]) -> str:
    """The language a command was asked to speak (``--lang``), else the locale's."""
    lang = kwargs.get("lang")
    if lang is None and (args := kwargs.get("args")) is not None:
        lang = getattr(args, "lang", None)
    value = getattr(lang, "value", lang)
    return value if value in ("zh", "en") else _default()


def _default() -> str:
    from compliance.labels import default_lang

    return default_lang()


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a command; a user's mistake gives one line and exit 2, a bug exit 3.

    Set COMPLIANCE_DEBUG=1 to see the traceback of an internal error.
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from compliance.cli.emit import guarded_stdout

        lang = language_of(kwargs)
        try:
            with guarded_stdout():
                return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except ComplianceError as exc:
            error_line(exc.line(lang), lang)
            raise typer.Exit(ExitCode.INPUT) from None
        except KeyboardInterrupt:
            typer.echo(msg("interrupted").text(lang), err=True)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except Terminated as exc:
            # SIGTERM/SIGHUP during a write: the temporary file is gone; exit as the signal would.
            typer.echo(msg("terminated", n=exc.signum).text(lang), err=True)
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
            kind = type(exc).__name__
            error_line(msg("internal_error", kind=kind, detail=one_line(exc, 200)), lang)
            raise typer.Exit(ExitCode.INTERNAL) from None

    return wrapper
