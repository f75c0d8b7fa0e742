"""How the inputs' columns are found: ``--column FIELD=COLUMN`` (parsing the pairs, and
refusing one that names no field with a hint that helps), ``--mapping``, ``--sheet``,
``--max-cells`` and ``--workers``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from compliance.errors import UsageError
from compliance.labels.messages import msg

if TYPE_CHECKING:
    from pathlib import Path

    from compliance.reading import ReadOptions
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
                "column_is_rule",
                pair=f"{left}={right}",
                rule=rule.id,
                fields=", ".join(fields),
                example=msg("for_example", text=example) if example else "",
            )
        hint = [h for w in words for h in cat.suggest(w)]
        raise UsageError(
            "column_no_field",
            pair=f"{left}={right}",
            hint=msg("did_you_mean", names=", ".join(dict.fromkeys(hint))) if hint else "",
        )


def parse_columns(values: list[str]) -> dict[str, str]:
    """``--column`` values as a mapping; each must look like ``A=B``."""
    out: dict[str, str] = {}
    for v in values:
        field, sep, target = v.partition("=")
        if not sep or not field.strip() or not target.strip():
            raise UsageError("column_pair", value=repr(v))
        out[field.strip()] = target.strip()
    return out


def how_to_read(
    ruleset: RuleSet,
    sheet: str | None,
    pairs: list[str] | None,
    mapping: Path | None,
    max_cells: int | None,
    workers: str | None,
) -> tuple[str | None, dict[str, str], ReadOptions | None]:
    """The sheet, the column map and the read options the inputs are read with: the
    mapping file first, ``--column`` and ``--sheet`` over it."""
    columns = parse_columns(pairs or [])
    check_columns(columns, ruleset)
    if mapping is None and max_cells is None and workers is None:
        return sheet, columns, None
    from compliance.reading import ReadOptions, load_mapping

    mapped = load_mapping(mapping, ruleset.catalogue) if mapping is not None else None
    if mapped is not None:
        columns = {**mapped.columns, **columns}
        if sheet is None and mapped.sheet is not None:
            sheet = str(mapped.sheet)
    roster: str | bool | None = False if workers in ("none", "no", "0") else workers
    options = ReadOptions(
        header_row=mapped.header_row if mapped is not None else None,
        max_cells=max_cells,
        workers=roster,
    )
    return sheet, columns, options
