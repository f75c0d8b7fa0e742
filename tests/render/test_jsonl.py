"""JSON Lines: one finding per line, with a run line first and a summary line last."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from compliance import api
from compliance.exitcodes import exit_code
from compliance.render import Format, RenderOptions, get_renderer
from compliance.results import Report
from tests.conftest import SAMPLE, WorkbookFactory, community


def lines(report: Report) -> list[dict[str, Any]]:
    out = io.StringIO()
    code = int(exit_code(report))
    get_renderer(Format.JSONL)(report, RenderOptions(exit_code=code), out)
    text = out.getvalue()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_every_finding_is_a_line_between_the_run_and_the_summary() -> None:
    report = api.check_files([SAMPLE])
    got = lines(report)
    kinds = [d["type"] for d in got]
    assert kinds[0] == "run" and kinds[1] == "input" and kinds[-1] == "summary"
    findings = [d for d in got if d["type"] == "finding"]
    assert len(findings) == 200 * len(report.rules)
    assert kinds.count("problem") == len(report.problems)
    run = got[0]
    assert run["schema_version"] == "1"
    assert run["ruleset"]["id"] == "zhejiang-2007" and len(run["ruleset"]["sha256"]) == 64
    assert got[1]["sha256"] == report.checks[0].source.sha256
    first = findings[0]
    assert (first["source"], first["sheet"], first["row"]) == (str(SAMPLE), "社区情况", 4)
    assert first["rule"] == report.rules[0].id
    assert first["outcome"] in {"pass", "fail", "unknown"}
    summary = got[-1]
    assert summary["exit_code"] == 1
    fails = sum(1 for d in findings if d["outcome"] == "fail")
    assert fails == sum(c.failed for c in report.counts())


def test_unreadable_inputs_are_lines_too(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    good = make_xlsx([community("甲社区")])
    report = api.check_files([good, tmp_path / "nope.xlsx"])
    got = lines(report)
    [bad] = [d for d in got if d["type"] == "unreadable"]
    assert bad["path"].endswith("nope.xlsx") and bad["sha256"] is None
    assert got[-1]["exit_code"] == 2 and got[-1]["unreadable"] == 1


def test_chunks_of_communities_write_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    from compliance.render import tablejson

    report = api.check_files([SAMPLE])

    def texts() -> list[str]:
        out = []
        for fmt, every in ((Format.JSON, False), (Format.JSON, True), (Format.JSONL, False)):
            buf = io.StringIO()
            get_renderer(fmt)(report, RenderOptions(all_findings=every), buf)
            out.append(buf.getvalue())
        return out

    whole = texts()
    assert len(report.checks[0].table) > 7
    monkeypatch.setattr(tablejson, "CHUNK", 3)
    assert texts() == whole
    records = json.loads(whole[0])["records"]
    assert [r["row"] for r in records] == sorted(r["row"] for r in records)
    assert sum(len(r["findings"]) + len(r["passed"]) for r in records) == len(
        report.checks[0].table
    ) * len(report.checks[0].table.rules)
