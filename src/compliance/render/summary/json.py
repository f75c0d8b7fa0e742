"""The summary as JSON: versioned, with the same rule-set and input blocks as the check report.

Layout (``schema_version`` 1, ``kind`` "summary"; see the README, "Shortfall summary"):

- ``tool``, ``started_at``, ``options``, ``ruleset``, ``rules``, ``inputs``, ``unreadable``
  as in the check report;
- ``by`` (the level regions are grouped by) and ``levels`` (the names in each region key);
- ``cost``: the unit cost of premises and where it came from, or null;
- ``total`` and ``regions``: communities, compliant, failing, unknown, cost, and per rule
  the counts, ``fail_share``, ``shortfall`` (rule unit; null for a rule with a scale such as
  pay, whose gap is only in ``total``), ``total`` (scaled, e.g. yuan) and ``gap``;
- ``ranking``: regions by the headline rule's gap, largest first.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from compliance._version import __version__
from compliance.render.json import input_info, rule_info, ruleset_info
from compliance.render.returns_json import coverage_dict, duplicates_list, verdict_dict
from compliance.summary import RegionSummary, RuleTotals, Summary, gap_shares

if TYPE_CHECKING:
    from typing import TextIO

    from compliance.render import RenderOptions
    from compliance.results import Report

SCHEMA_VERSION = "1"


def rule_totals_dict(rt: RuleTotals) -> dict[str, Any]:
    out = asdict(rt)
    out["fail_share"] = rt.fail_share
    out["short"] = rt.short
    out["short_share"] = rt.short_share
    out["gap"] = rt.gap
    out["gap_unit"] = rt.gap_unit
    return out


def region_dict(summary: Summary, region: RegionSummary) -> dict[str, Any]:
    return {
        # The total has no key: {}.
        "key": {lv.value: name for lv, name in zip(summary.levels, region.key, strict=False)},
        "communities": region.communities,
        "compliant": region.compliant,
        "compliant_share": region.compliant_share,
        "failing": region.failing,
        "unknown": region.unknown,
        "pending": region.pending,
        "cost": region.cost,
        "rules": {rt.rule: rule_totals_dict(rt) for rt in region.rules},
    }


def summary_dict(summary: Summary, report: Report, options: RenderOptions) -> dict[str, Any]:
    """The whole summary document as plain data."""
    shares = gap_shares(summary)
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "summary",
        "tool": {"name": "compliance", "version": __version__},
        "started_at": report.started_at.isoformat(),
        "options": dict(report.options),
        "ruleset": ruleset_info(report),
        "rules": rule_info(report),
        "inputs": [input_info(c) for c in report.checks],
        "unreadable": [
            {"path": f.path, "sha256": f.sha256, "message": f.message, "verdict": verdict_dict(f)}
            for f in report.failures
        ],
        "coverage": coverage_dict(report),
        "duplicates": duplicates_list(report),
        "by": summary.by.value if summary.by else None,
        "levels": [lv.value for lv in summary.levels],
        "headline_rule": summary.headline_rule,
        "cost": asdict(summary.cost) if summary.cost else None,
        "total": region_dict(summary, summary.total),
        "regions": [region_dict(summary, r) for r in summary.regions],
        "ranking": [
            {
                "rank": i,
                "key": region_dict(summary, r)["key"],
                "gap": r.rule(summary.headline_rule).gap if summary.headline_rule else None,
                "gap_share": shares.get(r.key),
            }
            for i, r in enumerate(summary.ranking(), 1)
        ],
    }


def render(summary: Summary, report: Report, options: RenderOptions, out: TextIO) -> None:
    """Write the summary as one JSON document."""
    json.dump(summary_dict(summary, report, options), out, ensure_ascii=False, indent=2)
    out.write("\n")
