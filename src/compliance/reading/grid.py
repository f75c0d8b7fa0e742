"""Load one sheet as a grid of Python values, with calamine or the csv module.

Row 0 of a grid is spreadsheet row 1 and column 0 is column A, whatever the
sheet's used area, so that every cell can be named the way Excel names it.
Every sheet is measured (see :mod:`~compliance.reading.guards`) before
calamine is allowed to build it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance.errors import InputError
from compliance.reading import guards, parts, xls_built, xlsb_extent
from compliance.reading.formats import sniff
from compliance.reading.guards import Limits

if TYPE_CHECKING:
    from compliance.reading.xlsx_cells import SheetCells

Merged = list[tuple[tuple[int, int], tuple[int, int]]]


@dataclass(frozen=True, slots=True)
class SheetInfo:
    name: str
    visible: bool = True


@dataclass(slots=True)
class Grid:
    """One sheet's cells. ``merged`` holds ((row0, col0), (row1, col1)) ranges.

    ``uncached`` holds the (row, col) of formula cells saved without a value.
    """

    name: str
    rows: list[list[Any]]
    merged: Merged = field(default_factory=list)
    uncached: frozenset[tuple[int, int]] = frozenset()
    #: A small .xlsx sheet's cells, all of them, when its head was read from them.
    cells: SheetCells | None = None


@dataclass(slots=True)
class Workbook:
    """An opened input file: its format and a way to load each sheet."""

    path: Path
    format: str
    sheets: list[SheetInfo]
    limits: Limits = field(default_factory=Limits)
    _book: Any = None
    _csv_rows: list[list[Any]] | None = None
    csv_encoding: str | None = None
    #: (zh, en) notes on how a CSV file was read (its encoding, a suspect decoding).
    csv_notes: list[tuple[str, str]] = field(default_factory=list)
    #: xlsx/xlsm: sheet name -> worksheet part in the zip.
    _parts: dict[str, str] = field(default_factory=dict)
    #: Sheets already loaded: the sheet choice and the roster search share them.
    _loaded: dict[str, Grid] = field(default_factory=dict)
    #: The zip, opened once for every sheet's measurement (reading its directory
    #: per sheet made a workbook of n sheets cost n² steps).
    _zip: zipfile.ZipFile | None = None

    @property
    def native(self) -> bool:
        """Whether the native columnar reader can open the file by its name."""
        return self.path.suffix.lower().lstrip(".") == self.format

    def part(self, name: str) -> str | None:
        """The worksheet part of an .xlsx sheet, when the workbook maps it."""
        return self._parts.get(name)

    def archive(self) -> zipfile.ZipFile:
        """The workbook's zip, opened once and shared by every sheet's reads (opening it,
        or listing its members, per sheet made a workbook of n sheets cost n² steps)."""
        if self._zip is None:
            self._zip = guards.open_zip(self.path)
        return self._zip

    def where(self, sheet: str | None = None) -> str:
        return f"{self.path} [{sheet}]" if sheet and self.format != "csv" else str(self.path)

    def load(self, name: str) -> Grid:
        """Load one sheet, refusing it first if it is larger than the limits allow."""
        grid = self._loaded.get(name)
        if grid is None:
            grid = self._loaded[name] = self._load(name)
        return grid

    def head(self, name: str, rows: int) -> Grid:
        """The first ``rows`` rows of a sheet (from row 1) and its merged ranges, for the
        sheet choice and the header search: the rest is never turned into Python values,
        and nothing of the sheet is kept."""
        grid = self._loaded.get(name)
        if grid is not None:
            return Grid(name, grid.rows[:rows], grid.merged, grid.uncached)
        return self._load(name, rows)

    def _load(self, name: str, nrows: int | None = None) -> Grid:
        if self._csv_rows is not None:
            return Grid(name=name, rows=self._csv_rows)
        where = self.where(name)
        uncached: frozenset[tuple[int, int]] = frozenset()
        if self.format in ("xlsx", "xlsm"):
            return self._load_xlsx(name, where, nrows)
        try:
            sheet = self._book.get_sheet_by_name(name)
            end = sheet.end
            if end is not None:
                rows, cols = end[0] + 1, end[1] + 1
                if rows * cols > self.limits.max_cells:
                    raise guards.too_many_cells(rows, cols, self.limits, where)
            data = sheet.to_python(skip_empty_area=False, nrows=nrows) if end is not None else []
            merged = list(getattr(sheet, "merged_cell_ranges", None) or [])
        except (InputError, *_PASS_THROUGH):
            raise
        except BaseException as exc:  # calamine's errors, and pyo3's PanicException
            raise _calamine_error(exc, where) from None
        return Grid(name=name, rows=data, merged=merged, uncached=uncached)

    def _load_xlsx(self, name: str, where: str, stop_row: int | None = None) -> Grid:
        """An .xlsx sheet (or its first ``stop_row`` rows) read by the one-pass reader,
        bounded as it is tokenised."""
        from compliance.reading import xlsx_read

        part = self._parts.get(name)
        if part is None:
            raise InputError(
                "file_damaged_detail", detail=f"no worksheet part for sheet {name!r}", where=where
            )
        zf = self.archive()
        rows, uncached, cells = xlsx_read.load_rows(zf, part, self.limits, where, stop_row)
        merged = xlsx_read.merged_ranges(zf, part, where)
        return Grid(name=name, rows=rows, merged=merged, uncached=uncached, cells=cells)

    def load_rows(self, name: str, rows: int) -> Grid:
        """The first ``rows`` rows of an .xlsx sheet and all its merged ranges."""
        return self._load_xlsx(name, self.where(name), rows)


def _is_panic(exc: BaseException) -> bool:
    return type(exc).__name__ == "PanicException"


#: Never turned into an input error.
_PASS_THROUGH = (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)


def _calamine_error(exc: BaseException, where: str) -> InputError:
    kind = type(exc).__name__
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else kind
    if _is_panic(exc):
        return InputError("reader_gave_up", detail=text, where=where)
    if kind == "PasswordError":
        return InputError("workbook_password", where=where)
    if kind == "XmlError":
        return InputError("workbook_xml_damaged", detail=text, where=where)
    if kind == "ZipError":
        return InputError("file_damaged_detail", detail=text, where=where)
    if "Cell limit exceeded" in text:
        return InputError("sheet_too_large", detail=text, where=where)
    return InputError("workbook_unreadable", detail=text, where=where)


def open_workbook(path: Path, limits: Limits | None = None) -> Workbook:
    """Open a spreadsheet or CSV file for reading, after the safety checks."""
    lim = limits or Limits()
    fmt = sniff(path)
    where = str(path)
    if fmt == "encrypted":
        raise InputError("workbook_password", where=where)
    if fmt == "csv":
        from compliance.reading import csvfile

        rows, encoding = csvfile.read_csv(path, lim)
        return Workbook(
            path=path,
            format="csv",
            sheets=[SheetInfo(path.stem)],
            limits=lim,
            _csv_rows=rows,
            csv_encoding=encoding,
            csv_notes=csvfile.encoding_notes(path, encoding),
        )
    sheet_parts: dict[str, str] = {}
    patched: bytes | None = None
    listed: tuple[tuple[str, bool], ...] = ()
    if fmt in ("xlsx", "xlsm", "xlsb", "ods"):
        try:
            with guards.open_zip(path) as zf:
                guards.check_directory(zf, path, where)
                guards.check_container(zf, where)
                if fmt in ("xlsx", "xlsm"):
                    guards.check_shared_strings(zf, lim, where)
                    package = parts.package(zf)
                    sheet_parts = package.sheets
                    listed = package.listed
                if fmt == "ods":
                    guards.check_ods(zf, lim, where)
                if fmt == "xlsb":
                    xlsb_extent.check(zf, lim, where)
        except guards.ZIP_ERRORS as exc:
            raise InputError(
                "file_damaged_detail", detail=f"{type(exc).__name__}: {exc}", where=where
            ) from None
    elif fmt == "xls":
        patched = xls_built.check(path, lim)
    if fmt in ("xlsx", "xlsm"):
        # Read by the one-pass reader (xlsx_read): calamine never opens it.
        sheets = [SheetInfo(n, visible) for n, visible in listed]
        return Workbook(path=path, format=fmt, sheets=sheets, limits=lim, _parts=sheet_parts)
    from python_calamine import CalamineWorkbook

    try:
        if patched is not None:
            book = CalamineWorkbook.from_filelike(io.BytesIO(patched))
        elif path.suffix.lower().lstrip(".") == fmt:
            book = CalamineWorkbook.from_path(str(path))
        else:
            # calamine picks its reader by the file name; a legacy .xls named
            # .xlsx is common, and from_filelike looks at the content instead.
            with path.open("rb") as fh:
                book = CalamineWorkbook.from_filelike(fh)
    except _PASS_THROUGH:
        raise
    except BaseException as exc:  # calamine's errors, and pyo3's PanicException
        raise _calamine_error(exc, where) from None
    try:
        meta = book.sheets_metadata
        sheets = [SheetInfo(m.name, str(m.visible).lower().endswith("visible")) for m in meta]
    except Exception:  # metadata is a nicety: fall back to the plain names
        sheets = [SheetInfo(n) for n in book.sheet_names]
    return Workbook(
        path=path, format=fmt, sheets=sheets, limits=lim, _book=book, _parts=sheet_parts
    )


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
