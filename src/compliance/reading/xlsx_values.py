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

import contextlib
import datetime as dt
import re
import weakref
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import polars as pl

from compliance.errors import InputError
from compliance.reading import parts, xlsx_native, xlsx_xml
from compliance.reading.guards import ZIP_ERRORS
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


#: A table no larger than this (inflated, as declared) is read whole, once per open
#: workbook: the head and the data rows of a small file then share one reading.
_WHOLE = 2 << 20


def shared_strings(zf: zipfile.ZipFile, needed: pl.Series) -> dict[int, str]:
    """The shared strings whose indices are ``needed``, streaming the table once."""
    keys, texts = shared_string_texts(zf, needed)
    return dict(zip(keys.to_list(), texts.to_list(), strict=True))


def shared_string_texts(zf: zipfile.ZipFile, needed: pl.Series) -> tuple[pl.Series, pl.Series]:
    """The distinct ``needed`` indices, ascending, and their strings (unescaped)."""
    want = needed.unique().sort().cast(pl.UInt64)
    if want.len() == 0:
        return want, pl.Series([], dtype=pl.String)
    members = parts.package(zf).shared_strings
    if not members:
        raise damaged("a cell uses a shared string, and the workbook has none")
    top = int(want[-1])
    if zf.getinfo(members[0]).file_size <= _WHOLE:
        table = _TABLES.get(zf)
        if table is None:
            table = _TABLES[zf] = _whole(zf, members[0])
        items, failed = table
        if items.height <= top:
            if failed is not None:
                raise failed
            raise damaged(f"shared string {top} does not exist (the table has {items.height})")
        return want, _unescaped(items.select(pl.all().gather(want)))
    found: list[pl.DataFrame] = []
    seen = 0
    for items in _items(zf, members[0]):
        n = items.height
        if n:
            index = pl.int_range(seen, seen + n, dtype=pl.UInt64, eager=True)
            hit = index.is_in(want.implode())
            if hit.any():
                found.append(items.filter(hit))
            seen += n
        if seen > top:
            break
    if seen <= top:
        raise damaged(f"shared string {top} does not exist (the table has {seen})")
    return want, _unescaped(pl.concat(found))


_Table = tuple[pl.DataFrame, Exception | None]
_ENDS: tuple[type[Exception], ...] = (InputError, *ZIP_ERRORS)
_TABLES: weakref.WeakKeyDictionary[zipfile.ZipFile, _Table] = weakref.WeakKeyDictionary()
_ITEMS = {"text": pl.String, "escaped": pl.Boolean}


def _whole(zf: zipfile.ZipFile, member: str) -> _Table:
    """Every item of a small table, and the error that ended the reading early, raised
    only for an index past what was read (as the streaming reading, which stops once it
    has its strings, would raise it)."""
    read: list[pl.DataFrame] = []
    failed: Exception | None = None
    try:
        read.extend(_items(zf, member))
    except _ENDS as exc:
        failed = exc
    return (pl.concat(read) if read else pl.DataFrame(schema=_ITEMS)), failed


def _items(zf: zipfile.ZipFile, member: str) -> Iterator[pl.DataFrame]:
    """Each block's items: ``text`` (its ``<t>`` runs) and whether it is still ``escaped``.
    The native library reads a block where it is built; the block it leaves is read here."""
    lib = xlsx_native.library() if xlsx_native.enabled() else None
    with contextlib.ExitStack() as stack:
        reader = None if lib is None else stack.enter_context(xlsx_native.SharedStrings(lib))
        for text in xlsx_xml.text_blocks(zf, member, cut=(b"si",)):
            frame = None if reader is None else reader.block(text)
            if frame is None:
                items = xlsx_xml.as_text(text).str.extract_all(_SI).explode().drop_nulls()
                runs = _si_text(items)
                frame = pl.DataFrame(
                    {"text": runs, "escaped": runs.str.contains("&", literal=True)}
                )
            yield frame


def _unescaped(items: pl.DataFrame) -> pl.Series:
    """The items' texts, each still escaped one unescaped (an undefined entity refused)."""
    texts = items.get_column("text")
    escaped = items.get_column("escaped")
    if not escaped.any():
        return texts
    at = escaped.arg_true()
    fixed = [xlsx_xml.unescape(t) for t in texts.filter(escaped).to_list()]
    return texts.scatter(at, pl.Series(fixed, dtype=pl.String))


def _si_text(items: pl.Series) -> pl.Series:
    """The text of each ``<si>``: its ``<t>`` runs, without phonetic runs."""
    runs = items.str.replace_all(_RPH, "").str.extract_all(_T)
    return (
        runs.list.eval(pl.element().str.replace_all(_TAGS, "")).list.join("").fill_null("")
    ).cast(pl.String)


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


_MIDNIGHT = dt.time()


def shortest(value: float) -> str:
    """A number as calamine writes it as text: the shortest decimal, no exponent."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text[:-2] if text.endswith(".0") else text


def date_text(value: float, *, numeric: bool) -> str | None:
    when = serial(value, leap_bug=not numeric)
    if when is None:
        return None
    return str(when.date() if when.time() == _MIDNIGHT else when)


def serial(value: float, *, leap_bug: bool = True) -> dt.datetime | None:
    """An Excel date serial as a datetime (serials before 1900-03-01 count from 1899-12-31)."""
    epoch = dt.datetime(1899, 12, 31 if leap_bug and value < 60 else 30)
    try:
        return epoch + dt.timedelta(days=value)
    except (OverflowError, ValueError):
        return None


def grid_date(value: float) -> Any:
    """A date serial as calamine's grid gives it: a time of day, a date or a datetime."""
    if 0 <= value < 1:
        when = serial(value)
        return when.time() if when is not None else value
    when = serial(value)
    if when is None:
        return value
    return when.date() if when.time() == _MIDNIGHT else when


def mapped(values: pl.Series, show: Callable[[float], str | None], on: str) -> pl.Expr:
    """The text of each distinct number of ``values``, shown once and mapped back onto
    the column ``on``."""
    keys = values.drop_nulls().unique().to_list()
    if not keys:
        return pl.lit(None, pl.String)
    return pl.col(on).replace_strict(
        keys, [show(k) for k in keys], default=None, return_dtype=pl.String
    )


def _integral(num: pl.Expr) -> pl.Expr:
    return (num.abs() < 2.0**53) & (num != 0) & (num.round(0) == num)


def shortest_text(values: pl.Series, on: str) -> pl.Expr:
    """The numbers of the column ``on`` (whose values are ``values``) as their shortest
    decimal text: whole numbers below 2**53 natively (their digits are the integer's),
    any other through :func:`shortest`."""
    rest = values.filter(~values.to_frame("v").select(_integral(pl.col("v"))).to_series())
    num = pl.col(on)
    return (
        pl.when(_integral(num))
        .then(num.cast(pl.Int64).cast(pl.String))
        .otherwise(mapped(rest, shortest, on))
    )
