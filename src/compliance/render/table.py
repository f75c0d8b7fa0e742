"""The terminal report: a pass/fail table per community, then a summary per standard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from compliance import labels
from compliance.labels import t
from compliance.model import Finding, RecordResult
from compliance.render.common import (
    GAP_OUTCOMES,
    community_count,
    mark,
    no_communities,
    worst_first,
)
from compliance.render.console import report_console
from compliance.render.safety import terminal_text
from compliance.render.table_extras import (
    STYLE,
    details,
    print_as_of,
    print_subdistricts,
    print_waivers,
)
from compliance.render.table_layout import (
    Column,
    blocks,
    fitted,
    header,
    join,
)
from compliance.render.table_office import print_banner, print_office
from compliance.render.table_totals import headline, summary_table
from compliance.results import Report

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from rich.console import Console

    from compliance.render import RenderOptions

MAX_PROBLEMS = 20


def chosen(report: Report, options: RenderOptions) -> tuple[Sequence[RecordResult], int]:
    """The communities the table lists, and how many more fall short unlisted.

    By default those that fall short or are unknown, the most failures first (then
    the most unknowns, then input order), up to ``options.limit``; with ``show_all``
    every community in input order.
    """
    if options.show_all:
        return report.results, 0
    return worst_first(report, options.limit)


#: A region column whose value is the same on every listed row is named once
#: above the table instead ("District: 婺城区"): it would repeat on each line.
_REGIONS = ("district", "subdistrict")
_NAME_CAP = 16
_REGION_CAP = 12


def print_results(
    report: Report, rows: Sequence[RecordResult], options: RenderOptions, console: Console
) -> None:
    """The table of communities and their marks, in blocks of standards that fit the
    console's width, written line by line (chunks of rows when in several blocks)."""
    lang = options.lang
    rules = [r for r in report.rules if r.level == "community"]
    ids = [r.id for r in rules]
    multi = len(report.checks) > 1
    # Pass 1: the cell texts' widths, and which region columns vary.
    regions: dict[str, set[str]] = {k: set() for k in _REGIONS}
    name_w = where_w = 0
    rule_w = [0] * len(rules)
    for rr in rows:
        rec = rr.record
        name_w = max(name_w, cell_len(terminal_text(rec.name)))
        where_w = max(where_w, len(_where(rr, multi)))
        for k in _REGIONS:
            regions[k].add(terminal_text(rec.values.get(k) or ""))
        for i, f in enumerate(_aligned(rr, ids)):
            if f is not None and f.outcome in GAP_OUTCOMES:
                rule_w[i] = max(rule_w[i], cell_len(mark(f)))
    shown_regions = [k for k in _REGIONS if len(regions[k]) > 1]
    for k in _REGIONS:
        if len(regions[k]) == 1 and (only := next(iter(regions[k]))):
            console.print(Text(f"{t(k, lang)}: {only}", style="dim"))
    ident = [
        Column(
            (t("community", lang),), max(min(name_w, _NAME_CAP), cell_len(t("community", lang)))
        ),
        *(
            fitted((t(k, lang),), sorted(regions[k]), right=False, cap=_REGION_CAP)
            for k in shown_regions
        ),
        Column((t("row", lang),), max(where_w, cell_len(t("row", lang))), right=True),
    ]
    cols = [
        Column(
            (r.short(lang), labels.unit(r.unit, lang)),
            max(rule_w[i], 1, cell_len(r.short(lang)), cell_len(labels.unit(r.unit, lang))),
            right=True,
        )
        for i, r in enumerate(rules)
    ]
    parts = blocks(ident, cols, console.width)
    out = console.file
    color = options.color
    # One block: stream every row. Several: the rows in chunks, each chunk once per block.
    chunk = len(rows) if len(parts) == 1 else _CHUNK
    for start in range(0, max(len(rows), 1), max(chunk, 1)):
        for b, part in enumerate(parts):
            if b or start:
                out.write("\n")
            block = [cols[i] for i in part]
            out.write("\n".join(header(ident, block, bold=color)) + "\n")
            lines = []
            for rr in rows[start : start + chunk]:
                rec = rr.record
                found = _aligned(rr, ids)
                texts = [
                    terminal_text(rec.name),
                    *(terminal_text(rec.values.get(k) or "") for k in shown_regions),
                    _where(rr, multi),
                    *(mark(found[i]) for i in part),
                ]
                styles = [
                    STYLE[f.outcome] if f is not None else "" for f in (found[i] for i in part)
                ]
                lines.append(join(ident, block, texts, styles, color))
                if len(lines) >= _CHUNK:
                    out.write("\n".join(lines) + "\n")
                    lines.clear()
            if lines:
                out.write("\n".join(lines) + "\n")


#: Rows per chunk when the standards are in several blocks.
_CHUNK = 100


def _aligned(rr: RecordResult, ids: Sequence[str]) -> list[Finding | None]:
    """The record's finding for each rule id (None where it has none)."""
    head = rr.findings[: len(ids)]
    if [f.rule for f in head] == ids:  # the usual case: findings in rule order
        return list(head)
    return [rr.finding(i) for i in ids]


def _where(rr: RecordResult, multi: bool) -> str:
    # The sheet is named above the table; a row number is enough here.
    rec = rr.record
    return f"{rec.source.rsplit('/', 1)[-1]}:{rec.row}" if multi else str(rec.row)


def _captions(report: Report, shown: int, more: int, options: RenderOptions) -> list[str]:
    lang = options.lang
    if options.show_all:
        return []
    total = community_count(report)
    if not total:
        return [no_communities(report, lang)]
    if not shown:
        return [t("all_pass_rows", lang, total=total)]
    out = [t("listed_worst", lang, shown=shown, total=total)]
    if more:
        out.append(t("more_listed", lang, n=more))
    return out


def render_compact(report: Report, options: RenderOptions, console: Console) -> None:
    """--compact: the per-standard totals and the headline (and unreadable inputs,
    which a report never hides)."""
    print_banner(report, options.lang, console)
    console.print(summary_table(report, options, console.width))
    console.print(headline(report, options.lang))
    print_office(report, options.lang, console)
    _print_failures(report, options.lang, console)


def _print_failures(report: Report, lang: str, console: Console) -> None:
    if report.failures:
        console.print()
        console.print(Text(t("unreadable", lang), style="bold red"))
        for f in report.failures:
            console.print(terminal_text(f"  {f.text(lang)}"))


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    lang = options.lang
    console = report_console(out, options)
    if options.compact:
        render_compact(report, options, console)
        return
    print_banner(report, lang, console)
    rs = report.ruleset
    for c in report.checks:
        s = c.source
        console.print(
            Text(
                t(
                    "table_title",
                    lang,
                    ruleset=f"{rs.title(lang)} ({rs.label})",
                    file=terminal_text(s.path),
                ),
                style="bold",
            )
        )
        console.print(
            Text(
                t(
                    "source_sheet",
                    lang,
                    sheet=terminal_text(s.sheet),
                    rows="–".join(map(str, s.header_rows)),
                ),
                style="dim",
            )
        )
    if rs.illustrative:
        console.print(Text(t("illustrative", lang), style="bold yellow"))
    print_as_of(report, lang, console)
    rows, more = chosen(report, options)
    if rows:
        print_results(report, rows, options, console)
    for line in _captions(report, len(rows), more, options):
        console.print(Text(line, style="dim"))
    console.print(Text(t("legend", lang), style="dim"))
    console.print()
    console.print(summary_table(report, options, console.width))
    console.print(headline(report, lang))
    print_office(report, lang, console)
    print_subdistricts(report, options, console)
    print_waivers(report, lang, console)
    if rs.interpretations:
        console.print()
        console.print(Text(t("interpretations", lang), style="bold"))
        for p in rs.interpretations:
            console.print(f"  {p.label(lang)} = {p.value}: {p.note(lang)}")
    notes = [n for c in report.checks for n in c.source.notes(lang)]
    if notes:
        console.print()
        console.print(Text(t("notes", lang), style="bold"))
        for n in notes:
            console.print(f"  {terminal_text(n)}")
    # Consistency checks (code "review") under their own heading, after the data problems.
    for key, problems in (
        ("problems", [p for p in report.problems if p.code != "review"]),
        ("review", [p for p in report.problems if p.code == "review"]),
    ):
        if not problems:
            continue
        console.print()
        console.print(Text(t(key, lang), style="bold yellow"))
        for prob in problems[:MAX_PROBLEMS]:
            console.print(terminal_text(f"  {prob.cell}: {prob.message(lang)}"))
        if len(problems) > MAX_PROBLEMS:
            console.print(f"  {t('more_problems', lang, n=len(problems) - MAX_PROBLEMS)}")
    _print_failures(report, lang, console)
    console.print()
    if options.details:
        console.print(Text(t("details_title", lang), style="bold"))
        for line in details(report, options, rows):
            console.print(f"  {line}")
    else:
        console.print(Text(t("details_hint", lang), style="dim"))
