"""Read the needed columns of an .xlsx sheet's data rows in one native pass (fastexcel).

fastexcel runs calamine and hands the cells over as Arrow arrays. Numeric
fields are loaded as floats: clean numbers arrive as Float64, and every other
cell of such a column (text numbers, units, full-width digits, error values,
dates) comes back as a cell error that names its position and value. Those,
and only those, go through the Python cell parser. Text and yes/no fields are
loaded as strings.

The file has passed the safety checks of :mod:`~compliance.reading.grid`
(container, shared strings, the sheet's extent) before this module opens it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping

import polars as pl

from compliance.errors import InputError
from compliance.reading import guards
from compliance.reading.grid import Workbook
from compliance.reading.raw import RawColumns

_DETAIL = re.compile(r"^Expected \w+ but got '(.*)'?$", re.DOTALL)
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]{1,6}\}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0"}
_ERRORS = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#GETTING_DATA",
}
_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _unescape(m: re.Match[str]) -> str:
    e = m[1]
    if e.startswith("u{"):
        try:
            return chr(int(e[2:-1], 16))
        except ValueError:
            return "\ufffd"
    return _SIMPLE_ESCAPES.get(e, e)


def cell_text(detail: str) -> str:
    """The value a cell error names, as the cell's text ('String("350平方米")' -> '350平方米')."""
    m = _DETAIL.match(detail)
    inner = m[1].rstrip("'") if m else detail
    kind, _, rest = inner.partition("(")
    body = rest[:-1] if rest.endswith(")") else rest
    if kind in ("String", "DateTimeIso", "DurationIso") and body.startswith('"'):
        return _ESCAPE.sub(_unescape, body[1:-1])
    if kind == "Error":
        return _ERRORS.get(body, f"#{body}")
    if kind == "Bool":
        return "True" if body == "true" else "False"
    if kind == "DateTime":
        v = re.search(r"value: ([-\d.eE+]+)", body)
        if v:
            try:
                when = _EXCEL_EPOCH + dt.timedelta(days=float(v[1]))
                return str(when.date() if when.time() == dt.time() else when)
            except (OverflowError, ValueError):
                pass
    return body or inner


def load_columns(
    book: Workbook,
    sheet: str,
    start: int,
    numeric_cols: Collection[int],
    cols: Collection[int],
    bools: Mapping[tuple[int, int], bool] | None = None,
) -> RawColumns:
    """Rows ``start`` (0-based) to the end of ``sheet``, columns ``cols`` only."""
    import fastexcel

    where = book.where(sheet)
    try:
        reader = fastexcel.read_excel(str(book.path))
        wanted = set(cols)
        sheet_data = reader.load_sheet(
            sheet,
            header_row=None,
            skip_rows=start,
            use_columns=lambda c: c.absolute_index in wanted,
            dtypes={c: ("float" if c in numeric_cols else "string") for c in wanted},
            dtype_coercion="coerce",
        )
        present = [c.absolute_index for c in sheet_data.available_columns()]
        selected = {c.index: c.absolute_index for c in sheet_data.selected_columns}
        use = [c.absolute_index for c in sheet_data.selected_columns]
        height = sheet_data.height
        width = max(present, default=-1) + 1
        if (start + height) * width > book.limits.max_cells:
            raise guards.too_many_cells(start + height, width, book.limits, where)
        batch, errors = sheet_data.to_arrow_with_errors()
    except InputError:
        raise
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # fastexcel's and calamine's errors, pyo3's PanicException
        raise InputError("workbook_unreadable", detail=_first_line(exc), where=where) from None
    frame = pl.from_arrow(batch)
    assert isinstance(frame, pl.DataFrame)
    out = RawColumns(height)
    if not use:
        return out
    residue: dict[int, tuple[list[int], list[str]]] = {}
    # Yes/no cells are text to the cell parser, as python-calamine gives them.
    for (r, c), flag in (bools or {}).items():
        if r >= start and c in numeric_cols and r - start < height:
            rows, texts = residue.setdefault(c, ([], []))
            rows.append(r - start)
            texts.append("True" if flag else "False")
    for err in errors.errors if errors is not None else ():
        row, col = err.offset_position
        rows, texts = residue.setdefault(selected[col], ([], []))
        rows.append(row)
        texts.append(cell_text(err.detail))
    for i, c in enumerate(use):
        series = frame.to_series(i)
        if c in numeric_cols:
            num = series.cast(pl.Float64)
            text = pl.Series(values=[None] * height, dtype=pl.String)
            if c in residue:
                rows, texts = residue[c]
                text = text.scatter(rows, texts)
                num = num.scatter(rows, None)
            out.num[c] = num
            out.text[c] = text
        else:
            # calamine's date cells read as dates, as python-calamine gives them.
            text = series.cast(pl.String).str.replace(_MIDNIGHT, "$1")
            text = pl.select(pl.when(text != "").then(text)).to_series()
            flags = [
                (r - start, v) for (r, cc), v in (bools or {}).items() if cc == c and r >= start
            ]
            if flags:
                at, values = zip(*flags, strict=True)
                text = text.scatter(list(at), ["True" if v else "False" for v in values])
            out.text[c] = text
    return out


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
