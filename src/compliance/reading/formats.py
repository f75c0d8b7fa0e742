"""Recognise a file's format from its first bytes, not its name."""

from __future__ import annotations

import zipfile
from pathlib import Path

from compliance.errors import InputError
from compliance.reading import parts
from compliance.reading.guards import ZIP_ERRORS, check_regular_file

#: Formats read through calamine, and CSV read by the standard library.
SPREADSHEET_FORMATS = ("xlsx", "xlsm", "xlsb", "xls", "ods")
SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".csv", ".txt", ".tsv")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


def sniff(path: Path) -> str:
    """'xlsx', 'xlsm', 'xlsb', 'ods', 'xls', 'encrypted' or 'csv', by content.

    Raises :class:`InputError` for an empty file or one that is clearly not a
    spreadsheet (a zip without a workbook in it, binary junk), and for what is
    not a regular file (a FIFO would block forever, a device never ends).
    """
    check_regular_file(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except FileNotFoundError:
        raise InputError("file_not_found", where=str(path)) from None
    except IsADirectoryError:
        raise InputError("file_is_folder", where=str(path)) from None
    except OSError as exc:
        raise InputError("file_cannot_open", reason=exc.strerror, where=str(path)) from None
    if not head:
        raise InputError("file_empty", where=str(path))
    if head.startswith(_OLE2):
        return _ole_kind(path)
    if head.startswith(_ZIP):
        return _zip_kind(path)
    if head.startswith((b"PK\x05\x06", b"PK\x07\x08")):
        raise InputError("file_empty_zip", where=str(path))
    _refuse_text_formats(head, path)
    if b"\x00" in head[:8] and not (head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        raise InputError("file_binary", where=str(path))
    return "csv"


def _refuse_text_formats(head: bytes, path: Path) -> None:
    """Text files that look like spreadsheets to a person but are not tables we read."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"%pdf"):
        raise InputError("file_pdf", where=str(path))
    if text.startswith(b"{\\rtf"):
        raise InputError("file_rtf", where=str(path))
    if b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        raise InputError("file_excel_2003_xml", where=str(path))
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (
        text.startswith(b"<") and b"<html" in text
    ):
        raise InputError("file_html", where=str(path))
    if text.startswith(b"<?xml"):
        raise InputError("file_xml", where=str(path))


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = parts.members(zf)
            workbook = parts.workbook_part(zf, names)
    except ZIP_ERRORS:
        raise InputError("file_damaged_zip", where=str(path)) from None
    if "word/document.xml" in names:
        raise InputError("file_word", where=str(path))
    if "ppt/presentation.xml" in names:
        raise InputError("file_powerpoint", where=str(path))
    # The package relationships name the workbook part, wherever it lives.
    if workbook.endswith(".bin"):
        return "xlsb"
    if workbook.endswith(".xml"):
        return "xlsm" if path.suffix.lower() == ".xlsm" else "xlsx"
    if "content.xml" in names:
        if _odf_encrypted(path):
            return "encrypted"
        return "ods"
    raise InputError("file_zip_without_workbook", where=str(path))


def _odf_encrypted(path: Path) -> bool:
    # An encrypted OpenDocument file lists its encryption in the manifest.
    try:
        with zipfile.ZipFile(path) as zf, zf.open("META-INF/manifest.xml") as fh:
            return b"encryption-data" in fh.read(1 << 20)
    except ZIP_ERRORS:
        return False


def _ole_kind(path: Path) -> str:
    # An encrypted .xlsx is an OLE2 container with an EncryptionInfo stream;
    # its stream names are stored in UTF-16 in the directory sectors.
    with path.open("rb") as fh:
        data = fh.read(1 << 20)
    if (
        "EncryptionInfo".encode("utf-16-le") in data
        or "EncryptedPackage".encode("utf-16-le") in data
    ):
        return "encrypted"
    return "xls"
