"""A rule set as JSON-ready data, for ``compliance rules show --format json``: every
parameter, lookup, rule, check and declared field, with where each value came from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from compliance.rules.model import RuleSet


def ruleset_dict(rs: RuleSet) -> dict[str, Any]:
    """A rule set as JSON-ready data, with the origin of each value."""

    def origin(*key: str) -> dict[str, Any] | None:
        o = rs.origin(*key)
        if o is None:
            return None
        return {
            "ruleset": o.ruleset,
            "path": o.path,
            "line": o.line,
            "overrides": [{"ruleset": r, "value": v} for r, v in o.overrides],
        }

    return {
        "id": rs.id,
        "version": rs.version,
        "title_zh": rs.title_zh,
        "title_en": rs.title_en,
        "illustrative": rs.illustrative,
        "extends": list(rs.extends),
        "path": str(rs.path) if rs.path else None,
        "sha256": rs.sha256,
        "fields": {
            f.id: {
                "zh": f.zh,
                "en": f.en,
                "type": f.type,
                "unit": f.unit,
                "headers": list(f.headers),
                "origin": origin("fields", f.id),
            }
            for f in rs.declared
        },
        "parameters": {
            p.id: {"value": p.value, "unit": p.unit, "origin": origin("parameters", p.id, "value")}
            for p in rs.parameters.values()
        },
        "lookups": {
            lk.id: {
                "field": lk.field,
                "key": list(lk.key),
                "values": dict(lk.values),
                "scopes": {e.name: e.scope for e in lk.entries},
                "year": lk.year,
                "source": lk.source,
                "entries": [
                    {
                        "name": e.name,
                        "value": e.value,
                        "scope": e.scope,
                        "year": e.year,
                        "source": e.source,
                        "illustrative": e.illustrative,
                    }
                    for e in lk.entries
                ],
            }
            for lk in rs.lookups.values()
        },
        "rules": [
            {
                "id": r.id,
                "title_zh": r.title_zh,
                "title_en": r.title_en,
                "citation": r.citation,
                "unit": r.unit,
                "severity": r.severity,
                "level": r.level,
                "measure": r.measure.source,
                "compare": r.compare,
                "require": r.require.source,
                "applies_if": r.applies_if.source if r.applies_if else None,
                "deadline": r.deadline,
                "origin": origin("rules", r.id),
                "changed": {
                    key[2]: origin(*key)
                    for key in rs.origins
                    if len(key) == 3
                    and key[:2] == ("rules", r.id)
                    and (o := rs.origins[key]) is not None
                    and (base := rs.origin("rules", r.id)) is not None
                    and o.ruleset != base.ruleset
                },
            }
            for r in rs.rules
        ],
        "checks": [
            {
                "id": c.id,
                "title_zh": c.title_zh,
                "title_en": c.title_en,
                "expression": c.expression.source,
                "severity": c.severity,
                "fields": list(c.fields),
                "blocks": list(c.blocks),
                "blocks_declared": c.blocks_declared,
            }
            for c in rs.checks
        ],
        "progress": (
            {
                "rule": rs.progress.rule,
                "parameter": rs.progress.parameter,
                "share": rs.progress.share,
                "due": rs.progress.due,
            }
            if rs.progress
            else None
        ),
    }
