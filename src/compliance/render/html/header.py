"""The title band's lines: the input files by name (never the folders they sat in
on this machine), the rule set and the time with its zone; then 填表单位, 填表人
and 审核人 where given, and each input's SHA-256, so that a printed page says
which bytes it speaks for."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from compliance.dates import local_time
from compliance.render.html.text import esc, h

if TYPE_CHECKING:
    from compliance.attestation import Attestation
    from compliance.results import Report


def header(
    reports: list[Report], lang: str, attestation: Attestation | None
) -> tuple[list[str], str]:
    """(plain subtitle lines, an HTML block of attestation and input hashes)."""
    first = reports[0]
    names = [Path(c.source.path).name for r in reports for c in r.checks]
    names += [Path(f.path).name for r in reports for f in r.failures]
    rs = first.ruleset
    subtitle = [
        " · ".join(dict.fromkeys(names)) or "—",
        f"{rs.label} · {h('run_at', lang)} {local_time(first.started_at)}",
    ]
    items: list[tuple[str, str]] = []
    if attestation:
        items += [(h(f"attest_{k}", lang), esc(v)) for k, v in attestation.items()]
    hashes: list[tuple[str, str | None]] = [
        (Path(c.source.path).name, c.source.sha256) for r in reports for c in r.checks
    ]
    hashes += [(Path(f.path).name, f.sha256) for r in reports for f in r.failures]
    for name, sha in hashes:
        items.append((esc(name), f"<code>{esc(sha or '—')}</code>"))
    if not items:
        return subtitle, ""
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in items)
    return subtitle, f'<dl class="attest">{body}</dl>'
