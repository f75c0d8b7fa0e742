"""Column types of the findings table (see :mod:`compliance.findings`).

The engine fills a table of these columns and :class:`~compliance.findings.FindingsTable`
reads it, so the types sit below both.
"""

from __future__ import annotations

import polars as pl

RECORDS_SCHEMA: dict[str, pl.DataType] = {
    "_rec": pl.UInt32(),
    "_row": pl.Int64(),
    "id": pl.String(),
    "name": pl.String(),
    "city": pl.String(),
    "district": pl.String(),
    "subdistrict": pl.String(),
}

OUTCOMES_SCHEMA: dict[str, pl.DataType] = {
    "_rec": pl.UInt32(),
    "rule": pl.String(),
    "outcome": pl.String(),
    "actual": pl.Float64(),
    "required": pl.Float64(),
    "shortfall": pl.Float64(),
    "total": pl.Float64(),
    "reason": pl.String(),
}

FINDINGS_SCHEMA: dict[str, pl.DataType] = {
    **OUTCOMES_SCHEMA,
    "derivation": pl.String(),
    "cells": pl.List(pl.String()),
    "notes": pl.List(pl.String()),
    "missing": pl.List(pl.String()),
}

#: The findings as the engine builds them: cells, notes and missing fields as
#: texts joined by ``\x1f`` (see :mod:`compliance.engine.explain`).
JOINED_SCHEMA: dict[str, pl.DataType] = {
    **OUTCOMES_SCHEMA,
    "derivation": pl.String(),
    "cells": pl.String(),
    "notes": pl.String(),
    "missing": pl.String(),
}
