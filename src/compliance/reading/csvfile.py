"""Read a CSV file into rows, with its memory, width and time bounded while it is read.

The file is never held whole as text: its encoding is found by decoding it in
pieces, then Python's ``csv`` module reads it as a stream, and the cell count
and row width are checked row by row. The ``csv`` module is used rather than
polars or pyarrow because messy returns have rows of different widths (a title
row of one cell above a header of twenty): polars cuts every row to the first
row's width, and both need about 16 s for a row of a million cells.

The notes say which encoding the file was decoded with, and flag a decoding
that looks wrong (a Western "Année" read as GBK gives "Ann閑").
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from compliance.errors import InputError
from compliance.reading import guards
from compliance.reading.guards import Limits

MAX_CSV_BYTES = 512 * 1024 * 1024
#: The widest sheet a spreadsheet program makes (column XFD).
MAX_CSV_COLUMNS = 16_384
_CHUNK = 1 << 20
_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "gb18030": "GB18030 (GBK)",
}
# A run of Latin letters touching non-ASCII text: "Ann閑", "Caf茅".
_MIXED_WORD = re.compile(r"[A-Za-z]+[^\x00-\x7f]+[A-Za-z]*|[^\x00-\x7f]+[A-Za-z]+")

Notes = list[tuple[str, str]]


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            yield block


def _decodes(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes, checked piece by piece (no copy of it is kept)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for block in _chunks(path):
            if b"\x00" in block:
                raise InputError("file_binary", where=str(path))
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def encoding_of(path: Path) -> str:
    """The encoding to read the file with: a BOM's, else UTF-8, else GB18030."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _decodes(path, "utf-8"):
        return "utf-8"
    # Chinese Excel saves "CSV" in the ANSI code page, GBK; GB18030 is its superset.
    if _decodes(path, "gb18030"):
        return "gb18030"
    raise InputError("csv_cannot_decode", where=str(path))


def suspect_word(path: Path) -> tuple[str, str] | None:
    """A word that shows a GBK decoding is likely wrong: (as decoded, as Windows-1252)."""
    with path.open("rb") as fh:
        sample = fh.read(_CHUNK)
    text = sample.decode("gb18030", errors="ignore")
    for m in _MIXED_WORD.finditer(text):
        word = m.group()
        odd = [ch for ch in word if ord(ch) > 0x7F]
        try:
            "".join(odd).encode("gb2312")
            continue  # common Chinese characters: a plausible mixed word ("A栋")
        except UnicodeEncodeError:
            pass
        try:
            western = word.encode("gb18030").decode("cp1252")
        except UnicodeError:
            continue
        return word, western
    return None


def encoding_notes(path: Path, encoding: str) -> Notes:
    """Notes naming the encoding, and flagging a suspect one."""
    name = _NAMES.get(encoding, encoding)
    notes = [(f"CSV 文件按 {name} 编码读取", f"the CSV file was decoded as {name}")]
    if encoding == "gb18030":
        hit = suspect_word(path)
        if hit is not None:
            word, western = hit
            notes.append(
                (
                    f"“{word}”不像中文：文件可能是西文编码（Windows-1252 下为“{western}”），"
                    "请另存为 UTF-8 后再检查",
                    f"'{word}' does not look like Chinese: the file may be in a Western encoding "
                    f"('{western}' in Windows-1252); save it as UTF-8 and check again",
                )
            )
    return notes


def read_csv(path: Path, limits: Limits) -> tuple[list[list[Any]], str]:
    """The rows of a CSV file, padded to one width, and the encoding it was read with."""
    where = str(path)
    if path.stat().st_size > MAX_CSV_BYTES:
        raise InputError("csv_too_large", mb=MAX_CSV_BYTES >> 20, where=where)
    encoding = encoding_of(path)
    errors = "replace" if encoding in ("utf-8-sig", "utf-16") else "strict"
    with path.open(encoding=encoding, errors=errors, newline="") as fh:
        delimiter = _delimiter(fh.read(8192))
    _precount(path, encoding, errors, delimiter, limits)
    with path.open(encoding=encoding, errors=errors, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        rows, last_start = _rows(reader, limits, where, nul_check=encoding == "utf-16")
    if (
        rows
        and len(rows[-1])
        and "\n" in rows[-1][-1]
        and _unclosed(path, encoding, delimiter, last_start)
    ):
        raise InputError("csv_quote_unclosed", line=last_start, where=where)
    width = max((len(r) for r in rows), default=0)
    # A rectangular grid, like calamine's, so columns can be picked without bounds checks.
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return rows, encoding


def _precount(path: Path, encoding: str, errors: str, delimiter: str, limits: Limits) -> None:
    """Refuse a file with too many cells before any row is kept.

    Every cell ends at a delimiter or a line end, so counting those bytes bounds
    the cells from above at almost no cost; only when that bound is over the
    limit are the rows counted exactly, in a pass that keeps none of them.
    """
    if encoding != "utf-16":
        sep = delimiter.encode("ascii")
        bound = 1 + sum(b.count(sep) + b.count(b"\n") for b in _chunks(path))
        if bound <= limits.max_cells:
            return
    with path.open(encoding=encoding, errors=errors, newline="") as fh:
        cells = width = rows = 0
        try:
            for row in csv.reader(fh, delimiter=delimiter):
                rows += 1
                cells += len(row) or 1
                width = max(width, len(row))
                if cells > limits.max_cells:
                    raise guards.too_many_cells(rows, max(width, 1), limits, str(path))
        except csv.Error as exc:
            raise InputError("csv_malformed", detail=str(exc), where=str(path)) from None


def _rows(
    reader: Any, limits: Limits, where: str, *, nul_check: bool
) -> tuple[list[list[Any]], int]:
    rows: list[list[Any]] = []
    cells = 0
    width = 0
    line = 0
    last_start = 1
    try:
        for row in reader:
            if len(row) > MAX_CSV_COLUMNS:
                raise InputError(
                    "csv_too_wide",
                    row=len(rows) + 1,
                    cols=len(row),
                    limit=MAX_CSV_COLUMNS,
                    where=where,
                )
            if nul_check and "\x00" in "".join(row):
                raise InputError("file_binary", where=where)
            # An empty line still costs a row; count it so a file of newlines is bounded.
            cells += len(row) or 1
            width = max(width, len(row))
            if cells > limits.max_cells:
                raise guards.too_many_cells(len(rows) + 1, max(width, 1), limits, where)
            last_start, line = line + 1, reader.line_num
            rows.append(row)
    except csv.Error as exc:
        raise InputError("csv_malformed", detail=str(exc), where=where) from None
    return rows, last_start


def _unclosed(path: Path, encoding: str, delimiter: str, start_line: int) -> bool:
    """Whether the rows from ``start_line`` on end inside a quoted field."""
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        for _ in range(start_line - 1):
            fh.readline()
        try:
            for _ in csv.reader(fh, delimiter=delimiter, strict=True):
                pass
        except csv.Error as exc:
            return "unexpected end of data" in str(exc)
    return False


def _delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines()[:20] if ln.strip()]
    best, best_score = ",", 0
    for d in (",", "\t", ";", "|"):
        counts = [ln.count(d) for ln in lines]
        score = sorted(counts)[len(counts) // 2] if counts else 0
        if score > best_score:
            best, best_score = d, score
    return best
