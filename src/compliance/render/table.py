"""The terminal report: a pass/fail table per community, then a summary per standard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from compliance import labels
from compliance.labels import t
from compliance.render import rows as found
from compliance.render.common import (
    GAP_OUTCOMES,
    community_count,
    marks_column,
    no_communities,
    worst_first,
)
from compliance.render.console import print_lines, report_console
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
    from typing import TextIO

    import polars as pl
    from rich.console import Console

    from compliance.render import RenderOptions

MAX_PROBLEMS = 20


def chosen(report: Report, options: RenderOptions) -> tuple[pl.DataFrame, int]:
    """The communities the table lists (keys, see :mod:`compliance.render.rows`), and
    how many more fall short unlisted.

    By default those that fall short or are unknown, the most failures first (then
    the most unknowns, then input order), up to ``options.limit``; with ``show_all``
    every community in input order.
    """
    if options.show_all:
        return found.in_order(found.communities(report)), 0
    return worst_first(report, options.limit)


#: A region column whose value is the same on every listed row is named once
#: above the table instead ("District: 婺城区"): it would repeat on each line.
_REGIONS = ("district", "subdistrict")
_NAME_CAP = 16
_REGION_CAP = 12


def print_results(
    report: Report, keys: pl.DataFrame, options: RenderOptions, console: Console
) -> None:
    """The table of communities and their marks, in blocks of standards that fit the
    console's width, written line by line (chunks of rows when in several blocks)."""
    import polars as pl

    lang = options.lang
    rules = [r for r in report.rules if r.level == "community"]
    multi = len(report.checks) > 1
    frame = found.marks(found.communities(report), keys, [r.id for r in rules])
    n = len(rules)
    # The texts shown, as columns: name, regions, row and a mark per rule.
    texts = frame.select(
        pl.col("display").map_batches(_terminal, return_dtype=pl.String).alias("name"),
        *(
            pl.col(k).fill_null("").map_batches(_terminal, return_dtype=pl.String).alias(k)
            for k in _REGIONS
        ),
        _where(multi),
        *(marks_column(frame, f"o{i}", f"s{i}").alias(f"m{i}") for i in range(n)),
        *(pl.col(f"o{i}") for i in range(n)),
    )
    # Pass 1: the cell texts' widths, and which region columns vary.
    regions = {k: set(texts[k].unique().to_list()) for k in _REGIONS}
    name_w = _widest(texts["name"])
    where_w = _widest(texts["where"])
    rule_w = [
        _widest(texts.filter(pl.col(f"o{i}").is_in(list(GAP_OUTCOMES)))[f"m{i}"]) for i in range(n)
    ]
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
    height = texts.height
    # One block: stream every row. Several: the rows in chunks, each chunk once per block.
    chunk = height if len(parts) == 1 else _CHUNK
    for start in range(0, max(height, 1), max(chunk, 1)):
        for b, part in enumerate(parts):
            if b or start:
                out.write("\n")
            block = [cols[i] for i in part]
            out.write("\n".join(header(ident, block, bold=color)) + "\n")
            shown = texts.slice(start, chunk).select(
                "name",
                *shown_regions,
                "where",
                *(f"m{i}" for i in part),
                *(f"o{i}" for i in part),
            )
            lines = []
            cut = shown.width - len(part)
            for row in shown.iter_rows():
                styles = [STYLE[o] if o is not None else "" for o in row[cut:]]
                lines.append(join(ident, block, list(row[:cut]), styles, color))
                if len(lines) >= _CHUNK:
                    out.write("\n".join(lines) + "\n")
                    lines.clear()
            if lines:
                out.write("\n".join(lines) + "\n")


#: Rows per chunk when the standards are in several blocks.
_CHUNK = 100


def _terminal(s: pl.Series) -> pl.Series:
    """:func:`terminal_text` of each distinct text of ``s``."""
    import polars as pl

    said = {v: terminal_text(v) for v in s.drop_nulls().unique().to_list()}
    return s.replace_strict(said, default=None, return_dtype=pl.String)


def _widest(s: pl.Series) -> int:
    return max((cell_len(v) for v in s.drop_nulls().unique().to_list()), default=0)


def _where(multi: bool) -> pl.Expr:
    # The sheet is named above the table; a row number is enough here.
    import polars as pl

    row = pl.col("_row").cast(pl.String)
    if not multi:
        return row.alias("where")
    base = pl.col("source").str.split("/").list.last()
    return (base + pl.lit(":") + row).alias("where")


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
    keys, more = chosen(report, options)
    if keys.height:
        print_results(report, keys, options, console)
    for line in _captions(report, keys.height, more, options):
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
        print_lines(console, (f"  {line}" for line in details(report, options, keys)))
    else:
        console.print(Text(t("details_hint", lang), style="dim"))
