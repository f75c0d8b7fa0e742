"""``--column FIELD=COLUMN``: parsing the pairs, and refusing one that names no field
with a hint that helps."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from compliance.errors import UsageError

if TYPE_CHECKING:
    from compliance.rules.model import RuleSet

_LETTERS = re.compile(r"[A-Za-z]{1,3}")


def check_columns(columns: dict[str, str], ruleset: RuleSet) -> None:
    """Refuse a --column pair that names no field, with a hint that helps.

    ``-c premises=I`` names a rule, not a field: say which field the rule reads.
    Suggestions come from the side that is not a column letter (``I`` is not a
    misspelt ``id``).
    """
    cat = ruleset.catalogue
    rules = {r.id: r for r in ruleset.rules}
    for left, right in columns.items():
        if left in cat or right in cat:
            continue
        words = [side for side in (left, right) if not _LETTERS.fullmatch(side)]
        rule = next((rules[w] for w in (left, right) if w in rules), None)
        if rule is not None:
            other = right if left == rule.id else left
            fields = [f for f in rule.fields if f in cat]
            example = f"--column {fields[0]}={other}" if fields else ""
            raise UsageError(
                f"--column {left}={right}: {rule.id} is a rule, not a field; it reads "
                f"{', '.join(fields)}" + (f" (e.g. {example})" if example else "")
            )
        hint = [h for w in words for h in cat.suggest(w)]
        raise UsageError(
            f"--column {left}={right}: neither side is a known field"
            + (f"; did you mean {', '.join(dict.fromkeys(hint))}?" if hint else "")
            + " (`compliance rules show` lists the fields each rule reads)"
        )


def parse_columns(values: list[str]) -> dict[str, str]:
    """``--column`` values as a mapping; each must look like ``A=B``."""
    out: dict[str, str] = {}
    for v in values:
        field, sep, target = v.partition("=")
        if not sep or not field.strip() or not target.strip():
            raise UsageError(
                f"--column {v!r}: expected FIELD=COLUMN, e.g. premises_area=H or premises_area=用房面积"
            )
        out[field.strip()] = target.strip()
    return out
