"""Parts of the terminal report: the coloured marks, deadlines, sub-district rules,
waivers and the detail lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from compliance import labels
from compliance.labels import t
from compliance.model import Outcome
from compliance.render import rows as found
from compliance.render.common import mark
from compliance.render.safety import terminal_text
from compliance.results import Report

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping
    from typing import Any

    import polars as pl

    from compliance.render import RenderOptions
    from compliance.rules.model import Rule

#: The colour of each outcome on a terminal.
STYLE: dict[str, str] = {
    Outcome.PASS: "green",
    Outcome.FAIL: "bold red",
    Outcome.UNKNOWN: "yellow",
    Outcome.NOT_YET_DUE: "magenta",
    Outcome.WAIVED: "cyan",
    Outcome.NOT_APPLICABLE: "dim",
}


def cell(outcome: str | None, shortfall: float | None) -> Text:
    """A finding's mark (render/common.py), coloured by outcome."""
    return Text(mark(outcome, shortfall), style=STYLE[outcome] if outcome is not None else "")


def lifecycle_note(f: Mapping[str, Any], rule: Rule, lang: str) -> str:
    """'; not yet due (due 2010-04)' or '; waived: reason' for a detail line."""
    if f["outcome"] == Outcome.NOT_YET_DUE:
        return "; " + t("not_yet_due_until", lang, date=rule.deadline or "")
    if f["outcome"] == Outcome.WAIVED:
        return "; " + labels.reason(f, lang)
    return ""


def print_as_of(report: Report, lang: str, console: Console) -> None:
    """The date deadlines were judged against, and each rule's deadline."""
    due = [r for r in report.rules if r.deadline]
    if report.as_of is None and not due:
        return
    parts = []
    if report.as_of is not None:
        parts.append(f"{t('as_of', lang)}: {report.as_of.isoformat()}")
    if due:
        parts.append(
            f"{t('deadline', lang)}: " + ", ".join(f"{r.short(lang)} {r.deadline}" for r in due)
        )
    console.print(Text(" · ".join(parts), style="dim"))


def print_subdistricts(report: Report, options: RenderOptions, console: Console) -> None:
    """The sub-district rules: a line per rule, and the failing or unknown sub-districts."""
    import polars as pl

    rules = [r for r in report.rules if r.level == "subdistrict"]
    if not rules:
        return
    parts = found.subdistricts(report)
    lang = options.lang
    console.print()
    console.print(Text(t("subdistrict_title", lang), style="bold"))
    counts: dict[str, dict[str, int]] = {}
    for p in parts:
        for rule, per in p.table.counts().items():
            mine = counts.setdefault(rule, {})
            for outcome, n in per.items():
                mine[outcome] = mine.get(outcome, 0) + n
    for r in rules:
        per = counts.get(r.id, {})
        console.print(
            "  "
            + t(
                "subdistrict_failing",
                lang,
                rule=r.title(lang),
                failed=per.get("fail", 0),
                unknown=per.get("unknown", 0),
                total=sum(per.values()),
            )
        )
    keys = found.in_order(parts, worst_first=True)
    frame = found.marks(parts, keys, [r.id for r in rules])
    if not options.show_all and frame.height:
        frame = frame.filter(pl.col("worst") != "pass")
    if not frame.height:
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column(t("subdistrict", lang), no_wrap=True)
    table.add_column(t("district", lang), no_wrap=True)
    for r in rules:
        table.add_column(
            f"{r.short(lang)}\n{labels.unit(r.unit, lang)}", justify="right", min_width=3
        )
    table.add_column(t("row", lang), justify="right", style="dim", no_wrap=True)
    multi = len(report.checks) > 1
    for g in frame.iter_rows(named=True):
        where = f"{g['sheet']}!{g['_row']}" if g["sheet"] else str(g["_row"])
        if multi:
            where = f"{g['source'].rsplit('/', 1)[-1]}:{where}"
        table.add_row(
            terminal_text(g["display"]),
            terminal_text(g["district"] or ""),
            *(cell(g[f"o{i}"], g[f"s{i}"]) for i in range(len(rules))),
            where,
        )
    console.print(table)


def print_waivers(report: Report, lang: str, console: Console) -> None:
    """What became of each waiver: applied, expired, unmatched or not needed."""
    if not report.waivers:
        return
    console.print()
    console.print(Text(t("waivers_title", lang), style="bold"))
    styles = {"applied": "cyan", "expired": "yellow", "unmatched": "yellow", "not_needed": "dim"}
    for status in report.waivers:
        w = status.waiver
        state = str(status.state)
        # A pattern (rule = "*") matches several rules of one community: name the
        # community once, and the rules it covered after the pattern.
        names = list(dict.fromkeys(name for name, _ in status.matches))
        rules = list(dict.fromkeys(rule for _, rule in status.matches))
        who = ", ".join(names[:3]) or w.community
        if len(names) > 3:
            who += f" (+{len(names) - 3})"
        rule = f"{w.rule} ({', '.join(rules)})" if len(rules) > 1 else w.rule
        line = t(
            "waiver_line",
            lang,
            community=who,
            rule=rule,
            status=t(f"waiver_{state}", lang),
            reason=w.reason,
            authority=w.approved_by,
            expires=w.expires.isoformat(),
            where=w.where,
        )
        console.print(Text(f"  {line}", style=styles.get(state, "")))


_MARK = {Outcome.NOT_YET_DUE: "⏳", Outcome.WAIVED: "W"}
_SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}


def details(
    report: Report, options: RenderOptions, keys: pl.DataFrame | None = None
) -> Iterator[str]:
    """One line per failing or unknown finding of the listed communities (``keys``,
    default all, failing first) and of the sub-districts: the figures and the derivation."""
    import polars as pl

    lang = options.lang
    rules = {r.id: r for r in report.rules}
    shown = pl.col("outcome").is_in(found.SHOWN)
    communities = found.communities(report)
    groups = found.subdistricts(report)
    listed = found.in_order(communities, worst_first=True) if keys is None else keys
    yield from _detail_lines(found.shown(communities, listed, shown), rules, lang)
    yield from _detail_lines(
        found.shown(groups, found.in_order(groups, worst_first=True), shown), rules, lang
    )
    # What an office does about each standard that falls short (the rule file's remediation).
    failed = {
        rule
        for p in (*communities, *groups)
        for rule, per in p.table.counts().items()
        if per.get("fail")
    }
    for r in report.rules:
        if r.id in failed and (fix := (r.remediation_zh if lang == "zh" else r.remediation_en)):
            yield f"{r.short(lang)} · {'整改建议：' if lang == 'zh' else 'what to do: '}{fix}"


def _detail_lines(
    frames: Iterable[pl.DataFrame], rules: Mapping[str, Rule], lang: str
) -> Iterable[str]:
    for frame in frames:
        for f in frame.iter_rows(named=True):
            r = rules[f["rule"]]
            where = ", ".join(c for c in f["cells"] if c)
            if f["outcome"] == Outcome.UNKNOWN:
                what = labels.reason(f, lang)
            else:
                # "340, needs ≥ 350: short 10 m²" reads better than "340 >= 350 ✗".
                need = f"{_SYMBOL.get(r.compare, r.compare)} {labels.number(f['required'])}"
                short = labels.quantity(f["shortfall"], r.unit, lang)
                sign = _MARK.get(f["outcome"], "✗")
                actual = labels.number(f["actual"])
                what = (
                    f"{sign} {actual}，要求 {need}，缺 {short}"
                    if lang == "zh"
                    else f"{sign} {actual}, needs {need}: short {short}"
                ) + f"  [{f['derivation']}]"
                if f["total"] is not None:
                    what += f" ({labels.quantity(f['total'], r.total_unit, lang)})"
                what += lifecycle_note(f, r, lang)
                if f["notes"]:
                    what += "; " + "; ".join(labels.note(n, lang) for n in f["notes"])
            yield terminal_text(f"{f['display']} · {r.short(lang)} · {where}: {what}")
