"""The terminal report: a pass/fail table per community, then a summary per standard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text

from compliance import labels
from compliance.labels import t
from compliance.model import Finding, Outcome, Report
from compliance.render.common import caption, listed, mark, ordered, shortfall_texts
from compliance.render.console import report_console
from compliance.render.table_extras import (
    lifecycle_note,
    print_as_of,
    print_subdistricts,
    print_waivers,
)

if TYPE_CHECKING:
    from typing import TextIO

    from compliance.render import RenderOptions

MAX_PROBLEMS = 20
_MARK = {Outcome.NOT_YET_DUE: "⏳", Outcome.WAIVED: "W"}


_STYLE = {
    Outcome.PASS: "green",
    Outcome.FAIL: "bold red",
    Outcome.UNKNOWN: "yellow",
    Outcome.NOT_YET_DUE: "magenta",
    Outcome.WAIVED: "cyan",
    Outcome.NOT_APPLICABLE: "dim",
}


def cell(f: Finding | None) -> Text:
    """The finding's mark (render/common.py), coloured by outcome."""
    return Text(mark(f), style=_STYLE[f.outcome] if f is not None else "")


def results_table(report: Report, options: RenderOptions) -> tuple[Table, str]:
    lang = options.lang
    rows = listed(report, options.show_all)
    multi = len(report.checks) > 1
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    # Names are short; keep each on one line and let the rule columns take the squeeze.
    table.add_column(t("community", lang), no_wrap=True, max_width=18)
    table.add_column(t("district", lang), no_wrap=True, max_width=10)
    table.add_column(t("subdistrict", lang), no_wrap=True, max_width=10)
    # Sub-district rules have their own table (render/table_extras.py).
    for r in (r for r in report.rules if r.level == "community"):
        u = labels.unit(r.unit, lang)
        table.add_column(f"{r.short(lang)}\n{u}", justify="right", overflow="fold", min_width=3)
    table.add_column(t("row", lang), justify="right", style="dim", no_wrap=True)
    for rr in rows:
        rec = rr.record
        # The sheet is named above the table; a row number is enough here.
        where = str(rec.row)
        if multi:
            where = f"{rec.source.rsplit('/', 1)[-1]}:{where}"
        table.add_row(
            rec.name,
            str(rec.values.get("district") or ""),
            str(rec.values.get("subdistrict") or ""),
            *(cell(f) for f in rr.findings),
            where,
        )
    return table, caption(report, len(rows), options.show_all, lang)


def summary_table(report: Report, options: RenderOptions) -> Table:
    lang = options.lang
    table = Table(
        title=t("summary_title", lang), box=box.SIMPLE_HEAD, show_edge=False, title_justify="left"
    )
    table.add_column(t("rule", lang), overflow="fold", max_width=40)
    counts = report.counts()
    # Deadlines and waivers add columns only when they matter for this run.
    pending = any(c.not_yet_due for c in counts)
    waived = any(c.waived for c in counts)
    for key, style in (
        ("pass", "green"),
        ("fail", "red"),
        ("unknown", "yellow"),
        ("not_applicable", "dim"),
        *((("not_yet_due", "magenta"),) if pending else ()),
        *((("waived", "cyan"),) if waived else ()),
    ):
        table.add_column(t(key, lang), justify="right", style=style)
    table.add_column(t("shortfall", lang), justify="right", overflow="fold")
    shortfalls = shortfall_texts(report, lang, (*report.results, *report.groups))
    rules = {r.id: r for r in report.rules}
    for c in counts:
        r = rules[c.rule]
        short = shortfalls.get(c.rule, "")
        title = r.title(lang)
        if r.severity != "error":
            # Reported, but does not fail the run.
            title += f" ({t('severity_' + r.severity, lang)})"
        table.add_row(
            title,
            str(c.passed),
            str(c.failed),
            str(c.unknown),
            str(c.not_applicable),
            *((str(c.not_yet_due),) if pending else ()),
            *((str(c.waived),) if waived else ()),
            short,
        )
    return table


_SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}


def details(report: Report, options: RenderOptions) -> list[str]:
    """One line per failing or unknown finding: the figures and the derivation."""
    lang = options.lang
    rules = {r.id: r for r in report.rules}
    lines = []
    shown = (Outcome.FAIL, Outcome.UNKNOWN, Outcome.NOT_YET_DUE, Outcome.WAIVED)
    for rr in (*ordered(report.results), *ordered(report.groups)):
        for f in rr.findings:
            if f.outcome not in shown:
                continue
            r = rules[f.rule]
            u = labels.unit(r.unit, lang)
            where = ", ".join(c for c in f.cells if c)
            if f.outcome is Outcome.UNKNOWN:
                what = labels.reason(f, lang)
            else:
                # "340, needs ≥ 350: short 10 m²" reads better than "340 >= 350 ✗".
                need = f"{_SYMBOL.get(r.compare, r.compare)} {labels.number(f.required)}"
                short = labels.number(f.shortfall)
                what = (
                    f"{_MARK.get(f.outcome, '✗')} {labels.number(f.actual)}，要求 {need}，缺 {short} {u}"
                    if lang == "zh"
                    else f"{_MARK.get(f.outcome, '✗')} {labels.number(f.actual)}, needs {need}: short {short} {u}"
                ) + f"  [{f.derivation}]"
                if f.total is not None:
                    what += f" ({labels.number(f.total)} {labels.unit(r.total_unit, lang)})"
                what += lifecycle_note(f, r, lang)
                if f.notes:
                    what += "; " + "; ".join(labels.note(n, lang) for n in f.notes)
            lines.append(f"{rr.record.name} · {r.short(lang)} · {where}: {what}")
    return lines


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    lang = options.lang
    console = report_console(out, options)
    rs = report.ruleset
    for c in report.checks:
        s = c.source
        console.print(
            Text(
                t("table_title", lang, ruleset=f"{rs.title(lang)} ({rs.label})", file=s.path),
                style="bold",
            )
        )
        console.print(
            Text(
                t("source_sheet", lang, sheet=s.sheet, rows="–".join(map(str, s.header_rows))),
                style="dim",
            )
        )
    if rs.illustrative:
        console.print(Text(t("illustrative", lang), style="bold yellow"))
    print_as_of(report, lang, console)
    table, caption = results_table(report, options)
    if table.row_count:
        console.print(table)
    if caption:
        console.print(Text(caption, style="dim"))
    console.print(Text(t("legend", lang), style="dim"))
    console.print()
    console.print(summary_table(report, options))
    overall = report.overall()
    console.print(
        t(
            "overall",
            lang,
            total=len(report.results),
            passed=overall[Outcome.PASS],
            failed=overall[Outcome.FAIL],
            unknown=overall[Outcome.UNKNOWN],
        )
    )
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
            console.print(f"  {n}")
    # Consistency checks (code "review") under their own heading, after the data problems.
    review = [p for p in report.problems if p.code == "review"]
    for key, problems in (
        ("problems", [p for p in report.problems if p.code != "review"]),
        ("review", review),
    ):
        if not problems:
            continue
        console.print()
        console.print(Text(t(key, lang), style="bold yellow"))
        for prob in problems[:MAX_PROBLEMS]:
            console.print(f"  {prob.cell}: {prob.message(lang)}")
        if len(problems) > MAX_PROBLEMS:
            console.print(f"  {t('more_problems', lang, n=len(problems) - MAX_PROBLEMS)}")
    if report.failures:
        console.print()
        console.print(Text(t("unreadable", lang), style="bold red"))
        for f in report.failures:
            console.print(f"  {f.path}: {f.message}")
    console.print()
    if options.details:
        console.print(Text(t("details_title", lang), style="bold"))
        for line in details(report, options):
            console.print(f"  {line}")
    else:
        console.print(Text(t("details_hint", lang), style="dim"))
