"""Progress as one JSON document (``schema_version`` "1").

Layout: ``tool``, ``rule`` (id, titles, unit), ``target`` (share, parameter, due),
``by`` and ``levels``, ``baseline`` and ``current`` (inputs with their SHA-256),
``total`` and ``regions`` (the figures of each), and ``communities``: one entry
per community with its change, how it was matched and its gap in each snapshot,
then ``standards`` (per standard: ``change`` newly_compliant, newly_failing,
still_failing, still_compliant or unknown; ``shortfall_change`` improved,
worsened or unchanged for the still failing; the shortfall in each snapshot) and
``swings``. At the top, ``gap_closure`` (net or gross), ``standards`` (per
standard, the count of each of those words) and ``swings``: every figure that
moved by more than ``swing_share`` (data problems with code ``swing`` naming
the baseline and the current cell).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from compliance._version import __version__
from compliance.render.progress.standards import COLUMNS

if TYPE_CHECKING:
    from typing import TextIO

    from compliance.model import DataProblem
    from compliance.progress import CommunityChange, Progress, RegionProgress
    from compliance.progress.model import Where
    from compliance.render import RenderOptions
    from compliance.results import Report

SCHEMA_VERSION = "1"


def region_dict(region: RegionProgress) -> dict[str, Any]:
    return {
        "key": list(region.key),
        "matched": region.matched,
        "baseline_gap": region.baseline_gap,
        "current_gap": region.current_gap,
        "closed": region.closed,
        "closed_net": region.closed_net,
        "closed_gross": region.closed_gross,
        "closed_share": region.closed_share,
        "target": region.target,
        "met": region.met,
        "still_to_close": region.still_to_close,
        "newly_compliant": region.newly_compliant,
        "newly_failing": region.newly_failing,
        "still_failing": region.still_failing,
        "appeared": region.appeared,
        "disappeared": region.disappeared,
        "unknown": region.unknown,
        "appeared_gap": region.appeared_gap,
        "disappeared_gap": region.disappeared_gap,
    }


def _where(at: Where | None) -> dict[str, Any] | None:
    if at is None:
        return None
    return {"source": at.source, "sheet": at.sheet, "row": at.row}


def change_dict(c: CommunityChange) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "region": list(c.region),
        "change": c.change.value,
        "matched_by": c.matched_by or None,
        "baseline_gap": c.baseline_gap,
        "current_gap": c.current_gap,
        "baseline": _where(c.baseline),
        "current": _where(c.current),
        "standards": [
            {
                "rule": s.rule,
                "change": s.change.value,
                "shortfall_change": s.trend.value if s.trend is not None else None,
                "baseline_shortfall": s.baseline_shortfall,
                "current_shortfall": s.current_shortfall,
            }
            for s in c.standards
        ],
        "swings": [swing_dict(p) for p in c.swings],
    }


def swing_dict(p: DataProblem) -> dict[str, Any]:
    return {
        "code": p.code,
        "field": p.field,
        "row": p.row,
        "cell": p.cell,
        "cells": {"baseline": p.cells[0], "current": p.cells[1]},
        "raw": p.raw,
        "message_zh": p.message_zh,
        "message_en": p.message_en,
        "explained": p.explained,
        "explanation": p.explanation,
    }


def _inputs(report: Report) -> list[dict[str, Any]]:
    return [{"path": c.source.path, "sha256": c.source.sha256} for c in report.checks]


def document(progress: Progress, options: RenderOptions) -> dict[str, Any]:
    rs = progress.current.ruleset
    r = progress.rule
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "compliance", "version": __version__},
        "exit_code": options.exit_code,
        "ruleset": {"id": rs.id, "version": rs.version, "sha256": rs.sha256},
        "rule": {"id": r.id, "title_zh": r.title_zh, "title_en": r.title_en, "unit": r.unit},
        "target": {
            "share": progress.target,
            "parameter": progress.target_parameter,
            "due": progress.due,
        },
        "gap_closure": progress.gap_closure,
        "swing_share": progress.swing_share,
        "by": progress.by.value if progress.by else None,
        "levels": [lv.value for lv in progress.levels],
        "baseline": _inputs(progress.baseline),
        "current": _inputs(progress.current),
        "matched_by": {"id": progress.matched_by_id, "name": progress.matched_by_name},
        "duplicates": list(progress.duplicates),
        "total": region_dict(progress.total),
        "regions": [region_dict(rg) for rg in progress.regions],
        "standards": {
            rule.id: {k: progress.standard_counts(rule.id).get(k, 0) for k in COLUMNS}
            for rule in progress.standard_rules
        },
        "swings": [swing_dict(p) for p in progress.swings],
        "communities": [change_dict(c) for c in progress.changes],
    }


def render(progress: Progress, options: RenderOptions, out: TextIO) -> None:
    json.dump(document(progress, options), out, ensure_ascii=False, indent=2)
    out.write("\n")
