"""The progress page (``compliance progress --format html``): how much of the
baseline gap is closed, by region, against the target, with bars."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compliance import labels
from compliance.dates import local_time
from compliance.progress import Progress
from compliance.render.html import document
from compliance.render.html.header import header
from compliance.render.html.provenance import provenance
from compliance.render.html.svg import bar_chart, meter
from compliance.render.html.text import esc, h
from compliance.render.progress import common, standards

if TYPE_CHECKING:
    from compliance.attestation import Attestation


#: Swings listed on the page; the rest are counted (the xlsx and JSON have them all).
MAX_SWINGS = 500


def by_standard(progress: Progress, lang: str) -> str:
    """Every standard's changes (as the terminal shows them), the communities behind
    them, and the interpretation choices with the net or gross gap closure used."""
    heads = [esc(x) for x in standards.headers(lang)]
    numeric = range(1, len(heads))
    body = [
        document.row([esc(v) for v in row], numeric=numeric)
        for row in standards.rows(progress, lang)
    ]
    content = document.table(heads, body, numeric=numeric, cls="tight")
    content += "".join(f'<p class="mut">{esc(x)}</p>' for x in standards.listed(progress, lang))
    choices = standards.interpretations(progress, lang)
    if choices:
        content += f"<h3>{esc(standards.text('interpretations', lang))}</h3><ul>"
        content += "".join(f"<li>{esc(x)}</li>" for x in choices) + "</ul>"
    return document.section(
        "standards",
        esc(standards.text("by_standard", lang)),
        esc(standards.text("by_standard", "en" if lang == "zh" else "zh")),
        content,
    )


def swings(progress: Progress, lang: str) -> str:
    """Figures that moved by more than the swing share (大起大落), each to explain."""
    content = f"<p>{esc(standards.swing_note(progress, lang))}</p>"
    found = progress.swings
    if found:
        head = [h("cell", lang), esc(standards.text("message", lang))]
        body = [
            document.row([f'<span class="cell nw">{esc(p.cell)}</span>', esc(p.message(lang))])
            for p in found[:MAX_SWINGS]
        ]
        content += document.table(head, body)
        if len(found) > MAX_SWINGS:
            content += (
                f'<p class="mut">{h("more_rows", lang, n=f"{len(found) - MAX_SWINGS:,}")}</p>'
            )
    return document.section(
        "swings",
        esc(standards.text("swings", lang)),
        esc(standards.text("swings", "en" if lang == "zh" else "zh")),
        content,
    )


def progress_page(progress: Progress, lang: str, attestation: Attestation | None = None) -> str:
    heads = common.headers(progress, lang)
    width = len(heads) - len(common.COLUMNS)
    share_col = width + [k for k, _ in common.COLUMNS].index("pg_closed_share")
    body: list[str] = []
    for region in common.rows(progress):
        cells = [
            esc(x) for x in (*common.names(progress, region, lang), *common.text_values(region))
        ]
        share = region.closed_share
        cells[share_col] += " " + meter(share, kind="rate", label=labels.percent(share), width=70)
        body.append(
            document.row(cells, numeric=range(width, len(heads)), cls="" if region.key else "total")
        )
    table = document.table(
        [esc(x) for x in heads], body, numeric=range(width, len(heads)), cls="tight"
    )
    items = [
        (common.names(progress, r, lang)[-1], r.closed_share or 0.0, labels.percent(r.closed_share))
        for r in progress.regions[:25]
    ]
    chart = (
        bar_chart(
            labels.t("pg_closed_share", lang),
            items,
            kind="rate",
            full=1.0,
            marker=(
                progress.target,
                f"{labels.t('pg_target_col', lang)} {labels.percent(progress.target)}",
            ),
        )
        if items
        else ""
    )
    intro = "".join(f"<p>{esc(line)}</p>" for line in (common.target_line(progress, lang),))
    notes = "".join(f"<p>{esc(line)}</p>" for line in common.notes(progress, lang))
    listed = "".join(f"<p>{esc(line)}</p>" for line in common.listed(progress, lang))
    sections = [
        document.titled("progress", "progress_regions", lang, intro + table + chart + notes),
        document.titled("changes", "changes", lang, listed) if listed else "",
        by_standard(progress, lang),
        swings(progress, lang),
        provenance([progress.baseline, progress.current], lang),
    ]
    _, head = header([progress.baseline, progress.current], lang, attestation)
    subtitle = [
        common.snapshots(progress, lang, names=True),
        f"{progress.current.ruleset.label} · {h('run_at', lang)} "
        f"{local_time(progress.current.started_at)}",
    ]
    return document.page(common.title(progress, lang), lang, subtitle, sections, head)
