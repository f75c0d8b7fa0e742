"""The typer application and the console-script entry point."""

from __future__ import annotations

import gc

import typer

from compliance._version import __version__
from compliance.cli import annotate, check, notice, progress, rules, summary, template

HELP = """Check community records against community-service standards (社区服务标准达标检查).

Reads each community's row from .xlsx/.xls/.xlsb/.ods/.csv workbooks, checks it against a
rule set (default: Zhejiang 2007) and says what falls short and by how much.

Exit codes:

\b
  0    every evaluated rule passes
  1    some community fails a rule of severity "error" or a blocking check
  2    bad input or usage: unreadable file, no header, missing column, bad rule file
  3    internal error (a bug; COMPLIANCE_DEBUG=1 shows the traceback)
  130  interrupted
"""

app = typer.Typer(
    name="compliance",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"compliance {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        callback=_version,
        is_eager=True,
        help="Show the version and exit.",
    ),
) -> None:
    """Check community records against community-service standards."""


app.command("check", help=check.HELP, no_args_is_help=True)(check.check_command)
app.command("summary", help=summary.HELP, no_args_is_help=True)(summary.summary_command)
app.add_typer(rules.app, name="rules")
app.command("template", help=template.HELP, no_args_is_help=True)(template.template_command)
app.command("progress", help=progress.HELP, no_args_is_help=True)(progress.progress_command)
app.command("annotate", help=annotate.HELP, no_args_is_help=True)(annotate.annotate_command)
app.command("notice", help=notice.HELP, no_args_is_help=True)(notice.notice_command)


def main() -> None:
    # A command is a short-lived process, and a check makes millions of findings
    # that hold no reference cycles: the cyclic garbage collector would only
    # rescan them again and again (a third of the run on 100,000 rows).
    # Reference counting still frees everything.
    gc.disable()
    import sys

    from compliance.render.encoding import fallback_stream

    # A GBK console (Chinese Windows) or an ASCII pipe gets stand-ins, not a crash.
    fallback_stream(sys.stdout)
    fallback_stream(sys.stderr)
    from compliance.cli.early import start_reader

    start_reader(sys.argv[1:])
    sys.exit(run(sys.argv[1:]))


def run(argv: list[str]) -> int:
    """Run the application on ``argv``; the exit code. Parser errors are shown in
    the chosen language (cli/usage.py)."""
    try:
        from typer._click.exceptions import NoArgsIsHelpError, UsageError
    except ImportError:  # pragma: no cover - a typer that uses click itself
        from click.exceptions import NoArgsIsHelpError, UsageError  # type: ignore[no-redef,import-not-found]

    try:
        code = app(args=argv, prog_name="compliance", standalone_mode=False)
    except NoArgsIsHelpError as exc:
        exc.show()  # the help text, as typer prints it
        return exc.exit_code
    except UsageError as exc:
        from compliance.cli import usage

        usage.show(exc, argv)
        return exc.exit_code
    return code if isinstance(code, int) else 0
