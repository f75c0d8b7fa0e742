"""Checking the reference tables (``[lookups.NAME]``) of a rule file.

A lookup never invents a figure, so its table is checked strictly when the rule
file is loaded: every field is known, every entry's scope is one of the key
fields, no name is given twice within a scope (after full-width forms and spaces
are folded), and a field that must be positive (the wage) has figures above 0.
"""

from __future__ import annotations

from collections.abc import Callable

from compliance.catalogue import Catalogue
from compliance.labels.messages import Msg, msg, problem
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
    problems: list[Msg],
    at: Callable[[tuple[str | int, ...]], Msg | str],
    provenance: Provenance | None = None,
) -> Lookup | None:
    """A checked lookup: known fields, scopes among its key fields, no name given twice
    within a scope, and figures > 0 for fields that must be positive. ``provenance``
    gives each figure the year and source of the table that wrote it (a rule set that
    extends another adds figures of its own)."""
    before = len(problems)
    where = msg("place_lookup", id=repr(lid))
    keys = ", ".join(lk.key)
    for f in (lk.field, *lk.key):
        if f not in cat:
            problems.append(
                problem(where, at(("lookups", lid)), msg("unknown_field", field=repr(f)))
            )
    if lk.scope is not None and lk.scope not in lk.key:
        problems.append(
            problem(
                msg("place_key", head=where, key="scope"),
                at(("lookups", lid, "scope")),
                msg("lookup_scope", scope=repr(lk.scope), keys=keys),
            )
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
        entry = msg("place_lookup_entry", head=where, name=repr(name))
        if scope not in lk.key:
            problems.append(
                problem(entry, place, msg("lookup_entry_scope", scope=repr(scope), keys=keys))
            )
        if not region_key(name):
            problems.append(problem(where, place, "lookup_empty_name"))
        if value != value or value in (float("inf"), float("-inf")):
            problems.append(problem(entry, place, msg("lookup_not_number", value=repr(value))))
        elif positive and value <= 0:
            problems.append(
                problem(entry, place, msg("lookup_not_positive", field=lk.field, value=repr(value)))
            )
        other = seen.get((scope, region_key(name)))
        if other is not None:
            problems.append(problem(entry, place, msg("lookup_same_name", other=repr(other))))
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
