"""Compile a validated rule file: check its names and compile every expression.

Parameters, lookups, rules, the progress target and the consistency checks of a
:class:`~compliance.rules.schema.RuleSetFile` become a :class:`~compliance.rules.model.RuleSet`.
Every problem is collected, each naming the rule, the field and (with a
locator) the line, and raised together as one :class:`~compliance.errors.RuleSetError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from compliance.catalogue import Catalogue, default_catalogue, remember_declared
from compliance.errors import RuleSetError
from compliance.labels.messages import Clauses, Msg, msg, problem
from compliance.rules.checks import compile_checks
from compliance.rules.constants import load_time_value
from compliance.rules.expressions import ExpressionError, Kind, Value, compile_expression
from compliance.rules.fields import declared_fields
from compliance.rules.inherit import Merged
from compliance.rules.locate import Locator, no_line
from compliance.rules.lookups import compile_lookup, provenance
from compliance.rules.model import Lookup, Parameter, Rule, RuleSet
from compliance.rules.progress_target import progress_target
from compliance.rules.schema import RuleSetFile, RuleSpec

#: A yes/no field is 1 or 0 in expressions, so that items can be counted.
KIND_OF_TYPE: dict[str, Kind] = {
    "integer": "number",
    "number": "number",
    "flag": "number",
    "text": "text",
    "date": "text",
}


def field_kinds(catalogue: Catalogue) -> dict[str, Kind]:
    """The expression kind of every catalogue field (number, bool or text)."""
    return {fid: KIND_OF_TYPE[f.type] for fid, f in catalogue.fields.items()}


def compile_ruleset(
    spec: RuleSetFile,
    *,
    where: str,
    catalogue: Catalogue | None = None,
    path: Path | None = None,
    sha256: str = "",
    locate: Locator | None = None,
    merged: Merged | None = None,
) -> RuleSet:
    """Check names and compile every expression of a validated rule file.

    ``locate`` adds line numbers to problems; ``merged`` (for a rule set that
    extends another) supplies the chain and the origin of every value.
    """
    base = catalogue or default_catalogue()
    at = locate or no_line
    problems: list[Msg] = []
    declared = declared_fields(spec.fields, base, problems, at)
    cat = base.extended(declared) if declared else base
    kinds = field_kinds(cat)
    params: dict[str, Value] = {}
    parameters: dict[str, Parameter] = {}
    for pid, p in spec.parameters.items():
        if pid in kinds:
            problems.append(
                problem(
                    msg("place_parameter", id=repr(pid)),
                    at(("parameters", pid)),
                    "rule_param_field_name",
                )
            )
        if p.choices is not None and p.value not in p.choices:
            problems.append(
                problem(
                    msg("place_parameter", id=repr(pid)),
                    at(("parameters", pid, "value")),
                    msg("rule_param_choice", value=repr(p.value), choices=str(p.choices)),
                )
            )
        params[pid] = p.value
        parameters[pid] = Parameter(
            id=pid,
            value=p.value,
            zh=p.zh,
            en=p.en,
            unit=p.unit,
            choices=tuple(p.choices) if p.choices is not None else None,
            interpretation=p.interpretation,
            note_zh=p.note_zh,
            note_en=p.note_en,
        )

    lookups: dict[str, Lookup] = {}
    for lid, lk in spec.lookups.items():
        lookup = compile_lookup(lid, lk, cat, problems, at, provenance(merged, lid))
        if lookup is not None:
            lookups[lid] = lookup

    rules: list[Rule] = []
    seen: set[str] = set()
    for spec_rule in spec.rules:
        if spec_rule.id in seen:
            problems.append(
                problem(
                    msg("place_rule", id=repr(spec_rule.id)),
                    at(("rules", spec_rule.id)),
                    "id_twice",
                )
            )
        seen.add(spec_rule.id)
        rule = _compile_rule(spec_rule, spec, kinds, params, problems, at)
        if rule is not None:
            rules.append(rule)
    progress = progress_target(spec, params, seen, problems, at)
    removed = merged.removed_rules if merged else set()
    checks = compile_checks(
        spec.checks,
        kinds,
        params,
        problems,
        rules=rules,
        removed=removed,
        catalogue=cat,
        at=at,
    )
    if problems:
        raise RuleSetError(
            msg("problems", problems=Clauses(problems)), where=where, problems=problems
        )
    remember_declared(declared)
    info = spec.ruleset
    return RuleSet(
        id=info.id,
        version=info.version,
        title_zh=info.title_zh,
        title_en=info.title_en,
        region_zh=info.region_zh,
        region_en=info.region_en,
        document_zh=info.document_zh,
        document_en=info.document_en,
        issued=info.issued,
        source=info.source,
        source_zh=info.source_zh,
        source_en=info.source_en,
        illustrative=info.illustrative,
        notes_zh=info.notes_zh,
        notes_en=info.notes_en,
        parameters=parameters,
        lookups=lookups,
        rules=tuple(rules),
        path=path,
        sha256=sha256,
        extends=tuple(layer.ruleset for layer in reversed(merged.layers[:-1])) if merged else (),
        origins=dict(merged.origins) if merged else {},
        progress=progress,
        checks=checks,
        declared=declared,
        catalogue=cat,
    )


#: The expression keys of a rule and the kind each must give.
EXPRESSIONS: dict[str, Kind] = {
    "measure": "number",
    "require": "number",
    "applies_if": "bool",
    "scale": "number",
}


def _compile_rule(
    r: RuleSpec,
    spec: RuleSetFile,
    kinds: Mapping[str, Kind],
    params: Mapping[str, Value],
    problems: list[Msg],
    at: Locator = no_line,
) -> Rule | None:
    compiled: dict[str, Any] = {}
    expected = EXPRESSIONS
    rule = msg("place_rule", id=repr(r.id))
    for name, kind in expected.items():
        source = getattr(r, name)
        if source is None:
            compiled[name] = None
            continue
        try:
            compiled[name] = compile_expression(source, kinds, params, expect=kind)
        except ExpressionError as exc:
            place = msg("place_expr", head=rule, key=name, source=repr(source))
            problems.append(problem(place, at(("rules", r.id, name)), exc.msg))
    if len(compiled) != len(expected):
        return None
    used = {f for e in compiled.values() if e is not None for f in e.fields}
    for f, sub in r.stand_in.items():
        if f not in used:
            problems.append(
                problem(
                    msg("place_key", head=rule, key="stand_in"),
                    at(("rules", r.id, "stand_in")),
                    msg("rule_stand_in_unread", field=repr(f)),
                )
            )
        if sub not in kinds or kinds.get(f) != kinds[sub]:
            problems.append(
                problem(
                    msg("place_key", head=rule, key="stand_in"),
                    at(("rules", r.id, "stand_in")),
                    msg("rule_stand_in_kind", sub=repr(sub), field=repr(f)),
                )
            )
    always = False
    if r.stand_in_if is not None:
        place = msg("place_expr", head=rule, key="stand_in_if", source=repr(r.stand_in_if))
        line = at(("rules", r.id, "stand_in_if"))
        try:
            cond = compile_expression(r.stand_in_if, kinds, params, expect="bool")
        except ExpressionError as exc:
            problems.append(problem(place, line, exc.msg))
            return None
        if not cond.is_constant:
            problems.append(problem(place, line, "rule_params_only"))
            return None
        if not r.stand_in:
            problems.append(problem(place, line, "rule_no_stand_in"))
        given = load_time_value(cond.tree, place, line, problems)
        if given is None:
            return None
        always = bool(given)
    tolerance = 0.0
    if r.tolerance is not None:
        place = msg("place_expr", head=rule, key="tolerance", source=repr(r.tolerance))
        line = at(("rules", r.id, "tolerance"))
        try:
            expr = compile_expression(r.tolerance, kinds, params, expect="number")
        except ExpressionError as exc:
            problems.append(problem(place, line, exc.msg))
            return None
        if not expr.is_constant:
            problems.append(problem(place, line, "rule_params_only"))
            return None
        value = load_time_value(expr.tree, place, line, problems)
        if value is None:
            return None
        tolerance = float(value)
        if not tolerance >= 0:
            problems.append(
                problem(place, line, msg("rule_tolerance_negative", value=f"{tolerance:g}"))
            )
            return None
    measure = compiled["measure"]
    if r.per_worker and measure is not None and measure.source.strip() not in measure.fields:
        problems.append(
            problem(
                msg("place_key", head=rule, key="per_worker"),
                at(("rules", r.id, "per_worker")),
                msg("rule_per_worker_measure", source=repr(measure.source)),
            )
        )
        return None
    return Rule(
        id=r.id,
        title_zh=r.title_zh,
        title_en=r.title_en,
        short_zh=r.short_zh,
        short_en=r.short_en,
        citation=r.citation,
        document_zh=r.document_zh or spec.ruleset.document_zh,
        document_en=r.document_en or spec.ruleset.document_en,
        issued=r.issued or spec.ruleset.issued,
        unit=r.unit,
        severity=r.severity,
        level=r.level,
        measure=compiled["measure"],
        require=compiled["require"],
        compare=r.compare,
        applies_if=compiled["applies_if"],
        scale=compiled["scale"],
        total_unit=r.total_unit,
        deadline=r.deadline,
        note_zh=r.note_zh,
        note_en=r.note_en,
        not_applicable_zh=r.not_applicable_zh,
        not_applicable_en=r.not_applicable_en,
        per_worker=r.per_worker,
        remediation_zh=r.remediation_zh,
        remediation_en=r.remediation_en,
        stand_in=dict(r.stand_in),
        stand_in_always=always,
        tolerance=tolerance,
        tolerance_source=r.tolerance or "",
    )
