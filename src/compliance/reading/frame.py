"""The records of one sheet as columns: what the reader gives the engine.

A :class:`SheetFrame` holds one row per community that is checked, with one
column per catalogue field the sheet maps (numbers as Float64, text as String;
null where the cell is empty or unreadable, and an unreadable cell also has a
:class:`~compliance.model.DataProblem`). ``_row`` is the 1-based sheet row.
Optional ``_cell:<field>`` columns replace a field's default cell reference
where a value came from elsewhere (a roster sheet), and ``_note:<field>``
columns carry per-row notes on how a value was derived.

:meth:`SheetFrame.to_sheet_data` gives the same rows as the record objects of
:mod:`compliance.model` (for the public ``read_records`` and the object view of
findings).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING, Any

from compliance.model import DataProblem, Record, SheetData, SourceInfo

if TYPE_CHECKING:
    import polars as pl

ROW = "_row"
CELL_PREFIX = "_cell:"
NOTE_PREFIX = "_note:"


def default_cell(source: SourceInfo, field_id: str, row: int) -> str:
    """The cell a field's value of a sheet row came from: "社区情况!E12" ("E12" for CSV)."""
    letter = source.columns[field_id][0] if field_id in source.columns else ""
    if not letter:
        return ""
    return (
        f"{source.sheet}!{letter}{row}"
        if source.sheet and not source.format.startswith("csv")
        else f"{letter}{row}"
    )


@dataclass(frozen=True, slots=True)
class SheetFrame:
    """One sheet's community records as a polars DataFrame (see the module docstring)."""

    source: SourceInfo
    frame: pl.DataFrame
    problems: tuple[DataProblem, ...] = ()
    #: field id -> how it was derived for every row ("pay_annual": "pay_monthly × 12").
    derived: Mapping[str, str] = field(default_factory=dict)
    #: The 合计/小计 rows the reader left out: ``_row``, ``_label`` (the text that
    #: names it a subtotal), ``_label_cell`` ("社区情况!A6") and the parsed field
    #: columns, as the community rows have them. None where the reader saw none.
    subtotals: pl.DataFrame | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        """The field ids that have a column."""
        return tuple(c for c in self.frame.columns if not c.startswith("_"))

    def __len__(self) -> int:
        return self.frame.height

    def to_sheet_data(self) -> SheetData:
        """The same records as :class:`~compliance.model.Record` objects.

        Numbers read back as floats, yes/no fields as booleans and text as str,
        as the record reader has always given them. Records share one field
        index and one cell-prefix map (:mod:`~compliance.reading.rowmaps`).
        """
        from compliance.reading.rowmaps import gc_paused

        with gc_paused():
            return self._records()

    def _records(self) -> SheetData:
        from compliance.catalogue import default_catalogue
        from compliance.reading.rowmaps import RowCells, RowValues

        cat = default_catalogue()
        fields = self.fields
        frame = self.frame
        path = self.source.path
        rows = frame[ROW].cast(int).to_list() if frame.height else []
        columns = []
        for f in fields:
            col = frame[f]
            if f in cat and cat[f].type == "flag":
                col = col.cast(bool)
            columns.append(col.to_list())
        index = {f: i for i, f in enumerate(fields)}
        values: list[Any] = (
            [RowValues(index, t) for t in zip(*columns, strict=True)]
            if columns
            else [{}] * len(rows)
        )
        overrides = [c for c in frame.columns if c.startswith(CELL_PREFIX)]
        notes = [c for c in frame.columns if c.startswith(NOTE_PREFIX)]
        prefixes = {f: _prefix(self.source, _cell_field(f, self.derived)) for f in fields}
        extra_cells = [frame[c].to_list() for c in overrides]
        extra_notes = [frame[c].to_list() for c in notes]
        derived = dict(self.derived)
        sheet = self.source.sheet if not _is_csv(self.source) else ""
        refs: list[Mapping[str, str]] = [RowCells(prefixes, r) for r in rows]
        row_derived: list[Mapping[str, str]] = [derived] * len(rows)
        for k in range(len(rows)) if extra_cells or extra_notes else ():
            # Only rows with a roll-up or a note of their own get dicts.
            if any(col[k] is not None for col in extra_cells):
                cells = dict(refs[k])
                for c, given in zip(overrides, extra_cells, strict=True):
                    if given[k] is not None:
                        cells[c[len(CELL_PREFIX) :]] = given[k]
                refs[k] = cells
            if any(col[k] is not None for col in extra_notes):
                own = dict(derived)
                for c, note in zip(notes, extra_notes, strict=True):
                    if note[k] is not None:
                        own[c[len(NOTE_PREFIX) :]] = note[k]
                row_derived[k] = own
        records = list(map(Record, repeat(path), repeat(sheet), rows, values, refs, row_derived))
        return SheetData(self.source, tuple(records), self.problems)


def field_cells(sheet: SheetFrame, field_id: str) -> pl.Expr:
    """The cell each row's value of a field came from: its ``_cell:`` override, else
    the column of the field (or of the field it is derived from) at the row; "" where
    the sheet has no column for the field."""
    import polars as pl

    if field_id not in sheet.frame.columns:
        return pl.lit("")
    prefix = _prefix(sheet.source, _cell_field(field_id, sheet.derived))
    default = pl.lit(prefix) + pl.col(ROW).cast(pl.String)
    if CELL_PREFIX + field_id in sheet.frame.columns:
        return pl.coalesce(pl.col(CELL_PREFIX + field_id), default)
    return default


def _cell_field(field_id: str, derived: Mapping[str, str]) -> str:
    """The field whose cell a derived field points at ("pay_annual" -> "pay_monthly")."""
    how = derived.get(field_id)
    return how.split(" ", 1)[0] if how else field_id


def _is_csv(source: SourceInfo) -> bool:
    return source.format.startswith("csv")


def _prefix(source: SourceInfo, field_id: str) -> str:
    """A field's cell name without the row: "社区情况!E" ("E" for CSV)."""
    letter = source.columns[field_id][0] if field_id in source.columns else ""
    return f"{source.sheet}!{letter}" if source.sheet and not _is_csv(source) else letter
