"""The totals of the terminal report: the counts and shortfall per standard, fitted
to the width, and the headline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.table import Table

from compliance.labels import t
from compliance.model import Outcome
from compliance.render.common import community_count, group_tables, shortfall_texts
from compliance.render.table_layout import first_column_width, wrap
from compliance.results import Report

if TYPE_CHECKING:
    from compliance.render import RenderOptions


def summary_table(report: Report, options: RenderOptions, width: int = 120) -> Table:
    """The counts per standard and the total shortfall, fitted to ``width`` columns."""
    lang = options.lang
    table = Table(
        title=t("summary_title", lang), box=box.SIMPLE_HEAD, show_edge=False, title_justify="left"
    )
    counts = report.counts()
    # Deadlines and waivers add columns only when they matter for this run.
    pending = any(c.not_yet_due for c in counts)
    waived = any(c.waived for c in counts)
    columns: list[tuple[str, str]] = []
    for key, style in (
        ("pass", "green"),
        ("fail", "red"),
        ("unknown", "yellow"),
        ("not_applicable", "dim"),
        *((("not_yet_due", "magenta"),) if pending else ()),
        *((("waived", "cyan"),) if waived else ()),
    ):
        columns.append((key, style))
    groups = group_tables(report)
    shortfalls = shortfall_texts(report, lang, [*(c.table for c in report.checks), *groups])
    rules = {r.id: r for r in report.rules}
    # Figures never split. The standard's title takes the width left and is wrapped
    # here, between words or Chinese characters but never inside a number ("400").
    figures = [
        max(cell_len(t(key, lang)), len(str(community_count(report) + sum(len(g) for g in groups))))
        for key, _ in columns
    ]
    short_w = max([cell_len(t("shortfall", lang)), *map(cell_len, shortfalls.values())])
    title_w = first_column_width(options.width or width, [*figures, short_w], cap=40)
    table.add_column(t("rule", lang), no_wrap=True, width=title_w)
    for key, style in columns:
        table.add_column(t(key, lang), justify="right", style=style, no_wrap=True)
    table.add_column(t("shortfall", lang), justify="right", no_wrap=True)
    for c in counts:
        r = rules[c.rule]
        short = shortfalls.get(c.rule, "")
        title = r.title(lang)
        if r.severity != "error":
            # Reported, but does not fail the run.
            title += f" ({t('severity_' + r.severity, lang)})"
        table.add_row(
            "\n".join(wrap(title, title_w)),
            str(c.passed),
            str(c.failed),
            str(c.unknown),
            str(c.not_applicable),
            *((str(c.not_yet_due),) if pending else ()),
            *((str(c.waived),) if waived else ()),
            short,
        )
    return table


def headline(report: Report, lang: str) -> str:
    """How many communities pass every standard, fail one, or have unknowns."""
    overall = report.overall()
    return t(
        "overall",
        lang,
        total=community_count(report),
        passed=overall[Outcome.PASS],
        failed=overall[Outcome.FAIL],
        unknown=overall[Outcome.UNKNOWN],
    )
