"""Inline SVG charts: a stacked bar per standard, a meter per table cell, and a
horizontal bar chart. No script and no external file: the page draws offline."""

from __future__ import annotations

from collections.abc import Sequence

from compliance.render.html.text import esc

COLOURS = {
    "pass": "#2e7d32",
    "fail": "#c62828",
    "unknown": "#b7791f",
    "waived": "#6b7280",
    "not_yet_due": "#1d4ed8",
    "na": "#cbd5e1",
    "gap": "#c62828",
    "rate": "#2e7d32",
    "track": "#e5e7eb",
}


def stacked(parts: Sequence[tuple[str, int]], *, label: str, width: int = 260) -> str:
    """One bar split into outcome shares (kind, count), in the order given."""
    total = sum(n for _, n in parts)
    height = 14
    out = [
        f'<svg class="bar" role="img" aria-label="{esc(label)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<rect width="{width}" height="{height}" rx="3" fill="{COLOURS["track"]}"/>',
    ]
    x = 0.0
    for kind, n in parts:
        if not n or not total:
            continue
        w = width * n / total
        out.append(f'<rect x="{x:.2f}" width="{w:.2f}" height="{height}" fill="{COLOURS[kind]}"/>')
        x += w
    out.append("</svg>")
    return "".join(out)


def meter(share: float | None, *, kind: str, label: str, width: int = 120) -> str:
    """A small bar for a share from 0 to 1, for a table cell."""
    height = 10
    w = 0.0 if share is None else max(0.0, min(1.0, share)) * width
    return (
        f'<svg class="bar" role="img" aria-label="{esc(label)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f'<rect width="{width}" height="{height}" rx="2" fill="{COLOURS["track"]}"/>'
        f'<rect width="{w:.2f}" height="{height}" rx="2" fill="{COLOURS[kind]}"/></svg>'
    )


def bar_chart(
    title: str,
    items: Sequence[tuple[str, float, str]],
    *,
    kind: str,
    full: float | None = None,
    marker: tuple[float, str] | None = None,
) -> str:
    """A horizontal bar chart: one (label, value, value text) per bar, top to bottom.
    A full-length bar is ``full`` (1 for shares), else the largest value."""
    if not items:
        return ""
    width, label_w, value_w, row = 760, 200, 90, 22
    top = 6
    height = top + row * len(items) + 6
    biggest = full or max((v for _, v, _ in items), default=0.0) or 1.0
    span = width - label_w - value_w
    out = [
        f"<figure><figcaption>{esc(title)}</figcaption>"
        f'<svg role="img" aria-label="{esc(title)}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="13" '
        f"font-family=\"system-ui,'PingFang SC','Microsoft YaHei',sans-serif\">"
    ]
    for i, (label, value, text) in enumerate(items):
        y = top + i * row
        w = min(span, max(0.0, value) / biggest * span)
        out.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" fill="#1f2937">'
            f"{esc(_clip(label))}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{span}" height="{row - 6}" '
            f'fill="{COLOURS["track"]}"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.2f}" height="{row - 6}" '
            f'fill="{COLOURS[kind]}"/>'
            f'<text x="{label_w + span + 6}" y="{y + 15}" fill="#1f2937">{esc(text)}</text>'
        )
    if marker is not None:
        value, label = marker
        x = label_w + min(span, max(0.0, value) / biggest * span)
        out.append(
            f'<line x1="{x:.2f}" x2="{x:.2f}" y1="0" y2="{height}" stroke="#1f2937" '
            f'stroke-dasharray="4 3"/><text x="{x + 3:.2f}" y="{height - 2}" font-size="11" '
            f'fill="#1f2937">{esc(label)}</text>'
        )
    out.append("</svg></figure>")
    return "".join(out)


def _clip(label: str, limit: int = 15) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
