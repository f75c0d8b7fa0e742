"""Bilingual headers and sheet titles of the workbook reports."""

from __future__ import annotations

from compliance.labels import t


def both(key: str, **kwargs: object) -> str:
    """A bilingual label: Chinese over English."""
    return f"{t(key, 'zh', **kwargs)}\n{t(key, 'en', **kwargs)}"


def sheet_title(key: str) -> str:
    return f"{t(key, 'zh')} {t(key, 'en')}"
