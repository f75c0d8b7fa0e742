"""Field values of some communities: the figures the findings table does not hold.

The findings table holds each community's identity, not its figures. A few things
made of a run quote them: the swings between two snapshots (premises area,
workers and households, with their cells) and the words of a staffing shortfall
("2150 户需 6 人"). :func:`field_values` is the one place they are read, for the
communities asked for only, as the reader gave them (a value the engine's screen
emptied is empty here too).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from compliance.findings import FindingsTable


def field_values(
    table: FindingsTable, fields: Sequence[str], recs: Sequence[int]
) -> list[tuple[dict[str, Any], dict[str, str]]]:
    """Per community of ``recs`` (``_rec`` numbers, in that order), the values of
    ``fields`` as the reader gave them (None where empty or unreadable) and the cells
    they came from ("" where none)."""
    rows = table.field_values(fields, recs).iter_rows(named=True)
    return [({f: r[f] for f in fields}, {f: r[f"_cell:{f}"] for f in fields}) for r in rows]
