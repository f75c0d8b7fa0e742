"""Reading options beyond the sheet and the column mapping, passed as one value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read an input; every field's default is the automatic behaviour.

    ``header_row`` (1-based) says where the (last) header row is when it cannot
    be found; ``max_cells`` raises or lowers the sheet-size limit;
    ``workers`` names a per-worker roster sheet (``False``: never use one).
    """

    header_row: int | None = None
    max_cells: int | None = None
    workers: str | int | bool | None = None

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for :func:`~compliance.reading.read_records`."""
        return {"header_row": self.header_row, "max_cells": self.max_cells, "workers": self.workers}
