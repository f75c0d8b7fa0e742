"""Find, read, validate and compile rule-set files.

Rule files are TOML read with :mod:`tomllib` (data only), validated against
:mod:`compliance.rules.schema`, and their expressions checked and compiled by
:mod:`compliance.rules.expressions`. Nothing in a rule file is ever executed.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from compliance.catalogue import Catalogue, default_catalogue
from compliance.errors import RuleSetError
from compliance.rules.expressions import ExpressionError, Kind, Value, compile_expression
from compliance.rules.model import Lookup, Parameter, Rule, RuleSet
from compliance.rules.schema import RuleSetFile, RuleSpec

DEFAULT_RULESET = "zhejiang-2007"
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
        if not p.is_file():
            raise RuleSetError("rule file not found", where=text)
        return p
    for entry in find_rulesets():
        if entry.id == text:
            return entry.path
    known = ", ".join(e.id for e in find_rulesets()) or "none"
    raise RuleSetError(f"no rule set named {text!r} (known: {known})")


def read_rule_file(path: Path) -> tuple[dict[str, Any], str]:
    """The raw TOML tables of a rule file, and the SHA-256 of its bytes."""
    try:
        size = path.stat().st_size
        if size > MAX_RULE_FILE_BYTES:
            raise RuleSetError(
                f"rule file is larger than {MAX_RULE_FILE_BYTES} bytes", where=str(path)
            )
        data = path.read_bytes()
    except OSError as exc:
        raise RuleSetError(f"cannot read rule file: {exc.strerror}", where=str(path)) from None
    try:
        return tomllib.loads(data.decode("utf-8-sig")), hashlib.sha256(data).hexdigest()
    except UnicodeDecodeError:
        raise RuleSetError("rule file is not UTF-8 text", where=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleSetError(f"not valid TOML: {exc}", where=str(path)) from None


def _location(loc: tuple[int | str, ...], raw: Mapping[str, Any]) -> str:
    """'rule 'premises', field compare' from a pydantic error location."""
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = raw.get("rules")
        rid = None
        if isinstance(rules, list) and loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
            rid = rules[loc[1]].get("id")
        head = f"rule {rid!r}" if rid else f"rule #{loc[1] + 1}"
        rest = ".".join(str(x) for x in loc[2:])
        return f"{head}, field {rest}" if rest else head
    return ".".join(str(x) for x in loc)


def validate_file(raw: Mapping[str, Any], where: str) -> RuleSetFile:
    """Validate raw TOML tables against the rule-file schema."""
    try:
        return RuleSetFile.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{_location(e['loc'], raw)}: {e['msg']}" for e in exc.errors()]
        raise RuleSetError("; ".join(problems), where=where, problems=problems) from None


def compile_ruleset(
    spec: RuleSetFile,
    *,
    where: str,
    catalogue: Catalogue | None = None,
    path: Path | None = None,
    sha256: str = "",
) -> RuleSet:
    """Check names and compile every expression of a validated rule file."""
    cat = catalogue or default_catalogue()
    problems: list[str] = []
    kinds = {fid: _KIND_OF_TYPE[f.type] for fid, f in cat.fields.items()}
    params: dict[str, Value] = {}
    parameters: dict[str, Parameter] = {}
    for pid, p in spec.parameters.items():
        if pid in kinds:
            problems.append(f"parameter {pid!r}: has the name of a record field")
        if p.choices is not None and p.value not in p.choices:
            problems.append(f"parameter {pid!r}: value {p.value!r} is not one of {p.choices}")
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
        for f in (lk.field, *lk.key):
            if f not in cat:
                problems.append(f"lookup {lid!r}: unknown record field {f!r}")
        lookups[lid] = Lookup(
            id=lid,
            field=lk.field,
            key=tuple(lk.key),
            values={k: float(v) for k, v in lk.values.items()},
            year=lk.year,
            source=lk.source,
            illustrative=lk.illustrative,
            note_zh=lk.note_zh,
            note_en=lk.note_en,
        )

    rules: list[Rule] = []
    seen: set[str] = set()
    for spec_rule in spec.rules:
        if spec_rule.id in seen:
            problems.append(f"rule {spec_rule.id!r}: the id is used twice")
        seen.add(spec_rule.id)
        rule = _compile_rule(spec_rule, spec, kinds, params, problems)
        if rule is not None:
            rules.append(rule)
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
    )


def _compile_rule(
    r: RuleSpec,
    spec: RuleSetFile,
    kinds: Mapping[str, Kind],
    params: Mapping[str, Value],
    problems: list[str],
) -> Rule | None:
    compiled: dict[str, Any] = {}
    expected: dict[str, Kind] = {
        "measure": "number",
        "require": "number",
        "applies_if": "bool",
        "scale": "number",
    }
    for name, kind in expected.items():
        source = getattr(r, name)
        if source is None:
            compiled[name] = None
            continue
        try:
            compiled[name] = compile_expression(source, kinds, params, expect=kind)
        except ExpressionError as exc:
            problems.append(f"rule {r.id!r}, {name} = {source!r}: {exc}")
    if len(compiled) != len(expected):
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
    )


def load_ruleset(
    name_or_path: str | os.PathLike[str] = DEFAULT_RULESET,
    *,
    catalogue: Catalogue | None = None,
) -> RuleSet:
    """Load a rule set by name (searched on :func:`search_path`) or by file path.

    Raises :class:`~compliance.errors.RuleSetError` naming the file, the rule
    and the problem when the file is missing, malformed or unsafe.
    """
    path = resolve(name_or_path)
    raw, digest = read_rule_file(path)
    where = str(path)
    spec = validate_file(raw, where)
    return compile_ruleset(spec, where=where, catalogue=catalogue, path=path, sha256=digest)
