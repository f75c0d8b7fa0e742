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
from compliance.rules.model import Lookup, LookupEntry, region_key
from compliance.rules.schema import LookupEntrySpec, LookupSpec


def compile_lookup(
    lid: str,
    lk: LookupSpec,
    cat: Catalogue,
    problems: list[Msg],
    at: Callable[[tuple[str | int, ...]], Msg | str],
) -> Lookup | None:
    """A checked lookup: known fields, scopes among its key fields, no name given twice
    within a scope, and figures > 0 for fields that must be positive."""
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
        entries.append(LookupEntry(name, float(value), scope))
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
