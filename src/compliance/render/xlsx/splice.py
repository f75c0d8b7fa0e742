"""Saving a workbook whose long sheets were encoded by
:mod:`~compliance.render.xlsx.stream`: openpyxl saves the workbook with those
sheets empty, and each one's rows are copied in place of its empty
``<sheetData>``, compressed like every other part."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import IO

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from compliance.render.xlsx.stream import Rows

_SHEET_DATA = re.compile(rb"<sheetData>(.*?)</sheetData>|<sheetData\s*/>", re.S)
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


def save(wb: Workbook, streams: Sequence[Rows], out: IO[bytes]) -> None:
    """Save ``wb`` to ``out`` with each stream's rows in its sheet."""
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as src:
        parts = _sheet_parts(src)
        by_part = {parts[s.ws.title]: s for s in streams if s.xml is not None}
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                stream = by_part.get(info.filename)
                if stream is None:
                    dst.writestr(info, data)
                    continue
                with dst.open(
                    _deflated(info), "w", force_zip64=_zip64(len(data) + stream.size)
                ) as fh:
                    _splice(data, stream, fh)


def _deflated(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A new entry for a long sheet, compressed as fast as the rest of the file (a
    fresh ``ZipInfo`` would be stored: 120 MB for 100,000 communities)."""
    entry = zipfile.ZipInfo(info.filename, info.date_time)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry._compresslevel = 1  # type: ignore[attr-defined]  # compress_level from 3.13
    return entry


def _zip64(size: int) -> bool:
    """Whether a sheet of about ``size`` bytes needs Zip64 (2 GiB or more, a few
    million communities); smaller ones keep the plain header every reader knows."""
    return size >= zipfile.ZIP64_LIMIT


def _splice(xml: bytes, stream: Rows, fh: IO[bytes]) -> None:
    match = _SHEET_DATA.search(xml)
    if match is None:  # pragma: no cover - openpyxl always writes sheetData
        raise ValueError("no <sheetData> in the sheet")
    head = xml[: match.start()]
    last_col = max(stream.last_col, stream.ws.max_column or 1)
    ref = f"A1:{get_column_letter(last_col)}{max(stream.last_row, 1)}".encode()
    head = _DIMENSION.sub(b'<dimension ref="' + ref + b'"/>', head, count=1)
    fh.write(head)
    fh.write(b"<sheetData>")
    if match.group(1):
        # The header rows openpyxl wrote; a row below them holds only empty cells
        # that openpyxl made (freezing panes touches the first data cell).
        kept = match.group(1)
        cut = kept.find(b'<row r="%d"' % stream.first_row)
        fh.write(kept if cut < 0 else kept[:cut])
    stream.copy_to(fh)
    fh.write(b"</sheetData>")
    fh.write(xml[match.end() :])


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> its part in the zip (from workbook.xml and its relationships)."""
    workbook = zf.read("xl/workbook.xml").decode()
    rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    targets = {
        m.group(1): m.group(2)
        for m in re.finditer(r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels)
    }
    targets.update(
        {
            m.group(2): m.group(1)
            for m in re.finditer(r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels)
        }
    )
    out = {}
    for m in re.finditer(r'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]+)"', workbook):
        target = targets[m.group(2)].lstrip("/")
        name = _unescape(m.group(1))
        out[name] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def _unescape(text: str) -> str:
    from xml.sax.saxutils import unescape

    return unescape(text, {"&quot;": '"', "&apos;": "'"})
