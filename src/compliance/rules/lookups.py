"""Checking the reference tables (``[lookups.NAME]``) of a rule file.

A lookup never invents a figure, so its table is checked strictly when the rule
file is loaded: every field is known, every entry's scope is one of the key
fields, no name is given twice within a scope (after full-width forms and spaces
are folded), and a field that must be positive (the wage) has figures above 0.
"""

from __future__ import annotations

from collections.abc import Callable

from compliance.catalogue import Catalogue
from compliance.rules.inherit import Merged
from compliance.rules.model import Lookup, LookupEntry, region_key
from compliance.rules.schema import LookupEntrySpec, LookupSpec

#: The year, source and illustrative flag of a lookup's figure, by entry name (None:
#: the lookup's own).
Provenance = Callable[[str], tuple[int | None, str, bool] | None]


def compile_lookup(
    lid: str,
    lk: LookupSpec,
    cat: Catalogue,
    problems: list[str],
    at: Callable[[tuple[str | int, ...]], str],
    provenance: Provenance | None = None,
) -> Lookup | None:
    """A checked lookup: known fields, scopes among its key fields, no name given twice
    within a scope, and figures > 0 for fields that must be positive. ``provenance``
    gives each figure the year and source of the table that wrote it (a rule set that
    extends another adds figures of its own)."""
    before = len(problems)
    where = f"lookup {lid!r}"
    for f in (lk.field, *lk.key):
        if f not in cat:
            problems.append(f"{where}{at(('lookups', lid))}: unknown record field {f!r}")
    if lk.scope is not None and lk.scope not in lk.key:
        problems.append(
            f"{where}, scope{at(('lookups', lid, 'scope'))}: {lk.scope!r} is not one of its "
            f"key fields ({', '.join(lk.key)})"
        )
    default_scope = lk.scope if lk.scope in lk.key else lk.key[0]
    positive = lk.field in cat and cat[lk.field].positive
    entries: list[LookupEntry] = []
    seen: dict[tuple[str, str], str] = {}
    for name, raw in lk.values.items():
        place = at(("lookups", lid, "values", name))
        value, scope = (
            (raw.value, raw.scope or default_scope)
            if isinstance(raw, LookupEntrySpec)
            else (raw, default_scope)
        )
        if scope not in lk.key:
            problems.append(
                f"{where}, entry {name!r}{place}: scope {scope!r} is not one of its key fields "
                f"({', '.join(lk.key)})"
            )
        if not region_key(name):
            problems.append(f"{where}{place}: an entry has an empty name")
        if value != value or value in (float("inf"), float("-inf")):
            problems.append(f"{where}, entry {name!r}{place}: {value!r} is not a number")
        elif positive and value <= 0:
            problems.append(
                f"{where}, entry {name!r}{place}: {lk.field} must be greater than 0, not {value!r}"
            )
        other = seen.get((scope, region_key(name)))
        if other is not None:
            problems.append(f"{where}, entry {name!r}{place}: the same name as {other!r}")
        seen[(scope, region_key(name))] = name
        own = provenance(name) if provenance is not None else None
        year, source, illustrative = (
            own if own is not None else (lk.year, lk.source, lk.illustrative)
        )
        entries.append(LookupEntry(name, float(value), scope, year, source, illustrative))
    if len(problems) > before:
        return None
    return Lookup(
        id=lid,
        field=lk.field,
        key=tuple(lk.key),
        entries=tuple(entries),
        year=lk.year,
        source=lk.source,
        illustrative=lk.illustrative,
        note_zh=lk.note_zh,
        note_en=lk.note_en,
    )


def provenance(merged: Merged | None, lid: str) -> Provenance | None:
    """Each figure of lookup ``lid`` with the year, source and illustrative flag of the
    table in the file that wrote it (not those of a file it extends)."""
    if merged is None or len(merged.layers) == 1:
        return None
    by_path = {str(layer.path): layer for layer in merged.layers}

    def of(name: str) -> tuple[int | None, str, bool] | None:
        origin = merged.origins.get(("lookups", lid, "values", name))
        layer = by_path.get(origin.path) if origin is not None else None
        if layer is None:
            return None
        table = (layer.raw.get("lookups") or {}).get(lid) or {}
        year = table.get("year")
        return (
            year if isinstance(year, int) and not isinstance(year, bool) else None,
            str(table.get("source", "")),
            table.get("illustrative") is True,
        )

    return of
