"""The communities that fall short, each with its shortfalls and their cells, and
the data problems. Only those rows are visited and written, worst first, up to a
limit: a page of 100,000 communities helps nobody."""

from __future__ import annotations

from collections.abc import Iterator

from compliance import labels
from compliance.labels import field_label
from compliance.model import Finding, Outcome, RecordResult
from compliance.render.common import needing_attention, ordered, row_names
from compliance.render.html import document
from compliance.render.html.text import esc, h
from compliance.render.shortfall import shortfall_text
from compliance.results import Report
from compliance.rules.model import Rule

#: Communities (and data problems) listed on the page; the rest are counted.
LIMIT = 500

_SHOWN = (Outcome.FAIL, Outcome.UNKNOWN, Outcome.NOT_YET_DUE, Outcome.WAIVED)
_CLASS = {Outcome.FAIL: "fail", Outcome.UNKNOWN: "unknown"}


def _finding(f: Finding, rule: Rule, rr: RecordResult, lang: str) -> str:
    text = shortfall_text(f, rule, rr.record.values, lang=lang)
    if f.outcome in (Outcome.NOT_YET_DUE, Outcome.WAIVED):
        text = (
            f"{labels.outcome(f.outcome, lang)}：{text}"
            if lang == "zh"
            else f"{labels.outcome(f.outcome, lang)}: {text}"
        )
    # An unknown's reason already names its cells.
    shown = () if f.outcome is Outcome.UNKNOWN else f.cells
    cells = " ".join(f'<span class="cell">{esc(c)}</span>' for c in shown if c)
    cls = _CLASS.get(f.outcome, "mut")
    return f'<li><b>{esc(rule.short(lang))}</b> <span class="{cls}">{esc(text)}</span> {cells}</li>'


def _attention(report: Report) -> Iterator[RecordResult]:
    yield from needing_attention(report)
    yield from (rr for rr in ordered(report.groups) if rr.needs_attention)


def short_list(report: Report, lang: str, limit: int = LIMIT) -> str:
    """The section listing communities that fall short or are unknown."""
    rules = {r.id: r for r in report.rules}
    multi = len(report.checks) > 1
    head = [h("community", lang), h("region", lang), h("row", lang), h("shortfalls", lang)]
    if multi:
        head.insert(0, h("file", lang))
    body: list[str] = []
    more = 0
    for rr in _attention(report):
        if len(body) >= limit:
            more += 1
            continue
        rec = rr.record
        region = " / ".join(
            str(rec.values[k]) for k in ("district", "subdistrict") if rec.values.get(k)
        )
        items = "".join(
            _finding(f, rules[f.rule], rr, lang) for f in rr.findings if f.outcome in _SHOWN
        )
        where = labels.row_label(rec.sheet, rec.row, lang)
        cells = [esc(rec.name), esc(region), esc(where), f'<ul class="gaps">{items}</ul>']
        if multi:
            cells.insert(0, esc(rec.source.rsplit("/", 1)[-1]))
        body.append(document.row(cells))
    if not body:
        content = f"<p>{h('none_short', lang)}</p>"
    else:
        content = document.table(head, body)
        if more:
            content += f'<p class="mut">{h("more_rows", lang, n=f"{more:,}")}</p>'
    return document.titled("short", "short_list", lang, content)


def problems(report: Report, lang: str, limit: int = LIMIT) -> str:
    """The data problems of every input, and the inputs that could not be read."""
    multi = len(report.checks) > 1
    head = [
        h("cell", lang),
        h("community", lang),
        h("field", lang),
        h("problem", lang),
        h("raw", lang),
    ]
    if multi:
        head.insert(0, h("file", lang))
    body: list[str] = []
    more = 0
    for check in report.checks:
        if not check.problems:
            continue
        names = row_names(check)
        for p in sorted(check.problems, key=lambda p: p.row or 0):
            if len(body) >= limit:
                more += 1
                continue
            cells = [
                f'<span class="cell">{esc(p.cell)}</span>',
                esc(names.get(p.row or -1, "")),
                esc(field_label(p.field, lang) if p.field else ""),
                esc(p.message(lang)),
                f"<code>{esc(p.raw)}</code>" if p.raw else "",
            ]
            if multi:
                cells.insert(0, esc(check.source.path.rsplit("/", 1)[-1]))
            body.append(document.row(cells))
    for failure in report.failures:
        cells = ["", "", "", esc(f"{labels.t('unreadable', lang)}: {failure.message}"), ""]
        if multi:
            cells.insert(0, esc(failure.path))
        else:
            cells[0] = esc(failure.path)
        body.append(document.row(cells))
    unknown = sum(c.unknown for c in report.counts())
    note = ""
    if unknown:
        note = f'<p class="mut">{h("unknowns_above", lang, n=f"{unknown:,}")}</p>'
    if not body:
        return document.titled(
            "problems", "problems", lang, f"<p>{h('no_problems', lang)}</p>{note}"
        )
    content = document.table(head, body)
    if more:
        content += f'<p class="mut">{h("more_rows", lang, n=f"{more:,}")}</p>'
    return document.titled("problems", "problems", lang, content + note)
