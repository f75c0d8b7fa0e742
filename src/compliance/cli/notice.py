"""`compliance notice`: a notice to send back with each return that is returned or has
notes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from compliance.cli.batch import FailOnOption, JobsOption
from compliance.cli.errors import handle_errors
from compliance.cli.inputs import (
    CheckArgs,
    ColumnOption,
    MappingOption,
    MaxCellsOption,
    SheetOption,
    WorkersOption,
    run_checks,
    side_files,
)
from compliance.cli.options import (
    DEFAULT_RULES,
    AsOfOption,
    ExpectedOption,
    IgnoreOption,
    LangOption,
    QuietOption,
    RulesOption,
    SelectOption,
    WaiversOption,
    lang_default,
)
from compliance.exitcodes import FailOn

HELP = """Write a notice (审核意见) for each return that is returned or has notes.

Each input is checked as `compliance check` checks it and given a verdict:
accepted (审核通过), accepted with notes (通过，附说明事项) or returned for
correction (退回修改). For each input that is not plainly accepted, DIR gets a
print-ready HTML page (A4, self-contained) and a workbook, named after the input
(婺城区.xlsx -> 婺城区-审核意见.html and .xlsx; -notice with --lang en), addressed
to the reporting unit (--to, or the district its communities name) and listing
each cell to correct or explain: the cell (sheet!cell), the rule or check, what
was found and what is expected. An unreadable input gets a notice too. Files are
written atomically and never over an input.

Exit codes are those of `compliance check`: 0 all pass, 1 some community fails,
2 bad input or usage (an unreadable input included), 3 internal error.
"""


@handle_errors
def notice_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="The returns: workbooks, CSV files, folders or glob patterns.",
            show_default=False,
            metavar="FILE...",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="DIR", help="The folder to write the notices into."),
    ],
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="UNIT",
            help="The reporting unit (填报单位) each notice is addressed to "
            "(default: the district the return's communities name, else the file's name).",
            show_default=False,
        ),
    ] = None,
    office: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="OFFICE",
            help="The reviewing office, printed above the signature line.",
            show_default=False,
        ),
    ] = None,
    reply_by: Annotated[
        str | None,
        typer.Option(
            "--reply-by",
            metavar="DATE",
            help="The date by which the corrected return is due (2008-03-31, 2008年3月31日).",
            show_default=False,
        ),
    ] = None,
    rules: RulesOption = DEFAULT_RULES,
    lang: LangOption = None,  # type: ignore[assignment]
    sheet: SheetOption = None,
    column: ColumnOption = None,
    mapping: MappingOption = None,
    max_cells: MaxCellsOption = None,
    workers: WorkersOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    fail_on: FailOnOption = FailOn.FAIL,
    as_of: AsOfOption = None,
    waivers: WaiversOption = None,
    expected: ExpectedOption = None,
) -> None:
    from compliance import api
    from compliance.cli.options import as_of_date
    from compliance.labels import t
    from compliance.notice import write_notices
    from compliance.render.verdicts import status_text

    language = (lang or lang_default()).value
    due = as_of_date(reply_by) if reply_by is not None else None
    args = CheckArgs(
        rules=rules,
        # The folder stands as the output, so that a single file is checked as a batch
        # (an unreadable return gets its notice) and no input is taken for the folder.
        output=[output],
        lang=lang,
        sheet=sheet,
        column=column,
        mapping=mapping,
        max_cells=max_cells,
        workers=workers,
        select=select,
        ignore=ignore,
        quiet=quiet,
        jobs=jobs,
        fail_on=fail_on,
        as_of=as_of,
        waivers=waivers,
        expected=expected,
    )
    report = run_checks(files, args)
    written = write_notices(
        report,
        output,
        lang=language,
        to=to,
        office=office,
        reply_by=due,
        side_files=side_files(rules, mapping, waivers, expected),
    )
    code = api.exit_code(report, fail_on)
    if not quiet:
        for w in written:
            name, status = Path(w.path).name, status_text(w.status, language)
            if w.superseded_by is not None:
                line = t("notice_superseded", language, file=name, kept=Path(w.superseded_by).name)
            elif w.files:
                shown = ", ".join(str(f) for f in w.files)
                line = t("notice_written", language, file=name, status=status, written=shown)
            else:
                line = t("notice_not_needed", language, file=name, status=status)
            typer.echo(line, err=True)
    raise typer.Exit(int(code))
