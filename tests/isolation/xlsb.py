"""Build a small .xlsb for tests: our rows written as BIFF12 records into a template.

LibreOffice reads .xlsb but cannot write it, and openpyxl cannot either, so
the worksheet part of ``tests/data/template.xlsb`` (calamine's test file
``tests/issue_419.xlsb``, one sheet, 5.7 KB, MIT licence) is replaced by one
written here: inline strings (BrtCellSt) and numbers (BrtCellReal), which is
all calamine needs.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "template.xlsb"
SHEET = "xl/worksheets/sheet1.bin"


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _record(kind: int, data: bytes = b"") -> bytes:
    # Record types are written as 1 or 2 bytes of 7 bits, like sizes.
    head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    return head + _varint(len(data)) + data


def _cell(col: int, value: Any) -> bytes:
    cell = struct.pack("<II", col, 0)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _record(0x0005, cell + struct.pack("<d", float(value)))  # BrtCellReal
    text = str(value).encode("utf-16-le")
    return _record(0x0006, cell + struct.pack("<I", len(text) // 2) + text)  # BrtCellSt


def sheet_records(rows: Sequence[Sequence[Any]]) -> bytes:
    """A worksheet part holding ``rows`` from A1."""
    width = max((len(r) for r in rows), default=1)
    out = bytearray(_record(0x0081))  # BrtBeginSheet
    out += _record(0x0094, struct.pack("<IIII", 0, max(len(rows) - 1, 0), 0, width - 1))
    out += _record(0x0091)  # BrtBeginSheetData
    for r, row in enumerate(rows):
        out += _record(0x0000, struct.pack("<IIHHBI", r, 0, 300, 0, 0, 0))  # BrtRowHdr
        for c, value in enumerate(row):
            if value is not None:
                out += _cell(c, value)
    out += _record(0x0092) + _record(0x0082)  # BrtEndSheetData, BrtEndSheet
    return bytes(out)


def write_xlsb(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    """An .xlsb whose only sheet holds ``rows``."""
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            body = sheet_records(rows) if item.filename == SHEET else src.read(item)
            out.writestr(item, body)
    return path


def xlsb_with(tmp: Path, name: str, extra: bytes) -> Path:
    """The xlsb fixture's rows, then the records ``extra`` before the end of the data."""
    body = sheet_records([["社区名称", "建筑面积"], ["城东社区", 400]])
    at = body.rfind(bytes([0x92, 0x01, 0x00]))  # BrtEndSheetData
    body = body[:at] + extra + body[at:]
    path = tmp / f"{name}.xlsb"
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            out.writestr(item, body if item.filename == SHEET else src.read(item))
    return path


def rec(kind: int, data: bytes) -> bytes:
    return bytes([kind, len(data)]) + data


XLSB_TRICKS = {
    "plain": b"",
    # A cell in row 1,048,576 and column XFD: 17 billion cells.
    "far": rec(0x00, struct.pack("<IIHHBI", 1_048_575, 0, 300, 0, 0, 0))
    + rec(0x05, struct.pack("<IId", 16_383, 0, 1.0)),
    # A cell record too short to hold a column takes the bytes an earlier record left in
    # calamine's buffer: here the column 16,000 of a record calamine does not read.
    "stale-column": rec(0x00, struct.pack("<IIHHBI", 5_000, 0, 300, 0, 0, 0))
    + rec(0x40, struct.pack("<I", 16_000))
    + rec(0x04, b""),
}
