"""The terminal report's sections for the office's review loop: the verdict on each
return, the communities found in more than one input, and the coverage of the
expected list."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from compliance.labels import t
from compliance.render.safety import terminal_text
from compliance.render.verdicts import STYLE, verdict_lines
from compliance.results import Report

if TYPE_CHECKING:
    from rich.console import Console


def print_banner(report: Report, lang: str, console: Console) -> None:
    """The banner (:mod:`compliance.render.banner`) first, then a blank line."""
    from compliance.render.banner import lines

    said = lines(report, lang)
    if not said:
        return
    console.print(Text(t("banner_title", lang), style="bold"))
    for line in said:
        style = "bold red" if line.grave else "yellow"
        for part in wrap_cells(terminal_text(f"! {line.text}"), console.width):
            console.print(Text(part, style=style), soft_wrap=True)
    console.print()


#: A run of printable ASCII (a word, a number, a file name), a run of spaces, or any
#: other single character: the units a line is broken between.
_TOKENS = re.compile(r"[\x21-\x7e]+|\s+|.")


def wrap_cells(text: str, width: int, indent: str = "  ") -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells, the later ones indented:
    broken between Chinese characters or at spaces, never inside an English word (one
    longer than a line is cut), and never before a closing mark (、，。）…), which takes
    the character before it along. rich breaks only at spaces, so a line with one space
    before a run of Chinese broke there ("! 8" / "份报表需退回修改…")."""
    width = max(width, len(indent) + 4)
    lines: list[str] = []
    line: list[str] = []
    for token in _TOKENS.findall(text):
        if cell_len("".join(line) + token) <= width:
            line.append(token)
            continue
        carried: list[str] = []
        if token in _CLOSING and len(line) > 2:
            carried = [line.pop()]
        if "".join(line).strip():
            lines.append("".join(line).rstrip())
            line = [indent, *carried]
        if token.isspace():
            continue
        while cell_len("".join(line) + token) > width:  # longer than a whole line: cut it
            room = width - cell_len("".join(line))
            cut = next(i for i in range(len(token), 0, -1) if cell_len(token[:i]) <= room)
            lines.append("".join(line) + token[:cut])
            line, token = [indent], token[cut:]
        line.append(token)
    if "".join(line).strip():
        lines.append("".join(line).rstrip())
    return lines


#: Marks a line does not start with.
_CLOSING = frozenset("、，。；：）》」』”’！？,.;:)")


def print_office(report: Report, lang: str, console: Console) -> None:
    """Every office section the report has something for."""
    print_verdicts(report, lang, console)
    print_duplicates(report, lang, console)
    print_coverage(report, lang, console)


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


#: Names shown per district and kind; the JSON report has them all.
NAMES_SHOWN = 30


def print_coverage(report: Report, lang: str, console: Console) -> None:
    """The expected communities no input has, and those no list has, per district."""
    cov = report.coverage
    if cov is None:
        return
    console.print()
    console.print(Text(t("coverage_title", lang), style="bold yellow"))
    head = t("coverage_list", lang, file=Path(cov.path).name, expected=cov.expected)
    counts = t("coverage_counts", lang, missing=len(cov.missing), unexpected=len(cov.unexpected))
    console.print(terminal_text(f"  {head}{'；' if lang == 'zh' else '; '}{counts}"))
    if not cov.missing and not cov.unexpected:
        console.print(f"  {t('coverage_none', lang)}")
        return
    sep = "、" if lang == "zh" else ", "
    for key, items in (
        ("coverage_missing", [(m.district, m.name) for m in cov.missing]),
        ("coverage_unexpected", [(u.district, u.name) for u in cov.unexpected]),
    ):
        if not items:
            continue
        console.print(f"  {t(key, lang)}")
        for district in cov.districts():
            names = [name for d, name in items if d == district]
            if not names:
                continue
            shown = sep.join(names[:NAMES_SHOWN])
            if len(names) > NAMES_SHOWN:
                shown += sep + t("more_names", lang, n=len(names) - NAMES_SHOWN)
            where = district or t("coverage_no_district", lang)
            line = t("coverage_district", lang, district=where, names=shown)
            console.print(terminal_text(f"    {line}"))
