"""What an .xlsx cell's XML means: shared strings, date styles, and the value of each cell.

The cell table of :mod:`~compliance.reading.xlsx_cells` holds each cell's
type, style and text as written. This module gives them their meaning, as
calamine does: a shared-string index is looked up (the table is streamed, and
only the strings the kept cells use are held), a number whose style is a date
format is a date, ``t="b"`` is a yes/no cell, ``t="e"`` an error value
(``#N/A``), a formula's cached value is its value, and a formula saved without
one reads as empty (and is noted).
"""

from __future__ import annotations

import re
import weakref
import zipfile

import polars as pl

from compliance.reading import parts, xlsx_xml
from compliance.reading.xlsx_xml import damaged

_P = r"(?:[A-Za-z_][\w.-]*:)?"
_ATTRS = r"(?:\s+[^\s=<>/\"']+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*\s*"
_SI = rf"<{_P}si{_ATTRS}/>|<{_P}si{_ATTRS}>(?s:.*?)</{_P}si\s*>"
_RPH = rf"<{_P}rPh{_ATTRS}>(?s:.*?)</{_P}rPh\s*>"
_T = rf"<{_P}t{_ATTRS}>[^<]*</{_P}t\s*>"
_TAGS = r"<[^>]*>"
_XF = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?xf\b([^>]*)>")
_CELL_XFS = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?cellXfs\b.*?</(?:[A-Za-z_][\w.-]*:)?cellXfs>", re.S)
_NUMFMT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?numFmt\b([^>]*)>")


def shared_strings(zf: zipfile.ZipFile, needed: pl.Series) -> dict[int, str]:
    """The shared strings whose indices are ``needed``, streaming the table once."""
    want = needed.unique().sort()
    if want.len() == 0:
        return {}
    members = parts.package(zf).shared_strings
    if not members:
        raise damaged("a cell uses a shared string, and the workbook has none")
    out: dict[int, str] = {}
    seen = 0
    top = int(want[-1])
    for text in xlsx_xml.text_blocks(zf, members[0], cut=(b"si",)):
        items = xlsx_xml.as_text(text).str.extract_all(_SI).explode().drop_nulls()
        n = items.len()
        if n:
            index = pl.int_range(seen, seen + n, dtype=pl.Int64, eager=True)
            hit = index.is_in(want.cast(pl.Int64).implode())
            if hit.any():
                texts = _si_text(items.filter(hit))
                for i, t in zip(index.filter(hit).to_list(), texts, strict=True):
                    out[i] = xlsx_xml.unescape(t)
            seen += n
        if seen > top:
            break
    if seen <= top:
        raise damaged(f"shared string {top} does not exist (the table has {seen})")
    return out


def _si_text(items: pl.Series) -> list[str]:
    """The text of each ``<si>``: its ``<t>`` runs, without phonetic runs."""
    runs = items.str.replace_all(_RPH, "").str.extract_all(_T)
    return (
        runs.list.eval(pl.element().str.replace_all(_TAGS, ""))
        .list.join("")
        .fill_null("")
        .to_list()
    )


def date_styles(zf: zipfile.ZipFile) -> list[str]:
    """The style indices (as written in ``s="…"``) whose number format is a date or time
    (read once per open workbook: a workbook of many small sheets asks for each)."""
    found = _STYLES.get(zf)
    if found is None:
        found = _STYLES[zf] = _date_styles(zf)
    return found


_STYLES: weakref.WeakKeyDictionary[zipfile.ZipFile, list[str]] = weakref.WeakKeyDictionary()


def _date_styles(zf: zipfile.ZipFile) -> list[str]:
    names = parts.members(zf)
    styles = names.get("xl/styles.xml")
    if styles is None:
        return []
    try:
        data = parts._read(zf, styles).decode("utf-8", "replace")
    except parts.PartTooLarge:
        raise damaged("the styles part is too large") from None
    custom: dict[str, str] = {}
    for m in _NUMFMT.finditer(data):
        a = parts._attrs(m.group(1).encode())
        if "numFmtId" in a:
            custom[a["numFmtId"].strip()] = a.get("formatCode", "")
    block = _CELL_XFS.search(data)
    out = []
    for i, m in enumerate(_XF.finditer(block.group(0) if block else "")):
        fid = parts._attrs(m.group(1).encode()).get("numFmtId", "0").strip()
        code = custom.get(fid)
        if (code is not None and is_date_format(code)) or (code is None and _builtin_date(fid)):
            out.append(str(i))
    return out


def _builtin_date(fid: str) -> bool:
    return fid.isdigit() and (14 <= int(fid) <= 22 or int(fid) in (45, 46, 47))


def is_date_format(code: str) -> bool:
    """Whether a custom number format shows a date or a time (calamine's rule)."""
    escaped = quoted = False
    brackets = 0
    ampm = False
    prev = " "
    hms = False
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\*":
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == ";":
            return False
        elif ch == "[":
            brackets += 1
        elif ch == "]" and brackets == 1 and hms:
            return True
        elif ch == "]":
            brackets = max(brackets - 1, 0)
        elif ch in "aA" and not ampm and brackets == 0:
            ampm = True
        elif (ch in "pm/PM" and ampm and brackets == 0) or (
            ch in "dmhysDMHYS" and not ampm and brackets == 0
        ):
            return True
        elif not (hms and ch.lower() == prev.lower()):
            hms = prev == "[" and ch in "mhsMHS"
        prev = ch
    return False
