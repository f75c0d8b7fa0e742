"""Validate a rule file's tables against the schema, naming the rule, field and line.

The tables are checked by the pydantic models of :mod:`compliance.rules.schema`;
each problem names the rule (by id where the file gives one) and the field. When
the schema check fails, the expressions are still checked, so that one run of
``rules validate`` lists every mistake.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from compliance.catalogue import DECLARED_KINDS, Catalogue, default_catalogue
from compliance.errors import RuleSetError
from compliance.rules.compile import EXPRESSIONS, KIND_OF_TYPE, field_kinds
from compliance.rules.expressions import ExpressionError, Value, compile_expression
from compliance.rules.locate import Locator, no_line
from compliance.rules.schema import RuleSetFile


def _location(loc: tuple[int | str, ...], raw: Mapping[str, Any]) -> str:
    """'rule 'premises', field compare' from a pydantic error location."""
    if len(loc) >= 2 and loc[0] in ("rules", "checks") and isinstance(loc[1], int):
        rules = raw.get(loc[0])
        rid = None
        if isinstance(rules, list) and loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
            rid = rules[loc[1]].get("id")
        kind = str(loc[0])[:-1]
        head = f"{kind} {rid!r}" if rid else f"{kind} #{loc[1] + 1}"
        rest = ".".join(str(x) for x in loc[2:])
        return f"{head}, field {rest}" if rest else head
    return ".".join(str(x) for x in loc)


def _place(loc: tuple[int | str, ...], raw: Mapping[str, Any]) -> tuple[str | int, ...]:
    """A pydantic location with rule positions turned into rule ids where known."""
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = raw.get("rules")
        if isinstance(rules, list) and loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
            rid = rules[loc[1]].get("id")
            if isinstance(rid, str):
                return ("rules", rid, *loc[2:])
        return ("rules", f"#{loc[1] + 1}", *loc[2:])
    return tuple(loc)


def validate_file(
    raw: Mapping[str, Any], where: str, *, locate: Locator | None = None
) -> RuleSetFile:
    """Validate raw TOML tables against the rule-file schema.

    Raises :class:`RuleSetError` with one problem per mistake, each naming the
    rule and field (and, with ``locate``, the line).
    """
    at = locate or no_line
    try:
        return RuleSetFile.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"{_location(e['loc'], raw)}{at(_place(e['loc'], raw))}: {e['msg']}"
            for e in exc.errors()
        ]
        raise RuleSetError("; ".join(problems), where=where, problems=problems) from None


def expression_problems(
    raw: Mapping[str, Any], catalogue: Catalogue | None, at: Locator
) -> list[str]:
    """Expression mistakes in tables that failed validation, so that one run of
    ``rules validate`` lists them together with the schema problems."""
    cat = catalogue or default_catalogue()
    kinds = field_kinds(cat)
    declared = raw.get("fields")
    if isinstance(declared, Mapping):
        # Declared fields are names too, of the kind they say (a mistake in them is
        # reported by the schema).
        for fid, spec in declared.items():
            kind = spec.get("kind") if isinstance(spec, Mapping) else None
            if isinstance(kind, str) and kind in DECLARED_KINDS and str(fid) not in kinds:
                kinds[str(fid)] = KIND_OF_TYPE[DECLARED_KINDS[kind][0]]
    params: dict[str, Value] = {}
    table = raw.get("parameters")
    if isinstance(table, Mapping):
        for pid, p in table.items():
            value = p.get("value") if isinstance(p, Mapping) else None
            if isinstance(value, int | float | str | bool):
                params[str(pid)] = value
    out: list[str] = []
    rules = raw.get("rules")
    for entry in rules if isinstance(rules, list) else ():
        rid = entry.get("id") if isinstance(entry, Mapping) else None
        if not isinstance(rid, str):
            continue
        for name, kind in EXPRESSIONS.items():
            source = entry.get(name)
            if not isinstance(source, str) or not source.strip():
                continue
            try:
                compile_expression(source, kinds, params, expect=kind)
            except ExpressionError as exc:
                out.append(f"rule {rid!r}, {name} = {source!r}{at(('rules', rid, name))}: {exc}")
    return out
