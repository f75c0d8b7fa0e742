"""Where every figure comes from: the tool version, the rule set and its SHA-256,
and each input with its SHA-256, sheet and header rows."""

from __future__ import annotations

from compliance._version import __version__
from compliance.dates import local_time
from compliance.render.html import document
from compliance.render.html.text import esc, h
from compliance.results import Report


def provenance(reports: list[Report], lang: str) -> str:
    """The provenance section for one report, or for the two snapshots of a progress page."""
    first = reports[0]
    rs = first.ruleset
    items = [
        (h("cover_tool", lang), esc(f"compliance {__version__}")),
        (h("cover_ruleset", lang), esc(rs.label)),
        (h("ruleset_hash", lang), f"<code>{esc(rs.sha256)}</code>"),
    ]
    if rs.path is not None:
        items.append((h("rule_file", lang), f"<code>{esc(rs.path.name)}</code>"))
    items.append((h("cover_run", lang), esc(local_time(first.started_at))))
    if first.options:
        text = "; ".join(f"{k}={v}" for k, v in sorted(first.options.items()))
        items.append((h("options", lang), f"<code>{esc(text)}</code>"))
    for report in reports:
        for check in report.checks:
            s = check.source
            rows = ", ".join(str(r) for r in s.header_rows)
            items.append((h("input", lang), f"<code>{esc(s.path)}</code>"))
            items.append((h("sha256", lang), f"<code>{esc(s.sha256)}</code>"))
            items.append((h("sheet_header", lang), esc(f"{s.sheet or s.format} / {rows}")))
        for failure in report.failures:
            items.append(
                (h("unreadable", lang), f"<code>{esc(failure.path)}</code> {esc(failure.message)}")
            )
            if failure.sha256:
                items.append((h("sha256", lang), f"<code>{esc(failure.sha256)}</code>"))
    return document.titled("provenance", "provenance", lang, document.meta(items))
