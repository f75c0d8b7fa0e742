"""The records of one sheet as columns: what the reader gives the engine.

A :class:`SheetFrame` holds one row per community that is checked, with one
column per catalogue field the sheet maps (numbers as Float64, text as String;
null where the cell is empty or unreadable, and an unreadable cell also has a
:class:`~compliance.model.DataProblem`). ``_row`` is the 1-based sheet row.
Optional ``_cell:<field>`` columns replace a field's default cell reference
where a value came from elsewhere (a roster sheet), and ``_note:<field>``
columns carry per-row notes on how a value was derived.

The adapters :func:`frame_from_sheet_data` and :meth:`SheetFrame.to_sheet_data`
convert to and from the record objects of :mod:`compliance.model`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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

    @property
    def fields(self) -> tuple[str, ...]:
        """The field ids that have a column."""
        return tuple(c for c in self.frame.columns if not c.startswith("_"))

    def __len__(self) -> int:
        return self.frame.height

    def to_sheet_data(self) -> SheetData:
        """The same records as :class:`~compliance.model.Record` objects."""
        fields = self.fields
        overrides = [c for c in self.frame.columns if c.startswith(CELL_PREFIX)]
        records = []
        path = self.source.path
        for row in self.frame.iter_rows(named=True):
            r = int(row[ROW])
            values = {f: _python(row[f]) for f in fields}
            cells = {f: default_cell(self.source, f, r) for f in fields}
            for c in overrides:
                if row[c] is not None:
                    cells[c[len(CELL_PREFIX) :]] = row[c]
            derived = dict(self.derived)
            for c in self.frame.columns:
                if c.startswith(NOTE_PREFIX) and row[c] is not None:
                    derived[c[len(NOTE_PREFIX) :]] = row[c]
            records.append(Record(path, self.source.sheet, r, values, cells, derived))
        return SheetData(self.source, tuple(records), self.problems)


def _python(value: Any) -> Any:
    # Whole floats read back as ints, as the record reader gives them.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def frame_from_sheet_data(data: SheetData) -> SheetFrame:
    """Columns from record objects (the reverse of :meth:`SheetFrame.to_sheet_data`)."""
    import polars as pl

    from compliance.catalogue import default_catalogue

    cat = default_catalogue()
    fields: dict[str, None] = {}
    for rec in data.records:
        fields.update(dict.fromkeys(rec.values))
    columns: dict[str, pl.Series] = {
        ROW: pl.Series(ROW, [r.row for r in data.records], dtype=pl.Int64)
    }
    for f in fields:
        values = [r.values.get(f) for r in data.records]
        numeric = f in cat and cat[f].type in ("integer", "number", "flag")
        dtype = pl.Float64 if numeric else pl.String
        if numeric:
            values = [None if v is None else float(v) for v in values]
        else:
            values = [None if v is None else str(v) for v in values]
        columns[f] = pl.Series(f, values, dtype=dtype)
        defaults = [default_cell(data.source, f, r.row) for r in data.records]
        cells = [r.cells.get(f, "") for r in data.records]
        if cells != defaults:
            columns[CELL_PREFIX + f] = pl.Series(
                CELL_PREFIX + f,
                [c if c != d else None for c, d in zip(cells, defaults, strict=True)],
                dtype=pl.String,
            )
    derived = dict(data.records[0].derived) if data.records else {}
    for f in fields:
        notes = [r.derived.get(f) for r in data.records]
        if any(n != derived.get(f) for n in notes):
            columns[NOTE_PREFIX + f] = pl.Series(NOTE_PREFIX + f, notes, dtype=pl.String)
            derived.pop(f, None)
    return SheetFrame(data.source, pl.DataFrame(columns), data.problems, derived)
