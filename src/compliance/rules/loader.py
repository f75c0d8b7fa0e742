"""Find, read, validate and compile rule-set files.

Rule files are TOML read with :mod:`tomllib` (data only), validated against
:mod:`compliance.rules.schema`, and their expressions checked and compiled by
:mod:`compliance.rules.expressions`. Nothing in a rule file is ever executed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from compliance.catalogue import Catalogue, default_catalogue
from compliance.errors import RuleSetError
from compliance.rules.checks import compile_checks
from compliance.rules.expressions import ExpressionError, Kind, Value, compile_expression
from compliance.rules.inherit import MAX_DEPTH, Layer, Merged, merge_layers
from compliance.rules.locate import LineIndex
from compliance.rules.lookups import compile_lookup
from compliance.rules.model import Lookup, Parameter, ProgressTarget, Rule, RuleSet
from compliance.rules.names import DEFAULT_RULESET
from compliance.rules.schema import RuleSetFile, RuleSpec
from compliance.tomlsafe import loads as toml_loads
from compliance.tomlsafe import read_capped

#: Turns a place in the rule file into " (line 12)" (or "" when unknown).
Locator = Callable[[tuple[str | int, ...]], str]


def _no_line(place: tuple[str | int, ...]) -> str:
    return ""


MAX_RULE_FILE_BYTES = 1_000_000
_KIND_OF_TYPE: dict[str, Kind] = {
    "integer": "number",
    "number": "number",
    "flag": "bool",
    "text": "text",
    "date": "text",
}


def builtin_rules_dir() -> Path:
    """The rule sets shipped with the tool.

    An installed wheel carries them as ``compliance/rulesets``; a source
    checkout (editable install) reads the repository's ``rules/`` directly.
    """
    packaged = Path(__file__).resolve().parent.parent / "rulesets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def search_path() -> list[Path]:
    """Folders searched for a rule set given by name, first match wins:
    ``$COMPLIANCE_RULES_PATH``, ``./rules`` and the shipped rule sets."""
    dirs = [Path(p) for p in os.environ.get("COMPLIANCE_RULES_PATH", "").split(os.pathsep) if p]
    dirs += [Path.cwd() / "rules", builtin_rules_dir()]
    out: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in {o.resolve() for o in out}:
            out.append(d)
    return out


@dataclass(frozen=True)
class RuleSetEntry:
    """A rule-set file found on the search path."""

    id: str
    path: Path
    builtin: bool


def find_rulesets() -> Iterator[RuleSetEntry]:
    """Every ``*.toml`` rule set on the search path (the first of each name)."""
    seen: set[str] = set()
    builtin = builtin_rules_dir().resolve()
    for d in search_path():
        for p in sorted(d.glob("*.toml")):
            if p.stem not in seen:
                seen.add(p.stem)
                yield RuleSetEntry(p.stem, p, d.resolve() == builtin)


def resolve(name_or_path: str | os.PathLike[str]) -> Path:
    """The file for a rule-set name ("zhejiang-2007") or path."""
    text = os.fspath(name_or_path)
    p = Path(text)
    if p.suffix.lower() == ".toml" or os.sep in text or "/" in text:
        if not p.exists():
            raise RuleSetError("rule file not found", where=text)
        return p  # read_rule_file refuses what is not a regular file
    for entry in find_rulesets():
        if entry.id == text:
            return entry.path
    known = ", ".join(e.id for e in find_rulesets()) or "none"
    raise RuleSetError(f"no rule set named {text!r} (known: {known})")


def read_rule_file(path: Path) -> tuple[dict[str, Any], str]:
    """The raw TOML tables of a rule file, and the SHA-256 of its bytes."""
    data = read_capped(path, MAX_RULE_FILE_BYTES, RuleSetError, "rule file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleSetError("rule file is not UTF-8 text", where=str(path)) from None
    return toml_loads(text, RuleSetError, str(path)), hashlib.sha256(data).hexdigest()


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
    at = locate or _no_line
    try:
        return RuleSetFile.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"{_location(e['loc'], raw)}{at(_place(e['loc'], raw))}: {e['msg']}"
            for e in exc.errors()
        ]
        raise RuleSetError("; ".join(problems), where=where, problems=problems) from None


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
    cat = catalogue or default_catalogue()
    at = locate or _no_line
    problems: list[str] = []
    kinds = {fid: _KIND_OF_TYPE[f.type] for fid, f in cat.fields.items()}
    params: dict[str, Value] = {}
    parameters: dict[str, Parameter] = {}
    for pid, p in spec.parameters.items():
        if pid in kinds:
            problems.append(
                f"parameter {pid!r}{at(('parameters', pid))}: has the name of a record field"
            )
        if p.choices is not None and p.value not in p.choices:
            problems.append(
                f"parameter {pid!r}{at(('parameters', pid, 'value'))}: "
                f"value {p.value!r} is not one of {p.choices}"
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
        lookup = compile_lookup(lid, lk, cat, problems, at)
        if lookup is not None:
            lookups[lid] = lookup

    rules: list[Rule] = []
    seen: set[str] = set()
    for spec_rule in spec.rules:
        if spec_rule.id in seen:
            problems.append(
                f"rule {spec_rule.id!r}{at(('rules', spec_rule.id))}: the id is used twice"
            )
        seen.add(spec_rule.id)
        rule = _compile_rule(spec_rule, spec, kinds, params, problems, at)
        if rule is not None:
            rules.append(rule)
    progress = _progress(spec, params, seen, problems, at)
    checks = compile_checks(spec.checks, kinds, params, problems)
    if problems:
        raise RuleSetError("; ".join(problems), where=where, problems=problems)
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
    )


def _progress(
    spec: RuleSetFile,
    params: Mapping[str, Value],
    rule_ids: set[str],
    problems: list[str],
    at: Locator,
) -> ProgressTarget | None:
    pg = spec.progress
    if pg is None:
        return None
    if pg.rule not in rule_ids:
        problems.append(f"[progress] rule{at(('progress', 'rule'))}: no rule {pg.rule!r}")
    share = params.get(pg.target)
    if share is None:
        problems.append(
            f"[progress] target{at(('progress', 'target'))}: no parameter {pg.target!r}"
        )
        return None
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        problems.append(
            f"[progress] target{at(('progress', 'target'))}: parameter {pg.target!r} "
            f"must be a share between 0 and 1, not {share!r}"
        )
        return None
    return ProgressTarget(
        rule=pg.rule,
        parameter=pg.target,
        share=float(share),
        due=pg.due,
        note_zh=pg.note_zh,
        note_en=pg.note_en,
    )


#: The expression keys of a rule and the kind each must give.
_EXPRESSIONS: dict[str, Kind] = {
    "measure": "number",
    "require": "number",
    "applies_if": "bool",
    "scale": "number",
}


def _expression_problems(
    raw: Mapping[str, Any], catalogue: Catalogue | None, at: Locator
) -> list[str]:
    """Expression mistakes in tables that failed validation, so that one run of
    ``rules validate`` lists them together with the schema problems."""
    cat = catalogue or default_catalogue()
    kinds = {fid: _KIND_OF_TYPE[f.type] for fid, f in cat.fields.items()}
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
        for name, kind in _EXPRESSIONS.items():
            source = entry.get(name)
            if not isinstance(source, str) or not source.strip():
                continue
            try:
                compile_expression(source, kinds, params, expect=kind)
            except ExpressionError as exc:
                out.append(f"rule {rid!r}, {name} = {source!r}{at(('rules', rid, name))}: {exc}")
    return out


def _compile_rule(
    r: RuleSpec,
    spec: RuleSetFile,
    kinds: Mapping[str, Kind],
    params: Mapping[str, Value],
    problems: list[str],
    at: Locator = _no_line,
) -> Rule | None:
    compiled: dict[str, Any] = {}
    expected = _EXPRESSIONS
    for name, kind in expected.items():
        source = getattr(r, name)
        if source is None:
            compiled[name] = None
            continue
        try:
            compiled[name] = compile_expression(source, kinds, params, expect=kind)
        except ExpressionError as exc:
            problems.append(f"rule {r.id!r}, {name} = {source!r}{at(('rules', r.id, name))}: {exc}")
    if len(compiled) != len(expected):
        return None
    used = {f for e in compiled.values() if e is not None for f in e.fields}
    for f, sub in r.stand_in.items():
        if f not in used:
            problems.append(
                f"rule {r.id!r}, stand_in{at(('rules', r.id, 'stand_in'))}: {f!r} is not read by "
                "the rule's expressions"
            )
        if sub not in kinds or kinds.get(f) != kinds[sub]:
            problems.append(
                f"rule {r.id!r}, stand_in{at(('rules', r.id, 'stand_in'))}: {sub!r} cannot stand "
                f"in for {f!r} (unknown field or another type)"
            )
    always = False
    if r.stand_in_if is not None:
        where = (
            f"rule {r.id!r}, stand_in_if = {r.stand_in_if!r}{at(('rules', r.id, 'stand_in_if'))}"
        )
        try:
            cond = compile_expression(r.stand_in_if, kinds, params, expect="bool")
        except ExpressionError as exc:
            problems.append(f"{where}: {exc}")
            return None
        if not cond.is_constant:
            problems.append(f"{where}: must use parameters only, not record fields")
            return None
        if not r.stand_in:
            problems.append(f"{where}: the rule has no stand_in")
        always = bool(cond.evaluate({}))
    tolerance = 0.0
    if r.tolerance is not None:
        where = f"rule {r.id!r}, tolerance = {r.tolerance!r}{at(('rules', r.id, 'tolerance'))}"
        try:
            expr = compile_expression(r.tolerance, kinds, params, expect="number")
        except ExpressionError as exc:
            problems.append(f"{where}: {exc}")
            return None
        if not expr.is_constant:
            problems.append(f"{where}: must use parameters only, not record fields")
            return None
        tolerance = float(expr.evaluate({}))
        if not tolerance >= 0:
            problems.append(f"{where}: must be 0 or more, not {tolerance:g}")
            return None
    measure = compiled["measure"]
    if r.per_worker and measure is not None and measure.source.strip() not in measure.fields:
        problems.append(
            f"rule {r.id!r}, per_worker{at(('rules', r.id, 'per_worker'))}: the measure must be "
            f"one record field, not {measure.source!r}"
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


def _layer(path: Path) -> Layer:
    raw, digest = read_rule_file(path)
    info = raw.get("ruleset")
    rid = info.get("id") if isinstance(info, dict) else None
    text = path.read_text("utf-8-sig")
    return Layer(
        ruleset=rid if isinstance(rid, str) else path.stem,
        path=path,
        raw=raw,
        index=LineIndex.of(text),
        sha256=digest,
    )


def _parent(name: str, child: Path) -> Path:
    """The file an ``extends`` names: a path relative to the child, or a rule-set name."""
    p = Path(name)
    if p.suffix.lower() == ".toml" or "/" in name or os.sep in name:
        target = p if p.is_absolute() else child.parent / p
        if not target.is_file():
            raise RuleSetError(f"extends {name!r}: file {target} not found", where=str(child))
        return target
    for entry in find_rulesets():
        # A local copy may extend the shipped rule set of the same name.
        if entry.id == name and entry.path.resolve() != child.resolve():
            return entry.path
    known = ", ".join(e.id for e in find_rulesets()) or "none"
    raise RuleSetError(f"extends {name!r}: no such rule set (known: {known})", where=str(child))


def load_chain(path: Path) -> list[Layer]:
    """The files of an ``extends`` chain, base first, ending with ``path``."""
    chain: list[Layer] = []
    current: Path | None = path
    while current is not None:
        if any(layer.path.resolve() == current.resolve() for layer in chain):
            names = " -> ".join(str(layer.path) for layer in reversed(chain))
            raise RuleSetError(
                f"extends goes round in a circle: {names} -> {current}", where=str(path)
            )
        if len(chain) >= MAX_DEPTH:
            raise RuleSetError(f"extends is nested more than {MAX_DEPTH} deep", where=str(path))
        layer = _layer(current)
        chain.append(layer)
        info = layer.raw.get("ruleset")
        parent = info.get("extends") if isinstance(info, dict) else None
        if parent is not None and not isinstance(parent, str):
            raise RuleSetError(
                "[ruleset] extends: must be a rule-set name or path", where=str(current)
            )
        current = _parent(parent, current) if parent else None
    chain.reverse()
    return chain


def merge_chain(path: Path) -> Merged:
    """Read ``path`` and everything it extends, merged, with the origin of every value."""
    return merge_layers(load_chain(path))


def _locator(merged: Merged) -> Locator:
    top = merged.top

    def at(place: tuple[str | int, ...]) -> str:
        key = tuple(str(p) for p in place)
        origin = merged.origin(key)
        if origin is not None and origin.line:
            if origin.path == str(top.path):
                return f" (line {origin.line})"
            return f" ({Path(origin.path).name} line {origin.line})"
        line = top.index.line(place)
        return f" (line {line})" if line else ""

    return at


def compile_merged(merged: Merged, *, catalogue: Catalogue | None = None) -> RuleSet:
    """Validate and compile merged tables; problems name the file and line that caused them."""
    top = merged.top
    where = str(top.path)
    at = _locator(merged)
    problems: list[str] = []
    for layer, place, message in merged.problems:
        line = layer.index.line(place)
        prefix = "" if layer is top else f"{layer.path.name} "
        loc = f" ({prefix}line {line})" if line else (f" ({layer.path.name})" if prefix else "")
        problems.append(f"{'.'.join(str(p) for p in place)}{loc}: {message}")
    try:
        spec = validate_file(merged.raw, where, locate=at)
    except RuleSetError as exc:
        problems += exc.problems
        problems += _expression_problems(merged.raw, catalogue, at)
        raise RuleSetError("; ".join(problems), where=where, problems=problems) from None
    if problems:
        raise RuleSetError("; ".join(problems), where=where, problems=problems)
    digest = (
        top.sha256
        if len(merged.layers) == 1
        else hashlib.sha256("".join(layer.sha256 for layer in merged.layers).encode()).hexdigest()
    )
    return compile_ruleset(
        spec,
        where=where,
        catalogue=catalogue,
        path=top.path,
        sha256=digest,
        locate=at,
        merged=merged,
    )


def load_ruleset(
    name_or_path: str | os.PathLike[str] = DEFAULT_RULESET,
    *,
    catalogue: Catalogue | None = None,
) -> RuleSet:
    """Load a rule set by name (searched on :func:`search_path`) or by file path.

    A rule set that ``extends`` another is merged with it first (see
    :mod:`compliance.rules.inherit`). Raises :class:`~compliance.errors.RuleSetError`
    naming the file, the rule, the field and the line when the file is missing,
    malformed or unsafe; ``error.problems`` lists every problem found.
    """
    return compile_merged(merge_chain(resolve(name_or_path)), catalogue=catalogue)
