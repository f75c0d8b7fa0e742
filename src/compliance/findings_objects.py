"""The findings of a table as Python objects, for what reads them one by one.

:func:`to_findings` turns rows of a findings table into :class:`Finding`
objects; :class:`RecordObjects` makes the communities' :class:`Record` objects
from the reader's frame when first asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from compliance.model import Finding, Outcome, Record

if TYPE_CHECKING:
    import polars as pl

    from compliance.reading.frame import SheetFrame

#: Separates the items of cells, notes and missing in the engine's texts.
SEP = "\x1f"
LISTS = ("cells", "notes", "missing")
_OUTCOMES = {o.value: o for o in Outcome}


class RecordObjects:
    """The records of a table as :class:`Record` objects, made on first call from the
    reader's frame, with the values the engine's screen emptied emptied
    (``emptied``: sheet row -> fields)."""

    def __init__(
        self, sheet: SheetFrame, emptied: Mapping[int, tuple[str, ...]] | None = None
    ) -> None:
        self._sheet = sheet
        self._emptied = dict(emptied or {})
        self._made: tuple[Record, ...] | None = None

    def __call__(self) -> tuple[Record, ...]:
        if self._made is None:
            self._made = _emptied(self._sheet.to_sheet_data().records, self._emptied)
        return self._made

    def subset(self, recs: Sequence[int]) -> tuple[Record, ...]:
        """The records at positions ``recs``, without making the others."""
        if self._made is not None:
            made = self._made
            return tuple(made[i] for i in recs)
        sheet = self._sheet
        rows = sheet.frame[list(recs)] if recs else sheet.frame.clear()
        part = type(sheet)(sheet.source, rows, sheet.problems, sheet.derived)
        return _emptied(part.to_sheet_data().records, self._emptied)

    def field_values(self, fields: Sequence[str], recs: Sequence[int]) -> pl.DataFrame:
        """The rows ``recs`` (``_rec`` numbers, in that order): ``_rec``, each of
        ``fields`` as the reader gave it (yes/no as booleans; null where empty,
        unreadable, emptied by the engine's screen or not a column) and the cell it
        came from in ``_cell:<field>`` ("" where none)."""
        import polars as pl

        from compliance.catalogue import default_catalogue
        from compliance.reading.frame import CELL_PREFIX, ROW, field_cells

        sheet, cat = self._sheet, default_catalogue()
        frame = sheet.frame
        columns: list[pl.Expr] = [pl.col("_rec")]
        for f in fields:
            if f not in frame.columns:
                columns.append(pl.lit(None).alias(f))
            else:
                v = pl.col(f).cast(pl.Boolean) if f in cat and cat[f].type == "flag" else pl.col(f)
                gone = [row for row, names in self._emptied.items() if f in names]
                if gone:
                    v = pl.when(pl.col(ROW).is_in(gone)).then(None).otherwise(v)
                columns.append(v.alias(f))
            columns.append(field_cells(sheet, f).alias(CELL_PREFIX + f))
        picked = frame.with_row_index("_rec")[list(recs)] if recs else frame.clear()
        if not recs:
            picked = picked.with_row_index("_rec")
        return picked.select(columns)

    @property
    def emptied(self) -> Mapping[int, tuple[str, ...]]:
        """Sheet row -> the fields the engine's screen emptied there."""
        return self._emptied

    def sheet_frame(self) -> SheetFrame:
        """The reader's frame the records are made from."""
        return self._sheet


def _emptied(objs: Sequence[Record], emptied: Mapping[int, tuple[str, ...]]) -> tuple[Record, ...]:
    if not emptied:
        return tuple(objs)
    out = list(objs)
    for i, rec in enumerate(out):
        fields = emptied.get(rec.row)
        if fields:
            out[i] = replace(rec, values={**rec.values, **dict.fromkeys(fields)})
    return tuple(out)


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
