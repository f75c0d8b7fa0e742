"""Column types of what the engine computes before it becomes a findings table
(the table's own types are in :mod:`compliance.findings_schema`)."""

from __future__ import annotations

import polars as pl

from compliance.findings_schema import OUTCOMES_SCHEMA

#: What the engine computes per rule: the outcomes, and whether a shortfall was
#: within the rule's tolerance (for the derivation text).
RULE_OUTCOMES_SCHEMA: dict[str, pl.DataType] = {**OUTCOMES_SCHEMA, "_within": pl.Boolean()}
