"""The terminal summary: shortfall per standard, per region, and the largest gaps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from compliance import labels
from compliance.labels import t
from compliance.render.console import report_console
from compliance.render.safety import terminal_text
from compliance.render.summary import common
from compliance.render.table_layout import first_column_width, wrap
from compliance.render.table_office import print_banner, print_office
from compliance.summary import RuleTotals, Summary, gap_shares

if TYPE_CHECKING:
    from typing import TextIO

    from rich.console import JustifyMethod

    from compliance.render import RenderOptions
    from compliance.results import Report

#: Regions listed in the ranking.
TOP = 10


def by_rule_table(summary: Summary, lang: str, width: int = 120) -> Table:
    """One row per standard over all communities: failing, share, unknown, shortfall.

    Figures never split; the standard's name takes the width left, wrapped between
    words or Chinese characters, never inside a number.
    """
    table = Table(
        title=t("by_rule_title", lang), box=box.SIMPLE_HEAD, show_edge=False, title_justify="left"
    )
    pending = common.any_pending(summary)
    rows = [
        [
            str(rt.failed),
            labels.percent(rt.fail_share),
            *([str(rt.not_yet_due)] if pending else []),
            str(rt.unknown),
            common.gap_text(rt, lang),
        ]
        for rt in summary.total.rules
    ]
    heads: list[tuple[str, str]] = [
        (t("failing", lang), "red"),
        (t("fail_share", lang), ""),
        *([(t("not_yet_due_col", lang), "magenta")] if pending else []),
        (t("unknown_col", lang), "yellow"),
        (t("gap", lang), ""),
    ]
    needs = [max(cell_len(h), *(cell_len(r[i]) for r in rows)) for i, (h, _) in enumerate(heads)]
    name_w = first_column_width(width, needs, cap=44)
    table.add_column(t("rule", lang), no_wrap=True, width=name_w)
    for head, style in heads:
        table.add_column(head, justify="right", style=style, no_wrap=True)
    for rt, row in zip(summary.total.rules, rows, strict=True):
        name = "\n".join(wrap(common.rule_name(summary, rt.rule, lang), name_w))
        table.add_row(name, *row)
    return table


def _rule_cell(rt: RuleTotals) -> Text:
    """The gap over the failing (✗), not yet due (⏳) and unknown (?) communities."""
    text = Text(common.gap_number(rt) if rt.short else "–", style="bold" if rt.short else "dim")
    text.append("\n" + common.counts(rt), style="dim")
    return text


@dataclass(frozen=True, slots=True)
class _Column:
    header: str
    cells: list[Text]
    style: str = ""
    justify: JustifyMethod = "right"

    @property
    def width(self) -> int:
        lines = [ln for c in [Text(self.header), *self.cells] for ln in c.plain.split("\n")]
        return max(cell_len(ln) for ln in lines)


def _region_columns(summary: Summary, lang: str) -> list[_Column]:
    regions = [*summary.regions, summary.total]
    cols = []
    for i, lv in enumerate(summary.levels):
        names = [
            Text(terminal_text(n))
            for r in summary.regions
            for n in common.region_names(r, lang)[i : i + 1]
        ]
        total = Text(t("total_row", lang) if i == 0 else "", style="bold")
        cols.append(_Column(common.level_header(lv, lang), [*names, total], justify="left"))

    def count(header: str, values: list[str], style: str = "") -> _Column:
        return _Column(t(header, lang), [Text(v) for v in values], style)

    cols.append(count("communities", [str(r.communities) for r in regions]))
    cols.append(count("compliant", [str(r.compliant) for r in regions], "green"))
    cols.append(count("compliance_rate", [labels.percent(r.compliant_share) for r in regions]))
    cols.append(count("unknown_col", [str(r.unknown) for r in regions], "yellow"))
    if common.any_pending(summary):
        cols.append(count("not_yet_due_col", [str(r.pending) for r in regions], "magenta"))
    return cols


def _rule_columns(summary: Summary, lang: str) -> list[_Column]:
    regions = [*summary.regions, summary.total]
    cols = []
    for rule in summary.rules:
        unit = common.gap_unit(summary.total.rule(rule.id), lang)
        cells = [_rule_cell(r.rule(rule.id)) for r in regions]
        cols.append(_Column(f"{rule.short(lang)}\n{unit}", cells))
        if summary.cost is not None and rule.id == summary.cost.rule:
            costs = [Text(labels.number(round(r.cost or 0))) for r in regions]
            cols.append(_Column(t("cost", lang), costs))
    return cols


def _pack(fixed: list[_Column], rest: list[_Column], width: int) -> list[list[_Column]]:
    """Split the standards' columns over as few tables as fit the width; each table
    repeats the region names, the first also has the counts."""
    names = [c for c in fixed if c.justify == "left"]
    tables: list[list[_Column]] = []
    current = list(fixed)
    used = sum(c.width + 3 for c in current)
    for col in rest:
        if used + col.width + 3 > width and len(current) > (len(names) if tables else len(fixed)):
            tables.append(current)
            current = list(names)
            used = sum(c.width + 3 for c in current)
        current.append(col)
        used += col.width + 3
    tables.append(current)
    return tables


def by_region_tables(summary: Summary, lang: str, width: int) -> list[Table]:
    """One row per region and a total row; each standard's gap in its unit with the
    failing (✗) and unknown (?) communities under it. Split over several tables
    when the standards do not fit the width."""
    title = t("by_region_title", lang, level=common.level_name(summary.by, lang))
    out = []
    for i, cols in enumerate(
        _pack(_region_columns(summary, lang), _rule_columns(summary, lang), width)
    ):
        table = Table(
            title=title + (" (…)" if i else ""),
            box=box.SIMPLE_HEAD,
            show_edge=False,
            title_justify="left",
        )
        for c in cols:
            table.add_column(c.header, justify=c.justify, style=c.style, no_wrap=True)
        rows = len(summary.regions) + 1
        for r in range(rows):
            if r == rows - 1:
                table.add_section()
            table.add_row(*(c.cells[r] for c in cols))
        out.append(table)
    return out


def ranking_table(summary: Summary, lang: str, top: int = TOP) -> Table | None:
    """The regions with the largest gap in the headline standard (premises)."""
    rid = summary.headline_rule
    ranked = summary.ranking(top=top)
    if rid is None or not ranked or summary.by is None:
        return None
    name = common.in_sentence(common.rule_name(summary, rid, lang, short=True), lang)
    title = t("ranking_title", lang, rule=name, level=common.level_name(summary.by, lang))
    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, title_justify="left")
    table.add_column(t("rank", lang), justify="right")
    table.add_column(t("region", lang))
    unit = common.gap_unit(summary.total.rule(rid), lang)
    table.add_column(f"{t('gap', lang)} ({unit})", justify="right")
    table.add_column(t("short_communities", lang), justify="right")
    table.add_column(t("gap_share", lang), justify="right")
    shares = gap_shares(summary)
    for i, region in enumerate(ranked, 1):
        rt = region.rule(rid)
        table.add_row(
            str(i),
            terminal_text(common.region_label(region, lang)),
            common.gap_number(rt),
            str(rt.short),
            labels.percent(shares.get(region.key)),
        )
    return table


def render(summary: Summary, report: Report, options: RenderOptions, out: TextIO) -> None:
    """Print the summary for a terminal (or a plain-text file)."""
    lang = options.lang
    console = report_console(out, options)
    rs = report.ruleset
    print_banner(report, lang, console)
    console.print(
        Text(t("summary_heading", lang, ruleset=f"{rs.title(lang)} ({rs.label})"), style="bold")
    )
    for path in summary.inputs:
        console.print(Text(f"{t('cover_inputs', lang)}: {path}", style="dim"))
    if rs.illustrative:
        console.print(Text(t("illustrative", lang), style="bold yellow"))
    console.print()
    console.print(by_rule_table(summary, lang, console.width))
    if summary.headline_rule is not None:
        # The figure a provincial report quotes: "1128 communities (40.5%) under 350 m²".
        console.print(common.headline(summary, summary.total.rule(summary.headline_rule), lang))
    console.print(common.compliant_line(summary.total, lang))
    console.print()
    if summary.regions:
        for table in by_region_tables(summary, lang, console.width):
            console.print(table)
        console.print(Text(t("summary_legend", lang), style="dim"))
        console.print()
    ranking = ranking_table(summary, lang)
    if ranking is not None:
        console.print(ranking)
        console.print()
    for line in common.notes(summary, report, lang):
        console.print(line)
    print_office(report, lang, console)
    if report.failures:
        console.print()
        console.print(Text(t("unreadable", lang), style="bold red"))
        for f in report.failures:
            console.print(f"  {f.text(lang)}")
