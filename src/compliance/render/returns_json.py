"""The JSON of the office's review loop: the verdict on each return, the inputs that
share communities, and the coverage of the expected list (see :mod:`.json`)."""

from __future__ import annotations

from typing import Any

from compliance.duplicates import pairs
from compliance.results import CheckResult, InputFailure, Report
from compliance.verdict import judge_failure, verdict_of


def verdict_dict(item: CheckResult | InputFailure) -> dict[str, Any]:
    """The verdict on one input, with the counts that produced it."""
    if isinstance(item, InputFailure):
        return judge_failure(item).as_dict()
    return verdict_of(item).as_dict()


def duplicates_list(report: Report) -> list[dict[str, Any]]:
    """Each pair of inputs that share communities, and the one counted."""
    return [
        {"dropped": a, "kept": b, "reason": why, "communities": n}
        for a, b, why, n in pairs(report.duplicates)
    ]


def coverage_dict(report: Report) -> dict[str, Any] | None:
    """The inputs against the expected list (``--expected``), or None without one."""
    cov = report.coverage
    if cov is None:
        return None
    return {
        "file": cov.path,
        "sha256": cov.sha256,
        "expected": cov.expected,
        "missing": [
            {"name": m.name, "id": m.id, "district": m.district, "cell": m.cell}
            for m in cov.missing
        ],
        "unexpected": [
            {"name": u.name, "id": u.id, "district": u.district, "source": u.source, "row": u.row}
            for u in cov.unexpected
        ],
    }
