"""The merged ranges of an .xlsx sheet, from its XML in pieces.

The ``<mergeCell>`` tags come after ``</sheetData>``, at the sheet's very end,
so finding them means reading all of it; only the text after ``</sheetData>``
is searched. Pieces may be cut anywhere; a cut tag is carried over to the next
piece.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from compliance.reading.xlsx_tags import column_number

Merged = list[tuple[tuple[int, int], tuple[int, int]]]

#: Past this many merged ranges none are followed.
MAX_MERGES = 1_000_000

_END = b"</sheetData>"
_MERGE = re.compile(rb"<mergeCell\s+ref=\"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})\"")


def merged_ranges(pieces: Iterable[bytes]) -> Merged:
    """Every ``<mergeCell>`` after ``</sheetData>`` in the sheet's XML given in ``pieces``
    (0-based (row, column) corners), or none when there are more than :data:`MAX_MERGES`."""
    merged: Merged = []
    carry = b""
    in_tail = False
    for piece in pieces:
        data = carry + piece
        if not in_tail:
            at = data.find(_END)
            if at < 0:
                carry = data[-len(_END) :]
                continue
            in_tail, data = True, data[at:]
        done = data.rfind(b">") + 1
        for m in _MERGE.finditer(data):
            r0, r1 = int(m[2]) - 1, int(m[4]) - 1
            c0, c1 = column_number(m[1].decode()) - 1, column_number(m[3].decode()) - 1
            merged.append(((r0, c0), (r1, c1)))
            done = max(done, m.end())  # a piece may end inside its tag, after the match
            if len(merged) > MAX_MERGES:
                return []
        carry = data[done:][-4096:]
    return merged
