"""The JSON report: versioned, documented, and the same for one input or many.

Layout (``schema_version`` 2; see the README, "JSON report"):

- ``tool``, ``started_at``, ``exit_code``;
- ``ruleset``: id, version, sha256 of the rule file, parameters, interpretation choices;
- ``rules``: each evaluated rule with its citation, unit and expressions;
- ``inputs``: each input's path, sha256, sheet, header rows, column mapping, notes and
  ``verdict`` (accepted, accepted_with_notes or returned, with the counts behind it);
- ``unreadable``: inputs that could not be read, with the reason (verdict: returned);
- ``records``: one per community with its source row, ``passed`` (the ids of the
  rules it passes) and ``findings``: every finding that is not a plain pass, in
  full (with ``--all-findings``, every finding);
- ``as_of``, ``subdistricts`` (rules checked per sub-district) and ``waivers``;
- ``coverage``: with ``--expected``, the listed communities no input has (``missing``)
  and those of the inputs no list has (``unexpected``), else null;
- ``duplicates``: pairs of inputs that share communities, and which one was counted
  (each shared community is a problem, code ``duplicate_across_inputs``);
- ``problems``: data problems, each with its cell;
- ``checks``: failed consistency checks (审核, code "review"), each with its severity
  (blocking or advisory), check id, every cell it names, the imbalance of a subtotal
  check and the return's explanation (说明) of an advisory one;
- ``summary``: counts per rule and overall.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from compliance._version import __version__
from compliance.render import rows as found
from compliance.render.returns_json import coverage_dict, duplicates_list, verdict_dict
from compliance.results import CheckResult, Report

if TYPE_CHECKING:
    from typing import TextIO

    from compliance.render import RenderOptions
    from compliance.waivers import WaiverStatus

SCHEMA_VERSION = "2"
_RECORD_FIELDS = ("id", "name", "city", "district", "subdistrict")


def ruleset_info(report: Report) -> dict[str, Any]:
    rs = report.ruleset
    return {
        "id": rs.id,
        "version": rs.version,
        "title_zh": rs.title_zh,
        "title_en": rs.title_en,
        "path": str(rs.path) if rs.path else None,
        "sha256": rs.sha256,
        "illustrative": rs.illustrative,
        "parameters": {p.id: p.value for p in rs.parameters.values()},
        "interpretations": [
            {"parameter": p.id, "value": p.value, "note_zh": p.note_zh, "note_en": p.note_en}
            for p in rs.interpretations
        ],
    }


def rule_info(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "title_zh": r.title_zh,
            "title_en": r.title_en,
            "citation": r.citation,
            "document_zh": r.document_zh,
            "issued": r.issued,
            "unit": r.unit,
            "total_unit": r.total_unit,
            "severity": r.severity,
            "measure": r.measure.source,
            "compare": r.compare,
            "require": r.require.source,
            "applies_if": r.applies_if.source if r.applies_if else None,
            "deadline": r.deadline,
        }
        for r in report.rules
    ]


def input_info(check: CheckResult) -> dict[str, Any]:
    s = check.source
    return {
        "path": s.path,
        "sha256": s.sha256,
        "format": s.format,
        "sheet": s.sheet,
        "header_rows": list(s.header_rows),
        "columns": {f: {"column": c, "header": h} for f, (c, h) in s.columns.items()},
        "unmatched_headers": list(s.unmatched_headers),
        "notes_zh": list(s.notes_zh),
        "notes_en": list(s.notes_en),
        "records": len(check.table),
        "verdict": verdict_dict(check),
    }


def findings_dicts(parts: list[found.Part]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each row of ``parts`` (a few: sub-districts) as its record's keys (source,
    sheet, row, the identity fields and worst) and its findings as dicts, in order."""
    from compliance.render.tablejson import FINDING_KEYS

    out = []
    for frame in found.shown(parts, found.in_order(parts)):
        for _, rows in frame.group_by(["_part", "_rec"], maintain_order=True):
            first = rows.row(0, named=True)
            rec = {"source": first["source"], "sheet": first["sheet"], "row": first["_row"]}
            rec.update({k: first[k] for k in _RECORD_FIELDS})
            rec["worst"] = first["worst"]
            findings = [{k: f[k] for k in FINDING_KEYS} for f in rows.iter_rows(named=True)]
            out.append((rec, findings))
    return out


def summary(report: Report) -> dict[str, Any]:
    overall = report.overall()
    return {
        "records": sum(len(c.table) for c in report.checks),
        "inputs": len(report.checks),
        "unreadable": len(report.failures),
        "overall": {k.value: v for k, v in overall.items()},
        "by_rule": {
            c.rule: {
                "pass": c.passed,
                "fail": c.failed,
                "unknown": c.unknown,
                "not_applicable": c.not_applicable,
                "waived": c.waived,
                "not_yet_due": c.not_yet_due,
            }
            for c in report.counts()
        },
    }


def head(report: Report, options: RenderOptions) -> dict[str, Any]:
    """Everything but the records."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "compliance", "version": __version__},
        "started_at": report.started_at.isoformat(),
        "exit_code": options.exit_code,
        "options": dict(report.options),
        "ruleset": ruleset_info(report),
        "rules": rule_info(report),
        "inputs": [input_info(c) for c in report.checks],
        "unreadable": [
            {
                "path": f.path,
                "sha256": f.sha256,
                "message": f.message,
                "verdict": verdict_dict(f),
            }
            for f in report.failures
        ],
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "subdistricts": subdistrict_dicts(report),
        "waivers": [waiver_dict(w) for w in report.waivers],
        "coverage": coverage_dict(report),
        "duplicates": duplicates_list(report),
    }


def subdistrict_dicts(report: Report) -> list[dict[str, Any]]:
    """Each sub-district's results for the rules checked per sub-district."""
    out = []
    for rec, findings in findings_dicts(found.subdistricts(report)):
        one = {k: rec[k] for k in ("source", "sheet", "row", "city", "district", "subdistrict")}
        out.append({**one, "worst": rec["worst"], "findings": findings})
    return out


def waiver_dict(status: WaiverStatus) -> dict[str, Any]:
    w = status.waiver
    return {
        "community": w.community,
        "subdistrict": w.subdistrict,
        "rule": w.rule,
        "reason": w.reason,
        "approved_by": w.approved_by,
        "expires": w.expires.isoformat(),
        "granted": w.granted.isoformat() if w.granted else None,
        "where": w.where,
        "state": status.state.value,
        "matches": [{"community": c, "rule": r} for c, r in status.matches],
    }


def problem_dicts(report: Report, *, review: bool = False) -> Iterator[dict[str, Any]]:
    """The data problems of every input; with ``review`` the consistency checks
    (code "review") instead, which also give their severity, check id and cells."""
    for c in report.checks:
        for p in c.problems:
            if (p.code == "review") is not review:
                continue
            out: dict[str, Any] = {
                "source": c.source.path,
                "cell": p.cell,
                "row": p.row,
                "field": p.field,
                "code": p.code,
                "raw": p.raw,
                "message_zh": p.message_zh,
                "message_en": p.message_en,
            }
            if review:
                out.update(
                    severity=p.severity,
                    check=p.check,
                    cells=list(p.cells),
                    imbalance=p.imbalance,
                    explained=p.explained,
                    explanation=p.explanation,
                )
            yield out


def _dump(value: Any, **kwargs: Any) -> str:
    # allow_nan=False: a report never holds NaN or Infinity.
    return json.dumps(_finite(value), ensure_ascii=False, allow_nan=False, **kwargs)


def _finite(value: Any) -> Any:
    """``value`` with every float that is not finite replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    """Write the whole report as one JSON document, a few thousand records at a time."""
    from compliance.render.encoding import utf8_bytes
    from compliance.render.tablejson import record_texts

    text = _dump(head(report, options), indent=2)
    out.write(text[:-2] + ',\n  "records": [')
    first = True
    raw = utf8_bytes(out)
    for check in report.checks:
        for texts in record_texts(
            check, ",\n    ", all_findings=options.all_findings, utf8=raw is not None
        ):
            lead = "\n    " if first else ",\n    "
            if isinstance(texts, bytes) and raw is not None:
                out.flush()
                raw.write(lead.encode())
                raw.write(texts)
            else:
                out.write(lead + str(texts))
            first = False
    for key, review in (("problems", False), ("checks", True)):
        out.write(f'\n  ],\n  "{key}": [')
        first = True
        for p in problem_dicts(report, review=review):
            out.write(("\n    " if first else ",\n    ") + _dump(p))
            first = False
    out.write('\n  ],\n  "summary": ')
    out.write(_dump(summary(report), indent=2).replace("\n", "\n  "))
    out.write("\n}\n")
