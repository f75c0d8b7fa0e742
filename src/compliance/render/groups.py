"""A check's sub-district results as a findings table, for the renderers.

Renderers read sub-districts with the same functions as communities
(:mod:`compliance.render.rows`). Until the engine gives sub-district results as a
findings table of their own, this is the one place that turns them into one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from compliance.findings import IDENTITY, SEP, FindingsTable, RecordObjects
from compliance.findings_schema import OUTCOMES_SCHEMA, RECORDS_SCHEMA

if TYPE_CHECKING:
    from compliance.results import CheckResult

_FIGURES = ("actual", "required", "shortfall", "total")


def _joined(items: tuple[str, ...]) -> str:
    return "".join(SEP + x for x in items)


def group_table(check: CheckResult) -> tuple[FindingsTable, str] | None:
    """The sub-districts of ``check`` as a findings table, and the sheet they were
    read from; None where it has no rules checked per sub-district."""
    groups = check.groups
    if not groups:
        return None
    records: dict[str, list[object]] = {k: [] for k in RECORDS_SCHEMA}
    found: dict[str, list[object]] = {
        k: [] for k in (*OUTCOMES_SCHEMA, "derivation", "cells", "notes", "missing")
    }
    for i, rr in enumerate(groups):
        rec = rr.record
        records["_rec"].append(i)
        records["_row"].append(rec.row)
        for k in IDENTITY:
            v = rec.values.get(k)
            records[k].append(None if v is None else str(v))
        for f in rr.findings:
            found["_rec"].append(i)
            found["rule"].append(f.rule)
            found["outcome"].append(f.outcome.value)
            for k in _FIGURES:
                found[k].append(getattr(f, k))
            found["reason"].append(f.reason)
            found["derivation"].append(f.derivation)
            for k in ("cells", "notes", "missing"):
                found[k].append(_joined(getattr(f, k)))
    text = pl.String
    every = pl.DataFrame(
        found,
        schema={
            **OUTCOMES_SCHEMA,
            "derivation": text,
            "cells": text,
            "notes": text,
            "missing": text,
        },
    )
    explained = every.select("_rec", "rule", "derivation", "cells", "notes", "missing")

    def explain(rows: pl.DataFrame) -> pl.DataFrame:
        return rows.join(explained, on=["_rec", "rule"], how="left", maintain_order="left")

    rules = list(dict.fromkeys(every["rule"].to_list()))
    table = FindingsTable(
        pl.DataFrame(records, schema=RECORDS_SCHEMA),
        every.select(list(OUTCOMES_SCHEMA)),
        rules,
        explain,
        RecordObjects(objects=[rr.record for rr in groups]),
    )
    return table, groups[0].record.sheet
