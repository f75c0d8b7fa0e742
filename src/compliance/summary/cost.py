"""What closing the premises gap would cost, and which rule's gap is the headline.

The unit cost (yuan per m²) comes from ``--cost-per-m2`` or the rule set's
:data:`COST_PARAMETER`; without either no cost is shown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from compliance.errors import UsageError
from compliance.summary.model import CostBasis

if TYPE_CHECKING:
    from compliance.rules.model import Rule, RuleSet

#: The rule-set parameter holding the cost of premises in yuan per m².
COST_PARAMETER = "premises_cost_per_m2"


def gap_rule(rules: Iterable[Rule]) -> Rule | None:
    """The rule whose gap is priced and ranked: ``premises`` or else the first rule in m²."""
    rules = tuple(rules)
    for r in rules:
        if r.id == "premises":
            return r
    for r in rules:
        if r.unit == "m2":
            return r
    return None


def cost_basis(
    ruleset: RuleSet, rules: Iterable[Rule], cost_per_m2: float | None = None
) -> CostBasis | None:
    """The unit cost to price the premises gap with: ``cost_per_m2`` if given, else the
    rule set's :data:`COST_PARAMETER`, else None (and no cost is shown)."""
    target = gap_rule(rules)
    if cost_per_m2 is not None:
        if not math.isfinite(cost_per_m2) or cost_per_m2 < 0:
            raise UsageError("cost_negative", value=cost_per_m2)
        if target is None:
            raise UsageError("cost_no_m2_rule")
        return CostBasis(per_m2=float(cost_per_m2), rule=target.id, origin="option")
    param = ruleset.parameters.get(COST_PARAMETER)
    if param is None or target is None:
        return None
    value = param.value
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise UsageError("cost_parameter", name=COST_PARAMETER, value=repr(value))
    return CostBasis(
        per_m2=float(value),
        rule=target.id,
        origin="ruleset",
        parameter=COST_PARAMETER,
        note_zh=param.note_zh,
        note_en=param.note_en,
    )
