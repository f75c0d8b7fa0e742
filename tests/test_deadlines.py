"""Deadlines and --as-of; rule severity and the exit code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from compliance import api
from compliance.cli import app
from compliance.model import Outcome
from tests.conftest import WorkbookFactory, community
from tests.findings import finding

WARNING_RULES = """\
[ruleset]
id = "warn"
version = "1"
title_zh = "警告"
title_en = "Warnings"
extends = "zhejiang-2007"

[[rules]]
id = "staffing"
severity = "warning"
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout + result.stderr


def small_premises(make_xlsx: WorkbookFactory) -> Path:
    return make_xlsx([community("甲社区", area=300), community("乙社区")])


def test_failure_before_the_deadline_is_not_yet_due(make_xlsx: WorkbookFactory) -> None:
    path = small_premises(make_xlsx)
    report = api.check_files([path], as_of=dt.date(2008, 12, 31))
    f = finding(report, "premises")
    assert f is not None
    assert f.outcome is Outcome.NOT_YET_DUE
    assert f.shortfall == 50
    assert report.as_of == dt.date(2008, 12, 31)
    assert api.exit_code(report) == 0
    # The day the deadline (2010-04) arrives it is a failure.
    report = api.check_files([path], as_of=dt.date(2010, 4, 1))
    assert finding(report, "premises").outcome is Outcome.FAIL
    assert api.exit_code(report) == 1
    before = api.check_files([path], as_of=dt.date(2010, 3, 31))
    assert finding(before, "premises").outcome is Outcome.NOT_YET_DUE


def test_cli_shows_as_of_and_deadline(make_xlsx: WorkbookFactory) -> None:
    path = small_premises(make_xlsx)
    code, out = run("check", str(path), "--as-of", "2008-12-31", "--lang", "en", "--details")
    assert code == 0
    assert "As of: 2008-12-31 · Deadline: Premises 2010-04" in out
    assert "甲社区 · Premises · Sheet1!E2: ⏳ 300, needs ≥ 350: short 50 m²" in out
    assert "not yet due (due 2010-04)" in out
    # The summary gets a not-yet-due column.
    header = next(ln for ln in out.splitlines() if "Total shortfall" in ln)
    assert "n/a   not yet due" in header
    line = next(ln for ln in out.splitlines() if "Work-and-service premises" in ln)
    # pass, fail, unknown, n/a, not yet due; no shortfall counts as failing.
    assert line.split()[-5:] == ["1", "0", "0", "0", "1"]


def test_cli_as_of_defaults_to_today(make_xlsx: WorkbookFactory) -> None:
    before = dt.date.today()
    code, out = run("check", str(small_premises(make_xlsx)), "--lang", "en")
    after = dt.date.today()  # the run may cross midnight
    assert code == 1  # 2010-04 has passed
    assert any(f"As of: {d.isoformat()}" in out for d in {before, after})


def test_bad_as_of_is_a_usage_error(make_xlsx: WorkbookFactory) -> None:
    code, out = run("check", str(small_premises(make_xlsx)), "--as-of", "end of 2008")
    assert code == 2
    assert "--as-of 'end of 2008': not a date" in out


def test_warning_severity_is_reported_but_does_not_fail(
    tmp_path: Path, make_xlsx: WorkbookFactory
) -> None:
    rules = tmp_path / "warn.toml"
    rules.write_text(WARNING_RULES, encoding="utf-8")
    path = make_xlsx([community("甲社区", households=2150, workers=5, insured=(5,) * 6)])
    code, out = run("check", str(path), "--rules", str(rules), "--lang", "en")
    assert code == 0
    assert "✗ 1" in out
    line = next(ln for ln in out.splitlines() if "At least 5 full-time workers" in ln)
    # pass, fail, unknown, n/a, shortfall
    assert line.split()[-6:] == ["0", "1", "0", "0", "1", "worker"]
    assert "households above 2000 (warning)" in out
    # The same failure under the error severity of zhejiang-2007 fails the run.
    code, _ = run("check", str(path), "--lang", "en")
    assert code == 1


def test_failing_rules_counts_only_errors(tmp_path: Path, make_xlsx: WorkbookFactory) -> None:
    rules = tmp_path / "warn.toml"
    rules.write_text(WARNING_RULES, encoding="utf-8")
    path = make_xlsx([community("甲社区", households=2150, workers=5, insured=(5,) * 6, area=1)])
    report = api.check_files([path], ruleset=rules)
    assert report.failing_rules() == {"premises"}


def test_fail_on_unknown_ignores_warning_rules(tmp_path: Path, make_xlsx: WorkbookFactory) -> None:
    rules = tmp_path / "warn.toml"
    rules.write_text(WARNING_RULES, encoding="utf-8")
    path = make_xlsx([community("甲社区", households="不详")])  # staffing cannot be decided
    code, _ = run("check", str(path), "--rules", str(rules), "--fail-on", "unknown")
    assert code == 0
    code, _ = run("check", str(path), "--fail-on", "unknown")  # staffing is an error rule here
    assert code == 1


def test_a_record_whose_only_shortfall_is_not_yet_due_is_worst_not_yet_due(
    make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    import csv
    import json

    path = make_xlsx(
        [community("丙社区", area=322), community("丁社区"), community("戊社区", area=None)]
    )
    code, _ = run(
        "check", str(path), "-f", "json", "-o", str(tmp_path / "r.json"), "--as-of", "2009-03-01"
    )
    doc = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert [r["worst"] for r in doc["records"]] == ["not_yet_due", "pass", "unknown"]
    assert code == 0  # a shortfall not yet due fails no run
    # After the deadline it is a failure.
    run("check", str(path), "-f", "json", "-o", str(tmp_path / "r.json"), "--as-of", "2010-04-01")
    doc = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert [r["worst"] for r in doc["records"]] == ["fail", "pass", "unknown"]
    # The wide CSV says it in words too.
    out = tmp_path / "r.csv"
    run("check", str(path), "-f", "csv", "-o", str(out), "--as-of", "2009-03-01", "--lang", "en")
    rows = list(csv.reader(out.read_text("utf-8-sig").splitlines()))
    worst = rows[0].index("Result")
    assert [r[worst] for r in rows[1:]] == ["not yet due", "pass", "unknown"]
