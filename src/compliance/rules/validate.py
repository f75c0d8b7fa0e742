"""Validate a rule file's tables against the schema, naming the rule, field and line.

The tables are checked by the pydantic models of :mod:`compliance.rules.schema`;
each problem names the rule (by id where the file gives one) and the field. When
the schema check fails, the expressions are still checked, so that one run of
``rules validate`` lists every mistake.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from compliance.catalogue import DECLARED_KINDS, Catalogue, default_catalogue
from compliance.errors import RuleSetError
from compliance.labels.messages import MESSAGES, Clauses, Msg, msg
from compliance.rules.compile import EXPRESSIONS, KIND_OF_TYPE, field_kinds
from compliance.rules.expressions import ExpressionError, Value, compile_expression
from compliance.rules.locate import Locator, no_line
from compliance.rules.schema import RuleSetFile


def _location(loc: tuple[int | str, ...], raw: Mapping[str, Any]) -> Msg | str:
    """'rule 'premises', field compare' from a pydantic error location."""
    if len(loc) >= 2 and loc[0] in ("rules", "checks") and isinstance(loc[1], int):
        rules = raw.get(loc[0])
        rid = None
        if isinstance(rules, list) and loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
            rid = rules[loc[1]].get("id")
        kind = str(loc[0])[:-1]
        head = msg(f"place_{kind}", id=repr(rid)) if rid else msg(f"place_{kind}_n", n=loc[1] + 1)
        rest = ".".join(str(x) for x in loc[2:])
        return msg("place_field", head=head, field=rest) if rest else head
    return ".".join(str(x) for x in loc)


def _said(error: Mapping[str, Any]) -> Msg:
    """A pydantic error's message: its own English, and Chinese where its type is known."""
    key = f"pyd_{error['type']}"
    ctx = dict(error.get("ctx") or {})
    zh = str(error["msg"])
    if key in MESSAGES:
        with contextlib.suppress(KeyError, IndexError, ValueError):
            zh = msg(key, **ctx).text("zh")
    if error["type"] == "value_error":
        text = str(error.get("ctx", {}).get("error", ""))
        zh = {
            "must be a date as YYYY, YYYY-MM or YYYY-MM-DD": "应为日期：YYYY、YYYY-MM 或 YYYY-MM-DD",
            "must be a number, not NaN": "应为数字，不能是 NaN",
        }.get(text, zh)
    return msg("as_given", zh=zh, en=str(error["msg"]))


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
            msg(
                "problem",
                place=_location(e["loc"], raw),
                at=at(_place(e["loc"], raw)),
                detail=_said(e),
            )
            for e in exc.errors()
        ]
        raise RuleSetError(
            msg("problems", problems=Clauses(problems)), where=where, problems=problems
        ) from None


def expression_problems(
    raw: Mapping[str, Any], catalogue: Catalogue | None, at: Locator
) -> list[Msg]:
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
    out: list[Msg] = []
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
                out.append(
                    msg(
                        "problem",
                        place=msg(
                            "place_expr",
                            head=msg("place_rule", id=repr(rid)),
                            key=name,
                            source=repr(source),
                        ),
                        at=at(("rules", rid, name)),
                        detail=exc.msg,
                    )
                )
    return out
