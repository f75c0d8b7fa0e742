"""The native cell tokeniser (``src/native/scan.rs``), loaded with ctypes where it was built.

The build hook (``src/native/build_hook.py``) compiles it into this package as
``_scan.so`` (``.dylib``, ``.dll``) when rustc is found. It reads a block of
sheet data exactly as :func:`~compliance.reading.xlsx_tags.general_block` does,
checks each cell against the limit before keeping anything for it, keeps only
the wanted rows and columns, and hands them to polars as Arrow arrays (the C data
interface: no copy, and no pyarrow).
Without the library (or with ``COMPLIANCE_NATIVE=0``) the pure reader runs:
the same cells, bounded the same way, slower.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Collection
from pathlib import Path
from types import TracebackType

import polars as pl

from compliance.reading.xlsx_meanings import TYPED, from_codes
from compliance.reading.xlsx_tags import SCHEMA, BadReference, CellState, TooLarge
from compliance.reading.xlsx_xml import damaged

_ABI = 5
_SUFFIX = {"darwin": ".dylib", "win32": ".dll"}.get(sys.platform, ".so")
PATH = Path(__file__).with_name("_scan" + _SUFFIX)

_OK, _FALLBACK, _TOO_LARGE, _BAD_REFERENCE, _MALFORMED, _NOT_CLOSED = range(6)
_NO_STOP = 2**64 - 1


class _State(ctypes.Structure):
    _fields_ = (
        ("row", ctypes.c_uint64),
        ("col", ctypes.c_uint64),
        ("max_row", ctypes.c_uint64),
        ("max_col", ctypes.c_uint64),
    )


class _Filter(ctypes.Structure):
    _fields_ = (
        ("max_cells", ctypes.c_uint64),
        ("first_row", ctypes.c_uint64),
        ("stop_row", ctypes.c_uint64),
        ("wanted", ctypes.c_char_p),
        ("wanted_len", ctypes.c_size_t),
        ("typed", ctypes.c_uint8),
        ("dates", ctypes.c_char_p),
        ("dates_len", ctypes.c_size_t),
    )


_loaded: list[ctypes.CDLL | None] = []


def _load() -> ctypes.CDLL | None:
    try:
        lib = ctypes.CDLL(str(PATH))
        lib.cx_abi.restype = ctypes.c_uint32
        if lib.cx_abi() != _ABI:
            return None
    except (OSError, AttributeError):
        return None
    lib.cx_new.restype = ctypes.c_void_p
    lib.cx_free.argtypes = (ctypes.c_void_p,)
    lib.cx_scan.restype = ctypes.c_int32
    lib.cx_scan.argtypes = (
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.POINTER(_State),
        ctypes.POINTER(_Filter),
        ctypes.POINTER(ctypes.c_uint64),
    )
    lib.cx_len.restype = ctypes.c_size_t
    lib.cx_len.argtypes = (ctypes.c_void_p,)
    lib.cx_export.restype = ctypes.c_bool
    lib.cx_export.argtypes = (
        ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.POINTER(ctypes.c_void_p),
    )
    lib.cx_export_free.argtypes = (ctypes.c_void_p, ctypes.c_void_p)
    lib.cx_sst_new.restype = ctypes.c_void_p
    lib.cx_sst_free.argtypes = (ctypes.c_void_p,)
    lib.cx_sst_scan.restype = ctypes.c_int32
    lib.cx_sst_scan.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t)
    lib.cx_sst_len.restype = ctypes.c_size_t
    lib.cx_sst_len.argtypes = (ctypes.c_void_p,)
    lib.cx_sst_export.restype = ctypes.c_bool
    lib.cx_sst_export.argtypes = lib.cx_export.argtypes
    return lib


def library() -> ctypes.CDLL | None:
    """The loaded library, or None where it was not built (loaded once)."""
    if not _loaded:
        _loaded.append(_load() if PATH.exists() else None)
    return _loaded[0]


def _trimmer() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim.argtypes = (ctypes.c_size_t,)
    except (OSError, AttributeError):
        return None  # not glibc
    return libc


_LIBC = _trimmer()


def release() -> None:
    """Give the C heap's free memory back after a sheet's scan. Its per-block buffers are
    freed while the kept cells stay, and glibc keeps the holes (tens of MB on a large
    sheet) unless asked to trim."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def enabled() -> bool:
    """Whether reads use the native tokeniser (it is built and ``COMPLIANCE_NATIVE`` is not 0)."""
    return os.environ.get("COMPLIANCE_NATIVE", "1") != "0" and library() is not None


class Scanner:
    """One sheet's scan: blocks in, their kept cells out as frames of :data:`SCHEMA`
    (or their meanings)."""

    def __init__(
        self,
        lib: ctypes.CDLL,
        *,
        max_cells: int,
        columns: Collection[int] | None,
        first_row: int,
        stop_row: int | None,
        dates: bytes | None = None,
    ) -> None:
        """``dates`` (one byte per style index, 1 for a date style): keep the cells'
        meanings (:data:`~compliance.reading.xlsx_meanings.TYPED`); None: their text."""
        self._lib = lib
        self._dates = dates  # kept alive while the filter points at it
        self._handle = lib.cx_new()
        if not self._handle:
            raise MemoryError
        wanted = b""
        if columns is not None:
            mask = bytearray(max(columns, default=-1) + 1)
            for c in columns:
                mask[c] = 1
            wanted = bytes(mask)
        self._wanted = wanted  # kept alive while the filter points at it
        self._filter = _Filter(
            min(max_cells, _NO_STOP),
            first_row,
            _NO_STOP if stop_row is None else stop_row,
            wanted if columns is not None else None,
            len(wanted),
            dates is not None,
            dates or None,
            len(dates or b""),
        )
        if columns is not None and not wanted:
            self._filter.wanted = b"\0"  # no column is wanted
            self._filter.wanted_len = 1

    def __enter__(self) -> Scanner:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._handle:
            self._lib.cx_free(self._handle)
            self._handle = None

    def block(self, data: bytes, state: CellState) -> pl.DataFrame | None:
        """The block's kept cells (``state`` carried on), or None where the block is
        left to the pure reader (nothing changed)."""
        st = _State(state.row, state.col, state.max_row, state.max_col)
        reach = (ctypes.c_uint64 * 2)()
        code = self._lib.cx_scan(
            self._handle, data, len(data), ctypes.byref(st), ctypes.byref(self._filter), reach
        )
        if code == _OK:
            state.row, state.col, state.max_row, state.max_col = (
                st.row,
                st.col,
                st.max_row,
                st.max_col,
            )
            return self._frame()
        if code == _TOO_LARGE:
            raise TooLarge(reach[0], reach[1])
        if code == _BAD_REFERENCE:
            raise BadReference
        if code == _MALFORMED:
            raise damaged("a malformed tag in the sheet data")
        if code == _NOT_CLOSED:
            raise damaged("a cell is never closed")
        return None  # FALLBACK, or a fault inside the library: the pure reader reads it

    def _frame(self) -> pl.DataFrame:
        if not self._lib.cx_len(self._handle):
            return (
                pl.DataFrame(schema=SCHEMA) if self._dates is None else pl.DataFrame(schema=TYPED)
            )
        frame = _export(self._lib, self._lib.cx_export, self._handle)
        return frame if self._dates is None else from_codes(frame)


#: The items of a shared-strings block: each item's text, and whether it is still as
#: written (entities the library leaves to :func:`~compliance.reading.xlsx_xml.unescape`).
ITEMS = {"text": pl.String, "escaped": pl.Boolean}


class SharedStrings:
    """The items of a shared-strings part, a block at a time (``src/native/sst.rs``)."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        self._lib = lib
        self._handle = lib.cx_sst_new()
        if not self._handle:
            raise MemoryError

    def __enter__(self) -> SharedStrings:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._handle:
            self._lib.cx_sst_free(self._handle)
            self._handle = None

    def block(self, data: bytes) -> pl.DataFrame | None:
        """The block's items (:data:`ITEMS`), or None where it is left to the pure reader."""
        if self._lib.cx_sst_scan(self._handle, data, len(data)) != _OK:
            return None
        if not self._lib.cx_sst_len(self._handle):
            return pl.DataFrame(schema=ITEMS)
        return _export(self._lib, self._lib.cx_sst_export, self._handle)


def _export(lib: ctypes.CDLL, export: Callable[..., bool], handle: int) -> pl.DataFrame:
    """What the library holds, moved into a polars frame."""
    schema, array = ctypes.c_void_p(), ctypes.c_void_p()
    if not export(handle, ctypes.byref(schema), ctypes.byref(array)):
        raise MemoryError
    try:
        return pl.DataFrame(_Exported(schema.value, array.value))
    finally:
        lib.cx_export_free(schema, array)


_CAPSULE = ctypes.pythonapi.PyCapsule_New
_CAPSULE.restype = ctypes.py_object
_CAPSULE.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p)
_SCHEMA_NAME = b"arrow_schema"
_ARRAY_NAME = b"arrow_array"


class _Exported:
    """A block's cells as the Arrow PyCapsule interface gives them to polars, which
    moves them out (no copy); what it leaves is released by ``cx_export_free``."""

    def __init__(self, schema: int | None, array: int | None) -> None:
        self._schema = schema
        self._array = array

    def __arrow_c_array__(self, requested_schema: object = None) -> tuple[object, object]:
        return (
            _CAPSULE(self._schema, _SCHEMA_NAME, None),
            _CAPSULE(self._array, _ARRAY_NAME, None),
        )
