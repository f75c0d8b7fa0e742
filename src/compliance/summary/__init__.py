"""The shortfall summary: how big the gap is, where it is, and what closing it would take.

:func:`summarise` rolls a :class:`~compliance.results.Report` up by region (city,
district or sub-district). For each region and for the whole run it counts the
communities that comply with every rule, and per rule the failing and unknown
communities and the total shortfall in the rule's unit (m² of premises missing,
workers missing, uninsured workers), or for a rule with a scale (pay) in its total
unit only: yuan for all workers. Per-worker yuan shortfalls are never added up
across communities. Where a unit
cost of premises is known it prices the premises gap.

Unknowns are counted and shown, but never add to a shortfall and never count as
compliance. Everything here is immutable data; renderers turn it into text.

:mod:`.model` holds that data, :mod:`.rollup` does the counting and
:mod:`.cost` prices the gap.

>>> from compliance import api
>>> from compliance.summary import summarise
>>> s = summarise(api.check_files(["samples/jinhua-2007.xlsx"]), by="district")  # doctest: +SKIP
>>> s.total.rule("premises").failed  # doctest: +SKIP
68
"""

from __future__ import annotations

from compliance.summary.cost import COST_PARAMETER, cost_basis, gap_rule
from compliance.summary.model import (
    LEVELS,
    CostBasis,
    Level,
    RegionSummary,
    RuleTotals,
    Summary,
    gap_shares,
)
from compliance.summary.rollup import present_levels, summarise

__all__ = [
    "COST_PARAMETER",
    "LEVELS",
    "CostBasis",
    "Level",
    "RegionSummary",
    "RuleTotals",
    "Summary",
    "cost_basis",
    "gap_rule",
    "gap_shares",
    "present_levels",
    "summarise",
]
