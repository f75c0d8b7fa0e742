"""Reading community records from spreadsheets and CSV files.

:func:`read_frame` is the entry point: it recognises the file format by its
content, guards against hostile files, finds the header row, maps columns to
catalogue fields and reads the needed columns into a polars-backed
:class:`~compliance.reading.frame.SheetFrame`, noting each problem with its
cell. :func:`read_records` gives the same rows as record objects.
"""

from compliance.reading.guards import DEFAULT_MAX_CELLS
from compliance.reading.mapping import ColumnMap, load_mapping
from compliance.reading.options import ReadOptions
from compliance.reading.records import read_frame, read_records

__all__ = [
    "DEFAULT_MAX_CELLS",
    "ColumnMap",
    "ReadOptions",
    "load_mapping",
    "read_frame",
    "read_records",
]
