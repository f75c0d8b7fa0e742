"""Load one sheet as a grid of Python values, with calamine or the csv module.

Row 0 of a grid is spreadsheet row 1 and column 0 is column A, whatever the
sheet's used area, so that every cell can be named the way Excel names it.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.errors import InputError
from compliance.reading import guards
from compliance.reading.formats import sniff

MAX_CSV_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SheetInfo:
    name: str
    visible: bool = True


@dataclass(slots=True)
class Grid:
    """One sheet's cells. ``merged`` holds ((row0, col0), (row1, col1)) ranges."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


@dataclass(slots=True)
class Workbook:
    """An opened input file: its format and a way to load each sheet."""

    path: Path
    format: str
    sheets: list[SheetInfo]
    _book: Any = None
    _csv_rows: list[list[Any]] | None = None
    csv_encoding: str | None = None

    def load(self, name: str) -> Grid:
        if self._csv_rows is not None:
            return Grid(name=name, rows=self._csv_rows)
        try:
            sheet = self._book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = list(getattr(sheet, "merged_cell_ranges", None) or [])
        except InputError:
            raise
        except Exception as exc:  # calamine raises its own error types
            raise InputError(f"cannot read sheet: {exc}", where=f"{self.path} [{name}]") from None
        return Grid(name=name, rows=rows, merged=merged)


def open_workbook(path: Path) -> Workbook:
    """Open a spreadsheet or CSV file for reading, after the safety checks."""
    fmt = sniff(path)
    if fmt == "encrypted":
        raise InputError(
            "the workbook is password-protected; save an unprotected copy and check that",
            where=str(path),
        )
    if fmt == "csv":
        rows, encoding = _read_csv(path)
        return Workbook(
            path=path,
            format="csv",
            sheets=[SheetInfo(path.stem)],
            _csv_rows=rows,
            csv_encoding=encoding,
        )
    guards.check_container(path, fmt)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise InputError(f"cannot read the {fmt} file: {exc}", where=str(path)) from None
    try:
        meta = book.sheets_metadata
        sheets = [SheetInfo(m.name, str(m.visible).lower().endswith("visible")) for m in meta]
    except Exception:
        sheets = [SheetInfo(n) for n in book.sheet_names]
    return Workbook(path=path, format=fmt, sheets=sheets, _book=book)


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Chinese Excel saves "CSV" in the ANSI code page, GBK; GB18030 is its superset.
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise InputError(
            "cannot decode the CSV file as UTF-8 or GBK/GB18030", where=str(path)
        ) from None


def _read_csv(path: Path) -> tuple[list[list[Any]], str]:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise InputError(f"CSV file is larger than {MAX_CSV_BYTES >> 20} MB", where=str(path))
    text, encoding = _decode(path.read_bytes(), path)
    sample = text[:8192]
    delimiter = _delimiter(sample)
    try:
        rows: list[list[Any]] = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", where=str(path)) from None
    return rows, encoding


def _delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines()[:20] if ln.strip()]
    best, best_score = ",", 0
    for d in (",", "\t", ";", "|"):
        counts = [ln.count(d) for ln in lines]
        score = sorted(counts)[len(counts) // 2] if counts else 0
        if score > best_score:
            best, best_score = d, score
    return best


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_name(sheet: str | None, row: int, col: int) -> str:
    """Excel-style name of a 0-based cell: ('社区', 4, 1) -> '社区!B5'."""
    ref = f"{column_letter(col)}{row + 1}"
    return f"{sheet}!{ref}" if sheet else ref


def ensure_rows(rows: Sequence[Sequence[Any]]) -> None:
    """Used by tests: a grid must be a list of rows."""
    if not isinstance(rows, list):
        raise TypeError("rows must be a list")
