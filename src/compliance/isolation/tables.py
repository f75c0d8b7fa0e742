"""A findings table as part of a worker's reply: a manifest entry and Arrow frames.

What goes is the table's records and outcomes, the input columns its explainer
shows (with the rules and lookups named by id, bound to the parent's own on the
way back) and the reader's frame its record view is made from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from compliance.engine.explain import RuleExplainer
from compliance.isolation.manifest import problem_in, problem_out, source_in, source_out
from compliance.isolation.wire import Malformed, obj, strmap, text, texts, whole

if TYPE_CHECKING:
    import polars as pl

    from compliance.findings import FindingsTable
    from compliance.rules.model import RuleSet

#: The frames of a table, in the order they are sent.
FRAMES = ("records", "outcomes", "inputs", "sheet")


def table_out(table: FindingsTable) -> tuple[dict[str, Any], dict[str, pl.DataFrame]]:
    """A findings table as a manifest part and frames: its records and outcomes, the
    input columns its explainer shows (the rules named by id), and the reader's frame
    its record view is made from."""
    import polars as pl

    explain, objects = table.explainer, table.record_objects
    if not isinstance(explain, RuleExplainer):
        raise TypeError(f"a worker's table explains with {type(explain).__name__}")
    sheet = objects.sheet_frame()
    # A roll-up's per-worker detail (an object column) stays in the worker: the
    # findings already show what they took from it.
    frame = sheet.frame.select(c for c, t in sheet.frame.schema.items() if t != pl.Object)
    manifest = {
        "rules": list(table.rules),
        "explain": {
            "plans": [
                {
                    "rule": p.id,
                    "fields": list(p.fields),
                    "rename": dict(p.rename),
                    "static_notes": list(p.static_notes),
                    "na_reason": p.na_reason,
                }
                for p in explain.plans.values()
            ],
            "source": source_out(explain.source),
            "derived": dict(explain.derived),
            "lookups": [lk.id for lk in explain.lookups],
            "kinds": dict(explain.kinds),
        },
        "sheet": {
            "source": source_out(sheet.source),
            "problems": [problem_out(p) for p in sheet.problems],
            "derived": dict(sheet.derived),
            "emptied": [[row, list(f)] for row, f in objects.emptied.items()],
        },
    }
    frames = {
        "records": table.records,
        "outcomes": table.outcomes,
        "inputs": explain.shown_inputs(),
        "sheet": frame,
    }
    return manifest, frames


def table_in(
    doc: dict[str, Any], frames: Mapping[str, pl.DataFrame], ruleset: RuleSet
) -> FindingsTable:
    from compliance.engine.plan import RulePlan
    from compliance.findings import FindingsTable
    from compliance.findings_objects import RecordObjects
    from compliance.reading.frame import SheetFrame

    if set(doc) != {"rules", "explain", "sheet"} or set(frames) != {
        "records",
        "outcomes",
        "inputs",
        "sheet",
    }:
        raise Malformed("a findings table of unknown form")
    got = frames
    explain, sheet = obj(doc["explain"]), obj(doc["sheet"])
    by_id = {r.id: r for r in ruleset.rules}
    plans = []
    for p in explain.get("plans") or []:
        p = obj(p)
        rule = by_id.get(text(p.get("rule")))
        if rule is None:
            raise Malformed(f"no rule {p.get('rule')!r} in this rule set")
        plans.append(
            RulePlan(
                rule,
                texts(p.get("fields")),
                strmap(p.get("rename")),
                texts(p.get("static_notes")),
                text(p.get("na_reason")),
            )
        )
    lookup_ids = texts(explain.get("lookups"))
    if not set(lookup_ids) <= set(ruleset.lookups):
        raise Malformed("a lookup this rule set does not have")
    kinds = strmap(explain.get("kinds"))
    explainer = RuleExplainer(
        got["inputs"],
        plans,
        source_in(explain.get("source")),
        strmap(explain.get("derived")),
        [ruleset.lookups[i] for i in lookup_ids],
        kinds,  # type: ignore[arg-type]
    )
    emptied = {}
    for entry in sheet.get("emptied") or []:
        if not isinstance(entry, list) or len(entry) != 2:
            raise Malformed("an emptied entry is [row, fields]")
        emptied[whole(entry[0])] = texts(entry[1])
    problems = sheet.get("problems")
    if not isinstance(problems, list):
        raise Malformed("problems are a list")
    frame = SheetFrame(
        source_in(sheet.get("source")),
        got["sheet"],
        tuple(problem_in(p) for p in problems),
        strmap(sheet.get("derived")),
    )
    rules = texts(doc["rules"])
    if not set(rules) <= set(by_id):
        raise Malformed("a rule this rule set does not have")
    return FindingsTable(
        got["records"],
        got["outcomes"],
        rules,
        explainer,
        RecordObjects(frame, emptied),
    )
