"""The page's parts for the office's review loop: the banner at the top, the verdict
on each return, the communities found in more than one input and the coverage of
the expected list (what the table and JSON reports already show)."""

from __future__ import annotations

from pathlib import Path

from compliance.labels import t
from compliance.render.banner import lines
from compliance.render.html import document
from compliance.render.html.text import esc, h
from compliance.render.verdicts import reasons, status_text
from compliance.results import Report
from compliance.verdict import Status, verdicts

_STATUS_CLASS = {
    Status.ACCEPTED: "pass",
    Status.ACCEPTED_WITH_NOTES: "unknown",
    Status.RETURNED: "fail",
}


def banner(report: Report, lang: str) -> str:
    """What needs attention before the figures (nothing when nothing does)."""
    said = lines(report, lang)
    if not said:
        return ""
    items = "".join(
        f'<li class="{"grave" if line.grave else line.kind}">{esc(line.text)}</li>' for line in said
    )
    return (
        f'<aside class="banner" role="note"><b>{h("banner_title", lang)}</b>'
        f"<ul>{items}</ul></aside>"
    )


def verdict_section(report: Report, lang: str) -> str:
    """The verdict on each return, in a table: file, status, what it rests on."""
    judged = verdicts(report)
    if not judged:
        return ""
    head = [h("file", lang), h("verdict_status", lang), h("verdict_why", lang)]
    sep = t("verdict_sep", lang)
    body = [
        document.row(
            [
                esc(Path(path).name),
                f'<b class="{_STATUS_CLASS[v.status]}">{esc(status_text(v.status, lang))}</b>',
                esc(sep.join(reasons(v, lang)) or "–"),
            ]
        )
        for path, v in judged
    ]
    return document.titled("verdicts", "verdict_title", lang, document.table(head, body))


def duplicates_section(report: Report, lang: str) -> str:
    """Which inputs share communities, and which copy was counted."""
    from compliance.duplicates import pairs

    if not report.duplicates:
        return ""
    rule = t("duplicates_rule", lang, rule=t("duplicates_rule_text", lang))
    items = "".join(
        "<li>"
        + esc(
            t(
                "duplicates_pair",
                lang,
                n=n,
                dropped=Path(dropped).name,
                kept=Path(kept).name,
                reason=t(f"duplicates_reason_{why}", lang),
            )
        )
        + "</li>"
        for dropped, kept, why, n in pairs(report.duplicates)
    )
    content = f'<p class="mut">{esc(rule)}</p><ul>{items}</ul>'
    return document.titled("duplicates", "duplicates_title", lang, content)


def coverage_section(report: Report, lang: str) -> str:
    """The listed communities no input has, and those no list has, per district."""
    cov = report.coverage
    if cov is None:
        return ""
    sep = "；" if lang == "zh" else "; "
    head = t("coverage_list", lang, file=Path(cov.path).name, expected=cov.expected)
    counts = t("coverage_counts", lang, missing=len(cov.missing), unexpected=len(cov.unexpected))
    parts = [f"<p>{esc(head + sep + counts)}</p>"]
    if not cov.missing and not cov.unexpected:
        parts.append(f"<p>{h('coverage_none', lang)}</p>")
    names_sep = "、" if lang == "zh" else ", "
    for key, items in (
        ("coverage_missing", [(m.district, m.name) for m in cov.missing]),
        ("coverage_unexpected", [(u.district, u.name) for u in cov.unexpected]),
    ):
        if not items:
            continue
        rows = []
        for district in cov.districts():
            names = [name for d, name in items if d == district]
            if names:
                where = district or t("coverage_no_district", lang)
                rows.append(
                    document.row([esc(where), f"{len(names):,}", esc(names_sep.join(names))], (1,))
                )
        head_cells = [h("district", lang), h("communities", lang), h("community", lang)]
        parts.append(f"<h3>{h(key, lang)}</h3>" + document.table(head_cells, rows, numeric=(1,)))
    return document.titled("coverage", "coverage_title", lang, "".join(parts))
