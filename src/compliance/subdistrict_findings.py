"""The sub-district results as a findings table: the one place they change form.

Rules checked per sub-district (:mod:`compliance.subdistricts`) give one result
per sub-district. What is made of a run (the summary, waivers, the annotated
copy, the counts and the exit code) reads them as a
:class:`~compliance.findings.FindingsTable`, as it reads the communities':
``records`` (one row per sub-district, ``_rec`` in the order each first appears,
with ``sheet``, the sheet it was read from, beside the identity columns) and
``outcomes``. While the engine still gives them as record objects,
:func:`group_table` makes that table from them and :func:`stored` gives them
back as objects to the renderers that read those; a table given is used as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from compliance.findings import IDENTITY, SEP, FindingsTable, RecordObjects
from compliance.model import RecordResult

if TYPE_CHECKING:
    import polars as pl

#: The columns the explainer adds to rows of ``outcomes`` (as the engine's, joined texts).
_EXPLAINED = ("derivation", "cells", "notes", "missing")


class _Explained:
    """An explainer that looks each finding's explanation up in a frame made once."""

    def __init__(self, explained: pl.DataFrame) -> None:
        self.explained = explained

    def __call__(self, rows: pl.DataFrame) -> pl.DataFrame:
        return rows.join(self.explained, on=["_rec", "rule"], how="left", maintain_order="left")


def _joined(items: Sequence[str]) -> str:
    return "".join(SEP + x for x in items)


def group_table(groups: Any, rules: Sequence[str]) -> FindingsTable | None:
    """``groups`` (a check's sub-district results) as a findings table, None when there
    are none. ``rules`` orders the rules (those of the communities' table)."""
    if isinstance(groups, FindingsTable):
        return groups
    if not groups:
        return None
    import polars as pl

    from compliance.findings_schema import JOINED_SCHEMA, OUTCOMES_SCHEMA, RECORDS_SCHEMA

    recs = [g.record for g in groups]
    records = pl.DataFrame(
        {
            "_rec": range(len(recs)),
            "_row": [r.row for r in recs],
            **{f: [_text(r.values.get(f)) for r in recs] for f in IDENTITY},
            "sheet": [r.sheet for r in recs],
        },
        schema={**RECORDS_SCHEMA, "sheet": pl.String()},
    )
    rows = [
        (
            i,
            f.rule,
            f.outcome.value,
            f.actual,
            f.required,
            f.shortfall,
            f.total,
            f.reason,
            f.derivation,
            _joined(f.cells),
            _joined(f.notes),
            _joined(f.missing),
        )
        for i, g in enumerate(groups)
        for f in g.findings
    ]
    frame = pl.DataFrame(rows, schema=JOINED_SCHEMA, orient="row")
    order = dict.fromkeys(f.rule for g in groups for f in g.findings)
    ranked = [r for r in rules if r in order] + [r for r in order if r not in rules]
    return FindingsTable(
        records,
        frame.select(list(OUTCOMES_SCHEMA)),
        ranked,
        _Explained(frame.select("_rec", "rule", *_EXPLAINED)),
        RecordObjects(objects=recs),
    )


def stored(table: FindingsTable) -> tuple[RecordResult, ...]:
    """What a check keeps as its sub-district results for ``table``: record objects
    while the renderers still read those."""
    return table.results


def _text(value: object) -> str | None:
    return None if value is None else str(value)
