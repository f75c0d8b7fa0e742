"""Field values of a few listed communities, for the words that quote them.

The findings table holds a community's identity, not its figures; a staffing
shortfall in words quotes the households it was computed from ("2150 户需 6 人").
Until the table carries the figures its words need, this is the one place a
renderer reads them, from the table's records, for the rows it lists only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from compliance.findings import FindingsTable


def field_values(table: FindingsTable, recs: Sequence[int], field: str) -> dict[int, Any]:
    """``_rec`` -> the value of ``field`` for the communities ``recs`` of ``table``."""
    if not recs:
        return {}
    made = table.record_objects.subset(list(recs))
    return {rec: obj.values.get(field) for rec, obj in zip(recs, made, strict=True)}
