"""Options shared by several commands."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from compliance.labels import default_lang
from compliance.rules.files import DEFAULT_RULESET

if TYPE_CHECKING:
    from compliance.attestation import Attestation
    from compliance.isolation import Limits


class Lang(StrEnum):
    ZH = "zh"
    EN = "en"


RulesOption = Annotated[
    str,
    typer.Option(
        "--rules",
        "-r",
        metavar="NAME|PATH",
        help="Rule set: a name found in $COMPLIANCE_RULES_PATH, ./rules or the shipped rule sets, or a .toml path.",
    ),
]
DEFAULT_RULES = DEFAULT_RULESET


def lang_default() -> Lang:
    return Lang(default_lang())


LangOption = Annotated[
    Lang,
    typer.Option(
        "--lang",
        "-l",
        metavar="zh|en",
        help="Language of labels and titles (default: from the locale, or $COMPLIANCE_LANG).",
    ),
]


OutputOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--output",
        "-o",
        metavar="PATH",
        help="Write the report to this file instead of stdout; repeatable "
        "(-o report.xlsx -o report.json). The format comes from the extension (.json, "
        ".jsonl, .xml, .csv, .md, .xlsx, .txt for the table), or from --format for a single "
        "file. Files are written atomically; an existing file is replaced, an input file never.",
        show_default=False,
    ),
]


class CsvLayout(StrEnum):
    WIDE = "wide"
    LONG = "long"


CsvLayoutOption = Annotated[
    CsvLayout,
    typer.Option(
        "--csv-layout",
        metavar="wide|long",
        help="CSV: wide, one row per community (or region) with columns per standard, "
        "community codes kept as text for Excel and WPS; or long, one row per finding "
        "(or region and standard), for programs.",
    ),
]

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Judge deadlines and waiver expiry on this date: YYYY-MM-DD, YYYY/MM/DD, "
        "YYYY年MM月DD日, or a month YYYY-MM (default: today). "
        "A failure of a rule due later is reported as not yet due and does not fail the run.",
    ),
]

WaiversOption = Annotated[
    Path | None,
    typer.Option(
        "--waivers",
        metavar="FILE",
        help="Approved exceptions (TOML, or an .xlsx/.csv sheet): community, rule, reason, "
        "approving authority, expiry date. A waived failure does not fail the run.",
    ),
]


ExpectedOption = Annotated[
    Path | None,
    typer.Option(
        "--expected",
        metavar="FILE",
        help="The official list of communities (CSV or workbook: a 社区名称 column, optionally "
        "社区代码 and 所属区县): report the listed communities no input has (missing) and "
        "those no list has (unexpected), per district.",
        show_default=False,
    ),
]


SelectOption = Annotated[
    list[str] | None,
    typer.Option(
        "--select", metavar="RULE", help="Only these rule ids (prefix* allowed); repeatable."
    ),
]
IgnoreOption = Annotated[
    list[str] | None,
    typer.Option(
        "--ignore", metavar="RULE", help="Skip these rule ids (prefix* allowed); repeatable."
    ),
]
QuietOption = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="No progress display and no summary line on stderr."),
]


UnitOption = Annotated[
    str | None,
    typer.Option(
        "--unit",
        metavar="TEXT",
        help="填表单位, the unit that makes the report: printed in the HTML, Markdown and xlsx "
        "headers.",
        show_default=False,
    ),
]
PreparerOption = Annotated[
    str | None,
    typer.Option(
        "--preparer", metavar="NAME", help="填表人, who prepared the report.", show_default=False
    ),
]
ReviewerOption = Annotated[
    str | None,
    typer.Option("--reviewer", metavar="NAME", help="审核人, who reviewed it.", show_default=False),
]
AttestationOption = Annotated[
    Path | None,
    typer.Option(
        "--attestation",
        metavar="FILE",
        help="A TOML or JSON file giving 填表单位, 填表人 and 审核人 (or unit, preparer, "
        "reviewer); --unit, --preparer and --reviewer override it.",
        show_default=False,
    ),
]


def attestation_from(
    unit: str | None, preparer: str | None, reviewer: str | None, path: Path | None
) -> Attestation | None:
    """The report's 填表单位, 填表人 and 审核人 from the options and the side file."""
    from compliance.attestation import Attestation, load_attestation

    given = Attestation(unit=unit, preparer=preparer, reviewer=reviewer)
    if path is not None:
        given = given.over(load_attestation(path))
    return given or None


def as_of_date(text: str | None) -> dt.date:
    """The --as-of date: written as waiver files write dates (2008-12-31, 2008/12/31,
    2008年12月31日, …), or a month or year alone (its first day); today when not given."""
    if text is None:
        return dt.date.today()
    from compliance.dates import FORMS, date_from_text
    from compliance.errors import UsageError

    when = date_from_text(text, partial=True)
    if when is None:
        raise UsageError("as_of_not_a_date", value=repr(text), forms=FORMS)
    return when


MaxMemoryOption = Annotated[
    str | None,
    typer.Option(
        "--max-memory",
        metavar="SIZE",
        help="Memory one file may take while it is read and checked, e.g. 4G or 512M "
        "(default 4G). Past it, that file is reported unreadable and the others go on.",
        show_default=False,
    ),
]
FileTimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--file-timeout",
        metavar="SECONDS",
        min=0.001,
        help="Seconds one file may take to be read and checked (default 300). "
        "Past it, that file is reported unreadable and the others go on.",
        show_default=False,
    ),
]


def isolation_limits(max_memory: str | None, file_timeout: float | None) -> Limits:
    """The --max-memory and --file-timeout values as worker limits."""
    from compliance.errors import UsageError
    from compliance.isolation import DEFAULT_FILE_TIMEOUT, DEFAULT_MAX_MEMORY, Limits, parse_size

    try:
        memory = parse_size(max_memory) if max_memory is not None else DEFAULT_MAX_MEMORY
    except ValueError:
        key = "max_memory_zero" if max_memory and max_memory[:1].isdigit() else "max_memory_bad"
        raise UsageError(key, value=repr(max_memory)) from None
    return Limits(memory, file_timeout if file_timeout is not None else DEFAULT_FILE_TIMEOUT)
