"""Writing the long sheets of a report fast: their rows as sheet XML, spliced into
the workbook openpyxl saves.

openpyxl builds a Python object per cell and serialises each through an XML
tree writer: for 100,000 communities × 25 columns that is most of a minute.
The long sheets (findings, data problems) are therefore built by openpyxl with
their header row, styles, filters, frozen panes, conditional fills and print
settings only; their data rows are encoded here, straight to XML text, and put
into the saved file in place of the empty ``<sheetData>``. Charts, styles and
every other part stay exactly as openpyxl wrote them.

Rows are encoded a chunk at a time (:data:`CHUNK` rows) into a temporary file,
which the save (:mod:`~compliance.render.xlsx.splice`) copies into the workbook: memory follows the chunk, not the
sheet, which at a million communities is over a gigabyte of XML.

Cells are written as :func:`compliance.render.xlsx.cells.put` writes them:
text is an inline string (never a formula, whatever it starts with), with
characters XML cannot hold replaced and Excel's quote prefix on formula-like
text; numbers carry their column's number format.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice, repeat, zip_longest
from typing import IO, Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from compliance.render.safety import FORMULA_START, NOT_XML, is_formula_like, printable

#: Rows encoded at a time.
CHUNK = 10_000


@dataclass
class Rows:
    """Data rows of one sheet, encoded as sheet XML (in a temporary file, until the
    workbook is saved), and what they tell about column widths."""

    ws: Worksheet
    first_row: int
    widths: dict[int, int] = field(default_factory=dict)
    last_row: int = 0
    last_col: int = 0
    xml: IO[bytes] | None = None

    def __post_init__(self) -> None:
        self.last_row = self.first_row - 1

    def add(self, text: str, count: int) -> None:
        """Append ``count`` encoded rows."""
        if self.xml is None:
            self.xml = tempfile.TemporaryFile()  # noqa: SIM115 - closed by save()
        self.xml.write(text.encode())
        self.last_row += count

    @property
    def size(self) -> int:
        """Bytes of encoded rows so far."""
        return 0 if self.xml is None else self.xml.tell()

    def copy_to(self, fh: IO[bytes]) -> None:
        """Write the encoded rows to ``fh`` and let the temporary file go."""
        if self.xml is None:
            return
        self.xml.seek(0)
        shutil.copyfileobj(self.xml, fh, 1 << 20)
        self.close()

    def close(self) -> None:
        if self.xml is not None:
            self.xml.close()
            self.xml = None


def style_ids(wb: Workbook, formats: Iterable[str | None]) -> tuple[dict[str | None, int], int]:
    """The workbook's style index for each number format, and for quote-prefixed text.

    The styles are registered through a scratch sheet that is removed again:
    openpyxl writes every registered cell style, used or not.
    """
    scratch = wb.create_sheet("_styles")
    ids: dict[str | None, int] = {None: 0}
    for i, fmt in enumerate(dict.fromkeys(f for f in formats if f is not None), 1):
        cell = scratch.cell(row=i, column=1)
        cell.number_format = fmt
        ids[fmt] = cell.style_id
    quoted = scratch.cell(row=1, column=2)
    quoted.quotePrefix = True
    quote_id = quoted.style_id
    wb.remove(scratch)
    return ids, quote_id


def encode(
    ws: Worksheet,
    rows: Iterable[Sequence[Any]],
    formats: Sequence[str | None],
    *,
    first_row: int = 2,
) -> Rows:
    """Encode ``rows`` (from ``first_row`` down, right under the sheet's header) as
    sheet XML for ``ws``, :data:`CHUNK` rows at a time."""
    it = iter(rows)
    chunks = iter(lambda: list(zip_longest(*islice(it, CHUNK))), [])
    return encode_chunks(ws, chunks, formats, first_row=first_row)


def encode_chunks(
    ws: Worksheet,
    chunks: Iterable[Sequence[Sequence[Any]]],
    formats: Sequence[str | None],
    *,
    first_row: int = 2,
) -> Rows:
    """Encode data given as chunks of rows, each column by column (all of one length),
    as sheet XML for ``ws``: one chunk is in memory at a time.

    Cells and rows are written in order without references (``r`` is optional in
    the file format), so the XML of a cell depends on its value and column only:
    it is made once per distinct value in a chunk, and the rows are joined by C loops.
    """
    ids, quote_id = style_ids(ws.parent, formats)
    out = Rows(ws, first_row)
    try:
        for columns in chunks:
            _encode_chunk(out, columns, formats, ids, quote_id)
    except BaseException:
        out.close()
        raise
    return out


def _encode_chunk(
    out: Rows,
    columns: Sequence[Sequence[Any]],
    formats: Sequence[str | None],
    ids: dict[str | None, int],
    quote_id: int,
) -> None:
    count = len(columns[0]) if columns else 0
    if not count:
        return
    pieces: list[Iterable[str]] = [repeat("<row>", count)]
    for c, column in enumerate(columns):
        fmt = formats[c] if c < len(formats) else None
        sid = ids.get(fmt, 0)
        style = f' s="{sid}"' if sid else ""
        distinct = set(column)
        if bool in set(map(type, distinct)):
            # True == 1 in a dict: such a column is encoded cell by cell.
            xml_cells = [_cell(v, style, quote_id)[0] for v in column]
            widths = [5]
            pieces.append(xml_cells)
        else:
            xml_of, width = _plain_texts(distinct)
            rest = {v: _cell(v, style, quote_id) for v in distinct if v not in xml_of}
            widths = [width, *(w for _, w in rest.values())]
            xml_of.update({v: x for v, (x, _) in rest.items()})
            pieces.append(map(xml_of.__getitem__, column))
        width = max(widths, default=0)
        if width:
            out.widths[c + 1] = max(width, out.widths.get(c + 1, 0))
            out.last_col = max(out.last_col, c + 1)
    pieces.append(repeat("</row>", count))
    out.add("".join(map("".join, zip(*pieces, strict=True))), count)


#: Text that needs more than wrapping: XML specials, characters XML cannot hold, a line
#: break (width per line), or a start that a spreadsheet reads as a formula.
_SPECIAL = re.compile(f"[{NOT_XML}&<>\r\n]|{FORMULA_START}")


def _plain_texts(values: Iterable[Any]) -> tuple[dict[Any, str], int]:
    """The XML of every text among ``values`` that needs no escaping (most of them, in
    bulk), and the widest of those."""
    special = _SPECIAL.search
    plain = [v for v in values if v.__class__ is str and v and not special(v)]
    xml = {v: f'<c t="inlineStr"><is><t xml:space="preserve">{v}</t></is></c>' for v in plain}
    if not plain:
        return xml, 0
    if "".join(plain).isascii():
        return xml, max(map(len, plain))
    return xml, max((len(v.encode()) + len(v)) // 2 for v in plain)


def _cell(value: Any, number_style: str, quote_id: int) -> tuple[str, int]:
    """The XML of one cell and the width its value needs."""
    if value is None or value == "":
        return "<c/>", 0
    if value is True or value is False:
        return f'<c t="b"><v>{int(value)}</v></c>', 5
    if isinstance(value, str):
        text = printable(value)
        style = f' s="{quote_id}"' if is_formula_like(text) else ""
        width = max(map(_width, text.split("\n")))
        return (
            f'<c t="inlineStr"{style}><is><t xml:space="preserve">{_text(text)}</t></is></c>',
            width,
        )
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            return "<c/>", 0
        width = len(f"{value:,.2f}") if isinstance(value, float) else len(f"{value:,}")
        return f"<c{number_style}><v>{value!r}</v></c>", width
    text = value.isoformat() if isinstance(value, dt.date) else printable(str(value))
    return f'<c t="inlineStr"><is><t xml:space="preserve">{_text(text)}</t></is></c>', _width(text)


def _width(text: str) -> int:
    """Display width, near enough for a column: CJK characters (3 bytes in UTF-8) count
    two, ASCII one. Exact widths (rich's ``cell_len``) cost more than the rest of a cell."""
    if text.isascii():
        return len(text)
    return (len(text.encode()) + len(text)) // 2


#: A carriage return would be read back as a line feed unless written as a reference.
_ENTITIES = {"\r": "&#13;"}


def _text(text: str) -> str:
    return escape(text, _ENTITIES)
