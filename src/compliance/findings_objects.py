"""The findings of a table as Python objects, for what reads them one by one.

:func:`to_findings` turns rows of a findings table into :class:`Finding`
objects; :class:`RecordObjects` makes the communities' :class:`Record` objects
from the reader's frame when first asked (and crosses a process boundary as
that frame, never as objects); :class:`Stored` explains findings given in full.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from compliance._ipc import pack, unpack
from compliance.model import Finding, Outcome, Record

if TYPE_CHECKING:
    import polars as pl

    from compliance.reading.frame import SheetFrame

#: Separates the items of cells, notes and missing in the engine's texts.
SEP = "\x1f"
LISTS = ("cells", "notes", "missing")
_OUTCOMES = {o.value: o for o in Outcome}


class Stored:
    """The explainer of findings given in full: looks them up."""

    def __init__(self, full: pl.DataFrame) -> None:
        self.full = full

    def __call__(self, rows: pl.DataFrame) -> pl.DataFrame:
        keep = rows.select("_rec", "rule")
        return keep.join(self.full, on=["_rec", "rule"], how="left")


class RecordObjects:
    """The records of a table as :class:`Record` objects, made on first call from the
    reader's frame (or given), with the values the engine's screen emptied emptied
    (``emptied``: sheet row -> fields). Pickled as the frame, not as objects."""

    def __init__(
        self,
        *,
        sheet: SheetFrame | None = None,
        objects: Sequence[Record] | None = None,
        emptied: Mapping[int, tuple[str, ...]] | None = None,
    ) -> None:
        self._sheet = sheet
        self._objects = None if objects is None else tuple(objects)
        self._emptied = dict(emptied or {})
        self._made: tuple[Record, ...] | None = None

    def __call__(self) -> tuple[Record, ...]:
        if self._made is None:
            objs: Sequence[Record]
            if self._objects is not None:
                objs = self._objects
            else:
                assert self._sheet is not None
                objs = self._sheet.to_sheet_data().records
            self._made = _emptied(objs, self._emptied)
        return self._made

    def subset(self, recs: Sequence[int]) -> tuple[Record, ...]:
        """The records at positions ``recs``, without making the others."""
        if self._made is not None or self._sheet is None:
            made = self()
            return tuple(made[i] for i in recs)
        sheet = self._sheet
        rows = sheet.frame[list(recs)] if recs else sheet.frame.clear()
        part = type(sheet)(sheet.source, rows, sheet.problems, sheet.derived)
        return _emptied(part.to_sheet_data().records, self._emptied)

    def __getstate__(self) -> dict[str, Any]:
        import polars as pl

        sheet = self._sheet
        if sheet is not None and pl.Object not in sheet.frame.dtypes:
            return {
                "sheet": (sheet.source, pack(sheet.frame), sheet.problems, dict(sheet.derived)),
                "emptied": self._emptied,
            }
        # Roll-ups hold per-worker tuples (an object column): the records go packed.
        return {"packed": _pack(self())}

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "packed" in state:
            self.__init__(objects=_unpack(state["packed"]))  # type: ignore[misc]
        else:
            from compliance.reading.frame import SheetFrame

            source, frame, problems, derived = state["sheet"]
            sheet = SheetFrame(source, unpack(frame), problems, derived)
            self.__init__(sheet=sheet, emptied=state["emptied"])  # type: ignore[misc]


def _emptied(objs: Sequence[Record], emptied: Mapping[int, tuple[str, ...]]) -> tuple[Record, ...]:
    if not emptied:
        return tuple(objs)
    out = list(objs)
    for i, rec in enumerate(out):
        fields = emptied.get(rec.row)
        if fields:
            out[i] = replace(rec, values={**rec.values, **dict.fromkeys(fields)})
    return tuple(out)


def mark(items: tuple[str, ...]) -> str:
    return "".join(SEP + i for i in items)


def _split(text: str) -> tuple[str, ...]:
    return tuple(text[1:].split(SEP)) if text else ()


def to_findings(frame: pl.DataFrame) -> list[Finding]:
    """:class:`Finding` objects from rows of :meth:`FindingsTable._joined` (in their order)."""
    outcomes = list(map(_OUTCOMES.__getitem__, frame["outcome"].to_list()))
    columns = [
        frame[c].to_list()
        for c in ("actual", "required", "shortfall", "total", "derivation", "reason")
    ]
    cells, notes, missing = (list(map(_split, frame[c].to_list())) for c in LISTS)
    return [
        Finding(rule, o, a, r, s, t, d, why, c, n, m)
        for rule, o, a, r, s, t, d, why, c, n, m in zip(
            frame["rule"].to_list(), outcomes, *columns, cells, notes, missing, strict=True
        )
    ]


def _pack(objects: tuple[Record, ...]) -> tuple[Any, ...]:
    """Record objects for a process boundary: the reader's records share their source,
    sheet, notes, field index and cell prefixes, so they cross as those once plus a
    row number and a value tuple each (pickling 100,000 records one by one took 4 s)."""
    from compliance.reading.rowmaps import RowCells, RowValues

    if not objects:
        return ("objects", objects)
    first = objects[0]
    if type(first.values) is not RowValues or type(first.cells) is not RowCells:
        return ("objects", objects)
    shared = (first.source, first.sheet, first.derived, first.values.index, first.cells.prefixes)
    rows: list[int] = []
    data: list[tuple[Any, ...]] = []
    odd: dict[int, Record] = {}
    for i, r in enumerate(objects):
        v, c = r.values, r.cells
        if (
            type(v) is RowValues
            and type(c) is RowCells
            and v.index is shared[3]
            and c.prefixes is shared[4]
            and c.row == r.row
            and r.source == shared[0]
            and r.sheet == shared[1]
            and r.derived == shared[2]
        ):
            rows.append(r.row)
            data.append(v.data)
        else:
            odd[i] = r
            rows.append(r.row)
            data.append(())
    return ("columns", shared, rows, data, odd)


def _unpack(packed: tuple[Any, ...]) -> tuple[Record, ...]:
    if packed[0] == "objects":
        objects: tuple[Record, ...] = packed[1]
        return objects
    from compliance.reading.rowmaps import RowCells, RowValues

    _, (source, sheet, derived, index, prefixes), rows, data, odd = packed
    out = [
        Record(source, sheet, row, RowValues(index, values), RowCells(prefixes, row), derived)
        for row, values in zip(rows, data, strict=True)
    ]
    for i, r in odd.items():
        out[i] = r
    return tuple(out)
