"""The terminal report's sections for the office's review loop: the verdict on each
return, the communities found in more than one input, and the coverage of the
expected list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from compliance.labels import t
from compliance.render.safety import terminal_text
from compliance.render.verdicts import STYLE, verdict_lines
from compliance.results import Report

if TYPE_CHECKING:
    from rich.console import Console


def print_office(report: Report, lang: str, console: Console) -> None:
    """Every office section the report has something for."""
    print_verdicts(report, lang, console)
    print_duplicates(report, lang, console)


def print_verdicts(report: Report, lang: str, console: Console) -> None:
    """The verdict on each return (审核结论), one line per input."""
    lines = verdict_lines(report, lang)
    if not lines:
        return
    console.print()
    console.print(Text(t("verdict_title", lang), style="bold"))
    for status, line in lines:
        console.print(Text(terminal_text(f"  {line}"), style=STYLE[status]))


def print_duplicates(report: Report, lang: str, console: Console) -> None:
    """Which inputs share communities, and which copy was counted (and why)."""
    from compliance.duplicates import pairs

    if not report.duplicates:
        return
    console.print()
    console.print(Text(t("duplicates_title", lang), style="bold yellow"))
    rule = t("duplicates_rule", lang, rule=t("duplicates_rule_text", lang))
    console.print(terminal_text(f"  {rule}"))
    for dropped, kept, why, n in pairs(report.duplicates):
        line = t(
            "duplicates_pair",
            lang,
            n=n,
            dropped=Path(dropped).name,
            kept=Path(kept).name,
            reason=t(f"duplicates_reason_{why}", lang),
        )
        console.print(terminal_text(f"  {line}"))
