"""Reading community records from spreadsheets and CSV files.

:func:`read_records` is the entry point: it recognises the file format by its
content, guards against hostile files, finds the header row, maps columns to
catalogue fields and parses every cell, noting each problem with its cell.
"""

from compliance.reading.guards import DEFAULT_MAX_CELLS
from compliance.reading.mapping import ColumnMap, load_mapping
from compliance.reading.options import ReadOptions
from compliance.reading.records import read_records

__all__ = ["DEFAULT_MAX_CELLS", "ColumnMap", "ReadOptions", "load_mapping", "read_records"]
