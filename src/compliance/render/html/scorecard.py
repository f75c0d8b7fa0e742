"""The headline tiles and the scorecard: per standard, how many communities pass,
fail, are unknown, waived or not yet due, as counts, shares and a stacked bar."""

from __future__ import annotations

from compliance import labels
from compliance.model import Outcome
from compliance.render.common import community_count, group_tables, shortfall_texts
from compliance.render.html import document
from compliance.render.html.svg import stacked
from compliance.render.html.text import esc, h
from compliance.results import Report, RuleCount

#: Scorecard columns: (outcome, RuleCount attribute, colour key).
_KINDS = (
    (Outcome.PASS, "passed", "pass"),
    (Outcome.FAIL, "failed", "fail"),
    (Outcome.UNKNOWN, "unknown", "unknown"),
    (Outcome.WAIVED, "waived", "waived"),
    (Outcome.NOT_YET_DUE, "not_yet_due", "not_yet_due"),
    (Outcome.NOT_APPLICABLE, "not_applicable", "na"),
)


def tiles(report: Report, lang: str) -> str:
    """Four figures at the top: communities checked, passing, failing, unknown."""
    o = report.overall()
    items = (
        ("", community_count(report), "tiles_total"),
        ("pass", o[Outcome.PASS], "tiles_pass"),
        ("fail", o[Outcome.FAIL], "tiles_fail"),
        ("unknown", o[Outcome.UNKNOWN], "tiles_unknown"),
    )
    return (
        '<div class="tiles">'
        + "".join(
            f'<div class="tile {cls}"><b>{n:,}</b><span>{h(key, lang)}</span></div>'
            for cls, n, key in items
        )
        + "</div>"
    )


def _cell(n: int, total: int) -> str:
    if not n:
        return '<span class="mut">0</span>'
    return f'{n:,} <span class="mut">({esc(labels.percent(n / total))})</span>'


def legend(lang: str) -> str:
    return (
        '<div class="legend">'
        + "".join(
            f'<span><i class="k-{key}"></i>{esc(labels.outcome(o, lang))}</span>'
            for o, _, key in _KINDS
        )
        + "</div>"
    )


def scorecard(report: Report, lang: str) -> str:
    """The scorecard section."""
    rules = {r.id: r for r in report.rules}
    gaps = shortfall_texts(report, lang)
    group_gaps = shortfall_texts(report, lang, group_tables(report))
    head = [
        h("rule", lang),
        *(esc(labels.outcome(o, lang)) for o, _, _ in _KINDS),
        h("shortfall", lang),
        "",
    ]
    body: list[str] = []
    for count in report.counts():
        rule = rules[count.rule]
        total = _total(count)
        parts = [(key, getattr(count, attr)) for _, attr, key in _KINDS]
        cells = [
            f'<b>{esc(rule.short(lang))}</b><br><span class="mut full">{esc(rule.title(lang))}</span>',
            *(_cell(n, total) for _, n in parts),
            esc(gaps.get(rule.id) or group_gaps.get(rule.id) or "–"),
            stacked(parts, label=rule.short(lang)),
        ]
        body.append(document.row(cells, numeric=range(1, 8)))
    content = legend(lang) + document.table(head, body, numeric=range(1, 8))
    return tiles(report, lang) + document.titled("scorecard", "scorecard", lang, content)


def _total(count: RuleCount) -> int:
    return (
        count.passed
        + count.failed
        + count.unknown
        + count.waived
        + count.not_yet_due
        + count.not_applicable
    ) or 1
