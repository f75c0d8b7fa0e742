"""Rows and wording for every standard's changes and for swings (大起大落), shared by the
progress renderers beside :mod:`.common`."""

from __future__ import annotations

from typing import Any

from compliance import labels
from compliance.labels import t
from compliance.progress import Progress

_TEXT: dict[str, tuple[str, str]] = {
    "by_standard": ("按标准的变化", "Changes by standard"),
    "standard": ("标准", "Standard"),
    "improved": ("其中缺口缩小", "of which improved"),
    "worsened": ("其中缺口扩大", "of which worsened"),
    "unchanged": ("其中缺口不变", "of which unchanged"),
    "trend": ("缺口变化", "Shortfall change"),
    "trend_improved": ("缩小", "improved"),
    "trend_worsened": ("扩大", "worsened"),
    "trend_unchanged": ("不变", "unchanged"),
    "swings": ("大起大落", "Swings"),
    "swing_note": (
        "两期之间变化超过基期 {share} 的用房面积、专职人数和总户数，需书面说明。",
        "Premises area, full-time workers and households that moved by more than {share} "
        "of the baseline; each needs a written explanation.",
    ),
    "no_swings": ("没有超过 {share} 的大起大落。", "No figure moved by more than {share}."),
    "interpretations": ("解释口径", "Interpretation choices"),
    "listed": ("{rule} · {kind}（{n}）：{names}", "{rule} · {kind} ({n}): {names}"),
    "worsened_kind": ("仍未达标且缺口扩大", "still failing and worse"),
    "shortfall_b": ("基期缺口", "Baseline shortfall"),
    "shortfall_c": ("现期缺口", "Current shortfall"),
    "sheet_standards": ("按标准", "By standard"),
    "sheet_swings": ("大起大落", "Swings"),
    "cells": ("单元格", "Cells"),
    "message": ("说明", "Message"),
    "field": ("字段", "Field"),
}

#: The count columns of the by-standard table: the JSON words, in order.
COLUMNS = (
    "newly_compliant",
    "newly_failing",
    "still_failing",
    "improved",
    "worsened",
    "unchanged",
    "still_compliant",
    "unknown",
)


def text(key: str, lang: str, **kwargs: object) -> str:
    zh, en = _TEXT[key]
    return (zh if lang == "zh" else en).format(**kwargs)


def both(key: str) -> str:
    return f"{text(key, 'zh')} {text(key, 'en')}"


def _column(key: str, lang: str) -> str:
    return text(key, lang) if key in _TEXT else t(f"pg_{key}", lang)


def headers(lang: str) -> list[str]:
    return [text("standard", lang), *(_column(k, lang) for k in COLUMNS)]


def rows(progress: Progress, lang: str) -> list[list[Any]]:
    """One row per standard: its short name, then the counts of :data:`COLUMNS`."""
    out = []
    for r in progress.standard_rules:
        counts = progress.standard_counts(r.id)
        out.append([r.short(lang), *(counts.get(k, 0) for k in COLUMNS)])
    return out


def trend_label(trend: Any, lang: str) -> str:
    return "" if trend is None else text(f"trend_{trend.value}", lang)


def listed(progress: Progress, lang: str, limit: int = 10) -> list[str]:
    """Per standard, the communities that newly fail and those still failing by more."""
    out = []
    sep = "、" if lang == "zh" else ", "
    for r in progress.standard_rules:
        for kind, label in (
            ("newly_failing", t("pg_newly_failing", lang)),
            ("worsened", text("worsened_kind", lang)),
        ):
            found = []
            for c in progress.changes:
                s = c.standard(r.id)
                if s is None:
                    continue
                if s.change.value == kind or (s.trend is not None and s.trend.value == kind):
                    found.append(c)
            if not found:
                continue
            names = [
                f"{c.name}（{c.region[-1]}）"
                if lang == "zh" and c.region and c.region[-1]
                else f"{c.name} ({c.region[-1]})"
                if c.region and c.region[-1]
                else c.name
                for c in found
            ]
            shown = sep.join(names[:limit]) + (
                f" … (+{len(found) - limit})" if len(found) > limit else ""
            )
            out.append(
                text("listed", lang, rule=r.short(lang), kind=label, n=len(found), names=shown)
            )
    return out


def interpretations(progress: Progress, lang: str) -> list[str]:
    """The rule set's interpretation choices, with the gap closure as used."""
    out = []
    for p in progress.current.ruleset.interpretations:
        value = progress.gap_closure if p.id == "gap_closure" else p.value
        out.append(f"{p.label(lang)} = {value}: {p.note(lang)}")
    return out


def swing_note(progress: Progress, lang: str) -> str:
    share = labels.percent(progress.swing_share)
    key = "swing_note" if progress.swings else "no_swings"
    return text(key, lang, share=share)


def swing_lines(progress: Progress, lang: str) -> list[str]:
    return [f"{p.cell}: {p.message(lang)}" for p in progress.swings]


def community_rows(progress: Progress, lang: str) -> list[list[Any]]:
    """One row per matched community and standard: region names, code, name, standard,
    change, shortfall change, and the shortfall in each snapshot."""
    short = {r.id: r.short(lang) for r in progress.standard_rules}
    out = []
    for c in progress.changes:
        for s in c.standards:
            out.append(
                [
                    *c.region,
                    c.id,
                    c.name,
                    short.get(s.rule, s.rule),
                    t(f"pg_{s.change.value}", lang),
                    trend_label(s.trend, lang),
                    s.baseline_shortfall,
                    s.current_shortfall,
                ]
            )
    return out


def community_headers(progress: Progress, lang: str) -> list[str]:
    return [
        *(t(lv.value, lang) for lv in progress.levels),
        labels.field_label("id", lang),
        labels.field_label("name", lang),
        text("standard", lang),
        t("pg_change", lang),
        text("trend", lang),
        text("shortfall_b", lang),
        text("shortfall_c", lang),
    ]
