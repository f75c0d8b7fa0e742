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
from compliance.model import Finding, Outcome, RecordResult
from compliance.render.common import mark, ordered
from compliance.render.safety import terminal_text
from compliance.results import Report

if TYPE_CHECKING:
    from collections.abc import Sequence

    from compliance.render import RenderOptions
    from compliance.rules.model import Rule

_ORDER = {Outcome.FAIL: 0, Outcome.UNKNOWN: 1, Outcome.NOT_YET_DUE: 2, Outcome.PASS: 3}

#: The colour of each outcome on a terminal.
STYLE = {
    Outcome.PASS: "green",
    Outcome.FAIL: "bold red",
    Outcome.UNKNOWN: "yellow",
    Outcome.NOT_YET_DUE: "magenta",
    Outcome.WAIVED: "cyan",
    Outcome.NOT_APPLICABLE: "dim",
}


def cell(f: Finding | None) -> Text:
    """The finding's mark (render/common.py), coloured by outcome."""
    return Text(mark(f), style=STYLE[f.outcome] if f is not None else "")


def lifecycle_note(f: Finding, rule: Rule, lang: str) -> str:
    """'; not yet due (due 2010-04)' or '; waived: reason' for a detail line."""
    if f.outcome is Outcome.NOT_YET_DUE:
        return "; " + t("not_yet_due_until", lang, date=rule.deadline or "")
    if f.outcome is Outcome.WAIVED:
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
    groups = report.groups
    rules = [r for r in report.rules if r.level == "subdistrict"]
    if not rules:
        return
    lang = options.lang
    console.print()
    console.print(Text(t("subdistrict_title", lang), style="bold"))
    for r in rules:
        found = [f for g in groups for f in g.findings if f.rule == r.id]
        failed = sum(f.outcome is Outcome.FAIL for f in found)
        unknown = sum(f.outcome is Outcome.UNKNOWN for f in found)
        console.print(
            "  "
            + t(
                "subdistrict_failing",
                lang,
                rule=r.title(lang),
                failed=failed,
                unknown=unknown,
                total=len(found),
            )
        )
    shown = sorted(
        (g for g in groups if options.show_all or g.worst is not Outcome.PASS),
        key=lambda g: _ORDER[g.worst],
    )
    if not shown:
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
    for g in shown:
        rec = g.record
        where = f"{rec.sheet}!{rec.row}" if rec.sheet else str(rec.row)
        if multi:
            where = f"{rec.source.rsplit('/', 1)[-1]}:{where}"
        table.add_row(
            terminal_text(rec.name),
            terminal_text(rec.values.get("district") or ""),
            *(cell(g.finding(r.id)) for r in rules),
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
    report: Report, options: RenderOptions, rows: Sequence[RecordResult] | None = None
) -> list[str]:
    """One line per failing or unknown finding of the listed communities (``rows``,
    default all) and of the sub-districts: the figures and the derivation."""
    lang = options.lang
    rules = {r.id: r for r in report.rules}
    lines = []
    shown = (Outcome.FAIL, Outcome.UNKNOWN, Outcome.NOT_YET_DUE, Outcome.WAIVED)
    listed = ordered(report.results) if rows is None else rows
    for rr in (*listed, *ordered(report.groups)):
        for f in rr.findings:
            if f.outcome not in shown:
                continue
            r = rules[f.rule]
            where = ", ".join(c for c in f.cells if c)
            if f.outcome is Outcome.UNKNOWN:
                what = labels.reason(f, lang)
            else:
                # "340, needs ≥ 350: short 10 m²" reads better than "340 >= 350 ✗".
                need = f"{_SYMBOL.get(r.compare, r.compare)} {labels.number(f.required)}"
                short = labels.quantity(f.shortfall, r.unit, lang)
                what = (
                    f"{_MARK.get(f.outcome, '✗')} {labels.number(f.actual)}，要求 {need}，缺 {short}"
                    if lang == "zh"
                    else f"{_MARK.get(f.outcome, '✗')} {labels.number(f.actual)}, needs {need}: short {short}"
                ) + f"  [{f.derivation}]"
                if f.total is not None:
                    what += f" ({labels.quantity(f.total, r.total_unit, lang)})"
                what += lifecycle_note(f, r, lang)
                if f.notes:
                    what += "; " + "; ".join(labels.note(n, lang) for n in f.notes)
            lines.append(terminal_text(f"{rr.record.name} · {r.short(lang)} · {where}: {what}"))
    # What an office does about each standard that falls short (the rule file's remediation).
    failed = {
        f.rule
        for rr in (*report.results, *report.groups)
        for f in rr.findings
        if f.outcome is Outcome.FAIL
    }
    lines += [
        f"{r.short(lang)} · {'整改建议：' if lang == 'zh' else 'what to do: '}{fix}"
        for r in report.rules
        if r.id in failed and (fix := (r.remediation_zh if lang == "zh" else r.remediation_en))
    ]
    return lines
