"""A check's sub-district results as a findings table, for the renderers.

Renderers read sub-districts with the same functions as communities
(:mod:`compliance.render.rows`): the engine gives them as a findings table of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compliance.findings import FindingsTable
    from compliance.results import CheckResult


def group_table(check: CheckResult) -> tuple[FindingsTable, str] | None:
    """The sub-districts of ``check`` as a findings table, and the sheet they were
    read from; None where it has no rules checked per sub-district."""
    groups = check.groups
    if groups is None or not len(groups):
        return None
    return groups, check.group_sheet
