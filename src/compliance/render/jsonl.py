"""JSON Lines: one JSON object per line, written as it goes, for large runs.

Every line has a ``type``; the same keys as the JSON report are used
(``schema_version`` 1, described by ``data/report-lines.schema.json``):

- ``run`` (first): ``schema_version``, ``tool``, ``started_at``, ``options``,
  ``ruleset`` (id, version, sha256 of the rule file...) and ``rules``;
- ``input``: one per readable input, with its path and SHA-256, before its findings;
- ``finding``: one per community and rule: the record's ``source``, ``sheet``,
  ``row`` and identity fields, then the finding (``rule``, ``outcome``,
  ``actual``, ``required``, ``shortfall``...);
- ``problem``: a data problem with its cell;
- ``unreadable``: an input that could not be read, with the reason;
- ``summary`` (last): the counts of the JSON report's ``summary`` and the ``exit_code``.

A reader can stream the file with ``for line in f: json.loads(line)`` and
filter on ``outcome`` without holding the report in memory.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from compliance._version import __version__
from compliance.render import rows as found
from compliance.render.json import (
    findings_dicts,
    input_info,
    rule_info,
    ruleset_info,
    summary,
)
from compliance.render.returns_json import verdict_dict

if TYPE_CHECKING:
    from typing import TextIO

    from compliance.render import RenderOptions
    from compliance.results import Report

#: The JSON Lines layout has its own version (the JSON report's is 2).
LINES_SCHEMA_VERSION = "1"


def run_line(report: Report) -> dict[str, Any]:
    """The first line: what ran, on what rules, when."""
    return {
        "type": "run",
        "schema_version": LINES_SCHEMA_VERSION,
        "tool": {"name": "compliance", "version": __version__},
        "started_at": report.started_at.isoformat(),
        "options": dict(report.options),
        "ruleset": ruleset_info(report),
        "rules": rule_info(report),
    }


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    """Write the report as JSON Lines, one finding per line."""
    dump = json.JSONEncoder(ensure_ascii=False).encode
    write = out.write
    write(dump(run_line(report)) + "\n")
    for check in report.checks:
        write(dump({"type": "input", **input_info(check)}) + "\n")
        # The communities' findings come from the table, a chunk of lines at a time;
        # sub-district results (rules checked per sub-district) follow them.
        from compliance.render.tablejson import finding_lines

        for lines in finding_lines(check):
            write(lines)
        groups = found.subdistrict_part(check)
        for rec, findings in findings_dicts([groups] if groups is not None else []):
            line = {"type": "finding", **{k: v for k, v in rec.items() if k != "worst"}}
            for finding in findings:
                write(dump({**line, **finding}) + "\n")
        for p in check.problems:
            line = {
                "type": "problem",
                "source": check.source.path,
                "cell": p.cell,
                "row": p.row,
                "field": p.field,
                "code": p.code,
                "raw": p.raw,
                "message_zh": p.message_zh,
                "message_en": p.message_en,
            }
            write(dump(line) + "\n")
    for f in report.failures:
        line = {
            "type": "unreadable",
            "path": f.path,
            "sha256": f.sha256,
            "message": f.message,
            "verdict": verdict_dict(f),
        }
        write(dump(line) + "\n")
    write(dump({"type": "summary", **summary(report), "exit_code": options.exit_code}) + "\n")
