"""The HTML report: one self-contained file to forward by e-mail or chat.

Inline CSS and inline SVG charts, no script, no font and nothing fetched, so it
opens offline in any browser, a phone's included, and prints on A4 without a
chart cut in half. Sections, one module each: the headline and the scorecard
per standard (:mod:`.scorecard`), the by-region table with bars
(:mod:`.regions`), the communities that fall short and the data problems
(:mod:`.communities`), the rule set with its source sentences, interpretation
choices and remediation (:mod:`.ruleset`), and provenance (:mod:`.provenance`).
``check`` and ``summary`` write the same page; ``progress`` has its own
(:mod:`.progress`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from compliance.attestation import Attestation
    from compliance.progress import Progress
    from compliance.render import RenderOptions
    from compliance.results import Report
    from compliance.summary import Summary


def report_page(
    summary: Summary,
    report: Report,
    lang: str,
    *,
    key: str = "page_check",
    attestation: Attestation | None = None,
) -> str:
    """The whole report page as a string."""
    from compliance.render.html import communities, document, office, provenance, regions, ruleset
    from compliance.render.html.header import header
    from compliance.render.html.scorecard import scorecard
    from compliance.render.html.text import _TEXT

    rs = report.ruleset
    zh, en = _TEXT[key]
    title = (zh if lang == "zh" else en).format(ruleset=rs.title(lang))
    subtitle, head = header([report], lang, attestation)
    sections = [
        office.banner(report, lang),
        scorecard(report, lang),
        office.verdict_section(report, lang),
        office.coverage_section(report, lang),
        office.duplicates_section(report, lang),
        regions.regions(summary, lang),
        communities.short_list(report, lang),
        communities.problems(report, lang),
        ruleset.ruleset(report, lang),
        provenance.provenance([report], lang),
    ]
    return document.page(title, lang, subtitle, sections, head)


def render_summary(summary: Summary, report: Report, options: RenderOptions, out: TextIO) -> None:
    """Write the page for ``compliance summary`` (grouped as the summary was)."""
    out.write(
        report_page(
            summary, report, options.lang, key="page_summary", attestation=options.attestation
        )
    )


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    """Write the page for ``compliance check``, grouped by the default region level."""
    from compliance.summary import summarise

    out.write(report_page(summarise(report), report, options.lang, attestation=options.attestation))


def render_progress(progress: Progress, options: RenderOptions, out: TextIO) -> None:
    """Write the page for ``compliance progress``."""
    from compliance.render.html.progress import progress_page

    out.write(progress_page(progress, options.lang, options.attestation))
