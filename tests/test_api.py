"""The public Python API: `import compliance` and what a batch job does with it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import compliance
from tests.conftest import SAMPLE, WorkbookFactory, community


def test_every_public_name_resolves() -> None:
    for name in compliance.__all__:
        assert getattr(compliance, name) is not None
    with pytest.raises(AttributeError):
        _ = compliance.no_such_name  # type: ignore[attr-defined]


def test_import_is_cheap_and_a_json_check_never_loads_openpyxl() -> None:
    code = (
        "import sys, compliance\n"
        "assert 'compliance.api' not in sys.modules\n"
        "r = compliance.check_files([sys.argv[1]])\n"
        "compliance.render_report(r, 'json')\n"
        "print('openpyxl' in sys.modules, 'pandas' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLE)], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_a_batch_job_checks_a_folder_and_keys_off_the_exit_code(
    make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    (tmp_path / "returns").mkdir()
    make_xlsx([community("甲社区")], name="returns/a.xlsx")
    make_xlsx([community("乙社区", area=300)], name="returns/b.xlsx")
    report = compliance.check_files([tmp_path / "returns"])
    assert compliance.exit_code(report) is compliance.ExitCode.FAIL
    assert compliance.exit_code(report, compliance.FailOn.NEVER) == 0
    failing = [
        (rr.record.name, f.rule, f.shortfall)
        for rr in report.results
        for f in rr.findings
        if f.outcome is compliance.Outcome.FAIL
    ]
    assert failing == [("乙社区", "premises", 50.0)]
    doc = json.loads(compliance.render_report(report, "json") or "")
    assert doc["exit_code"] == 1
    compliance.render_report(report, "junit", tmp_path / "report.xml")
    assert (tmp_path / "report.xml").read_text(encoding="utf-8").startswith("<?xml")


def test_render_report_refuses_binary_formats_without_a_destination_and_unknown_formats() -> None:
    report = compliance.check_files([SAMPLE])
    with pytest.raises(compliance.UsageError, match="xlsx"):
        compliance.render_report(report, "xlsx")
    with pytest.raises(compliance.UsageError, match="choose one of"):
        compliance.render_report(report, "yaml")


def test_summarise_and_the_lower_level_steps() -> None:
    rs = compliance.load_ruleset("zhejiang-2007")
    rules = compliance.select_rules(rs, ["premises"])
    data = compliance.read_records(SAMPLE)
    result = compliance.check(SAMPLE, ruleset=rs, rules=rules)
    assert len(result.results) == len(data.records) == 200
    assert {f.rule for rr in result.results for f in rr.findings} == {"premises"}
    summary = compliance.summarise(compliance.check_files([SAMPLE], rules=rules), by="district")
    assert summary.total.rule("premises").failed == 68
