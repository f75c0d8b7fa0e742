"""Compact per-record maps: a record's values and cells without a dict per record.

Kept for the engine's record-object entry points (:mod:`compliance.engine.run`),
which read whole columns through their public ``index``/``data`` and
``prefixes``/``row`` attributes; the columnar engine reads
:class:`~compliance.reading.frame.SheetFrame` instead.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Records hold no reference cycles, yet each allocation burst would trigger
    collections that scan every record built so far.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class RowCells(Mapping[str, str]):
    """A record's field -> cell map, computed on access.

    Every record of a sheet shares one field -> "Sheet!E" prefix map, so a
    record costs one small object here instead of a dict of strings.
    ``prefixes`` and ``row`` are public so that evaluation can name the cells
    of a whole column at once.
    """

    __slots__ = ("prefixes", "row")

    def __init__(self, prefixes: Mapping[str, str], row: int) -> None:
        self.prefixes = prefixes
        self.row = row

    def __getitem__(self, field_id: str) -> str:
        return f"{self.prefixes[field_id]}{self.row}"

    def __iter__(self) -> Iterator[str]:
        return iter(self.prefixes)

    def __len__(self) -> int:
        return len(self.prefixes)

    def __contains__(self, field_id: object) -> bool:
        return field_id in self.prefixes

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (RowCells, (self.prefixes, self.row))


class RowValues(Mapping[str, Any]):
    """A record's field -> value map: the row's values over a field index shared by the sheet.

    A dict of twenty fields costs about 1 KB per record, a tuple of values about
    200 bytes; on a large sheet that is most of the memory the records take.
    ``index`` and ``data`` are public so that evaluation can read a whole
    column at once.
    """

    __slots__ = ("data", "index")

    def __init__(self, index: Mapping[str, int], data: tuple[Any, ...]) -> None:
        self.index = index
        self.data = data

    def __getitem__(self, field_id: str) -> Any:
        return self.data[self.index[field_id]]

    def get(self, field_id: str, default: Any = None) -> Any:
        i = self.index.get(field_id)
        return default if i is None else self.data[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)

    def __contains__(self, field_id: object) -> bool:
        return field_id in self.index

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (RowValues, (self.index, self.data))
