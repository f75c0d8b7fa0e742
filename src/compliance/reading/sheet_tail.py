"""The yes/no cells and the merged ranges of an .xlsx sheet, from its XML in pieces.

Both lie anywhere in the sheet's XML (the ``<mergeCell>`` tags after
``</sheetData>``, at its very end), so finding them means reading all of it.
:class:`SheetTail` is fed the pieces of a pass over the sheet
(:func:`compliance.reading.xlsx_read.merged_ranges`). Pieces may be cut anywhere; a cut
tag is carried over to the next piece.
"""

from __future__ import annotations

import re

from compliance.reading.xlsx_cells import column_number

Merged = list[tuple[tuple[int, int], tuple[int, int]]]

#: Past this many merged ranges the sheet is read whole the old way.
MAX_MERGES = 1_000_000

#: A cell's ``r="B12"`` reference (also read by the head reader).
ATTR_R = re.compile(rb"\br=\"([A-Z]{1,3})?(\d{1,7})\"")
_BOOL_CELL = re.compile(rb"<c\b([^>]*?\bt=\"b\"[^>]*?)/?>")
_MERGE = re.compile(rb"<mergeCell\s+ref=\"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})\"")


def _bools(data: bytes, out: dict[tuple[int, int], bool]) -> None:
    for m in _BOOL_CELL.finditer(data):
        r = ATTR_R.search(m[1])
        if r is None or r[1] is None:
            continue
        at = data.find(b"<v>", m.end(), m.end() + 512)
        value = data[at + 3 : at + 4] == b"1" if at >= 0 else False
        out[(int(r[2]) - 1, column_number(r[1].decode()) - 1)] = value


class SheetTail:
    """Every yes/no cell, and every ``<mergeCell>`` after ``</sheetData>``.

    A tap on a pass over the sheet: ``begin`` starts afresh, ``feed``
    takes the next piece, ``end`` marks the pass complete.
    """

    def __init__(self) -> None:
        self.begin()

    def begin(self) -> None:
        self.merged: Merged = []
        self.bools: dict[tuple[int, int], bool] = {}
        self.complete = False
        self._in_tail = False
        self._carry = b""

    def end(self) -> None:
        self.complete = True

    def result(self) -> tuple[Merged, dict[tuple[int, int], bool]] | None:
        """What was found, or None when there are too many merged ranges to follow."""
        return None if len(self.merged) > MAX_MERGES else (self.merged, self.bools)

    def feed(self, piece: bytes) -> None:
        data = self._carry + piece
        if len(self.merged) > MAX_MERGES:
            return
        if not self._in_tail:
            at = data.find(b"</sheetData>")
            if b't="b"' in data:
                _bools(data if at < 0 else data[:at], self.bools)
            if at >= 0:
                self._in_tail, data = True, data[at:]
        if self._in_tail:
            done = data.rfind(b">") + 1
            for m in _MERGE.finditer(data):
                r0, r1 = int(m[2]) - 1, int(m[4]) - 1
                c0, c1 = column_number(m[1].decode()) - 1, column_number(m[3].decode()) - 1
                self.merged.append(((r0, c0), (r1, c1)))
                done = max(done, m.end())  # a piece may end inside its tag, after the match
            self._carry = data[done:][-4096:]
        else:
            # From the last cell start, so that a yes/no cell cut between its tag and
            # its value is matched again whole (matching one twice is harmless).
            window = max(len(data) - 4096, 0)
            start = data.rfind(b"<c", window)
            start = start if start >= 0 else data.rfind(b"<", window)
            self._carry = data[start:] if start >= 0 else data[-16:]
