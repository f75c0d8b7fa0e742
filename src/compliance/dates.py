"""Dates as people write them, read the same way everywhere (--as-of, waiver files).

``2008-01-01``, ``2008/01/01``, ``2008.1.1``, ``2008年1月1日`` and their
full-width forms are one day; where a month or a year is enough (``--as-of``),
``2008-12`` is its first day and ``2008`` its first of January.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_YEAR = re.compile(r"^(\d{4})\s*年?$")

#: The forms, for messages.
FORMS = "YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYY年MM月DD日"


def local_time(when: dt.datetime) -> str:
    """A moment as people read it where the tool runs: local time with its offset,
    "2026-12-07 14:05 (UTC+08:00)". A naive time is taken as UTC."""
    aware = when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
    local = aware.astimezone()
    offset = local.utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{local:%Y-%m-%d %H:%M} (UTC{sign}{hours:02d}:{mins:02d})"


def date_from_text(text: str, *, partial: bool = False) -> dt.date | None:
    """The date ``text`` writes, or None. With ``partial``, a month or a year alone
    is its first day."""
    s = unicodedata.normalize("NFKC", text).strip()
    m = _FULL.match(s)
    parts = (m[1], m[2], m[3]) if m else None
    if parts is None and partial:
        if m := _MONTH.match(s):
            parts = (m[1], m[2], "1")
        elif m := _YEAR.match(s):
            parts = (m[1], "1", "1")
    if parts is None:
        return None
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None
