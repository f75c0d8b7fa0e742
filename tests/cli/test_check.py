"""`compliance check` through typer's CliRunner: output, formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from compliance.cli import app
from tests.conftest import HEADERS, SAMPLE, WorkbookFactory, community

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_all_pass_exits_0(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区"), community("乙社区")])
    code, out, err = run("check", str(path), "--lang", "en")
    assert code == 0, out + err
    assert "all 2 communities pass every standard" in out
    assert "2 communities: 2 pass every standard, 0 fail at least one" in err


def test_a_failure_exits_1_and_shows_the_shortfall(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区", area=349.99), community("乙社区")])
    code, out, _ = run("check", str(path), "--lang", "en")
    assert code == 1
    assert "甲社区" in out
    assert "✗ 0.01" in out
    assert "乙社区" not in out  # failing-only by default
    code, out, _ = run("check", str(path), "--lang", "en", "--all")
    assert "乙社区" in out


def test_details_show_the_derivation(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区", households=2150, workers=5)])
    code, out, _ = run("check", str(path), "--lang", "en", "--details")
    assert code == 1
    assert "max(5, ceil(2150 / 400)) = 6" in out
    assert "short 1 worker  [" in out  # one worker, not "1 workers"


def test_unknown_is_not_a_pass_and_names_the_cell(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区", area=None)], title="某区社区情况表")
    code, out, err = run("check", str(path), "--lang", "en", "--details")
    assert code == 0  # nothing fails; the unknown is reported, not hidden
    assert "?" in out
    assert "Sheet1!E3" in out
    assert "0 pass every standard" in err and "1 has unknowns" in err


def test_unreadable_cell_is_a_data_problem(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区", area="待核实")])
    _, out, _ = run("check", str(path), "--lang", "zh")
    assert "Sheet1!E2: “待核实”不是数字" in out


def test_missing_column_exits_2_with_one_line(make_xlsx: WorkbookFactory) -> None:
    headers = [h for h in HEADERS if h != "建筑面积(m2)"]
    row = community()
    del row[HEADERS.index("建筑面积(m2)")]
    path = make_xlsx([row], headers)
    code, out, err = run("check", str(path))
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "premises_area (工作服务用房面积)" in lines[0]
    assert "headers found: 社区名称; 所属街道" in lines[0]
    assert "Traceback" not in err


def test_missing_column_is_fine_when_its_rule_is_ignored(make_xlsx: WorkbookFactory) -> None:
    headers = [h for h in HEADERS if h != "建筑面积(m2)"]
    row = community()
    del row[HEADERS.index("建筑面积(m2)")]
    path = make_xlsx([row], headers)
    code, _, err = run("check", str(path), "--ignore", "premises")
    assert code == 0, err


def test_no_header_exits_2(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([["a", "b"], [1, 2]], headers=["x", "y"])
    code, _, err = run("check", str(path))
    assert code == 2
    assert "no header row found" in err
    assert str(path) in err


def test_missing_and_empty_files_exit_2(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path / "nope.xlsx"))
    assert code == 2 and "file not found" in err
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    code, _, err = run("check", str(empty))
    assert code == 2 and "empty" in err


def test_bad_rule_file_exits_2(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    rules = tmp_path / "bad.toml"
    rules.write_text(
        'format = 1\n[ruleset]\nid = "x"\nversion = "1"\ntitle_zh = "x"\ntitle_en = "x"\n'
        '[[rules]]\nid = "evil"\ntitle_zh = "x"\ntitle_en = "x"\ncitation = "x"\nunit = "m2"\n'
        'measure = "premises_area"\nrequire = "__import__(\'os\').getcwd()"\n',
        encoding="utf-8",
    )
    code, out, err = run("check", str(make_xlsx([community()])), "--rules", str(rules))
    assert code == 2
    assert out == ""
    assert f"{rules}: rule 'evil', require" in err
    assert len(err.strip().splitlines()) == 1


def test_bad_options_exit_2(make_xlsx: WorkbookFactory) -> None:
    path = str(make_xlsx([community()]))
    assert run("check", path, "--format", "pdf")[0] == 2
    assert run("check", path, "--select", "nosuchrule")[0] == 2
    assert run("check", path, "--column", "nonsense")[0] == 2
    assert run("check", path, "--lang", "fr")[0] == 2


def test_json_goes_to_stdout_alone(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区", households=2150, workers=5)])
    code, out, err = run("check", str(path), "--format", "json", "--all-findings")
    assert code == 1
    doc = json.loads(out)
    assert doc["schema_version"] == "2"
    assert doc["exit_code"] == 1
    assert doc["ruleset"]["id"] == "zhejiang-2007"
    assert doc["ruleset"]["interpretations"][0]["parameter"] == "staffing_rounding"
    [rec] = doc["records"]
    assert rec["name"] == "甲社区" and rec["row"] == 2
    staffing = next(f for f in rec["findings"] if f["rule"] == "staffing")
    assert staffing == {
        "rule": "staffing",
        "outcome": "fail",
        "actual": 5.0,
        "required": 6.0,
        "shortfall": 1.0,
        "total": None,
        "derivation": "max(5, ceil(2150 / 400)) = 6",
        "reason": "",
        "cells": ["Sheet1!F2"],
        "missing": [],
        "notes": [],
    }
    pay = next(f for f in rec["findings"] if f["rule"] == "pay")
    assert pay["notes"] == ["pay_annual=pay_monthly × 12"]
    assert doc["summary"]["by_rule"]["staffing"] == {
        "pass": 0,
        "fail": 1,
        "unknown": 0,
        "not_applicable": 0,
        "waived": 0,
        "not_yet_due": 0,
    }
    assert (
        "1 community: 0 pass every standard, 1 fails at least one" in err
    )  # the human summary went to stderr


def test_output_file_is_written_and_inputs_are_protected(
    make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    path = make_xlsx([community()])
    before = path.read_bytes()
    out_file = tmp_path / "report.json"
    code, out, _ = run("check", str(path), "--format", "json", "--output", str(out_file))
    assert code == 0 and out == ""
    assert json.loads(out_file.read_text("utf-8"))["summary"]["records"] == 1
    code, _, err = run("check", str(path), "--format", "json", "--output", str(path))
    assert code == 2 and "refusing to overwrite" in err
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_monthly_pay_note_in_both_languages(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community()])
    _, out_en, _ = run("check", str(path), "--lang", "en")
    _, out_zh, _ = run("check", str(path), "--lang", "zh")
    assert "is monthly; multiplied by 12" in out_en
    assert "为月度数据，已乘以12折算" in out_zh


def test_sample_end_to_end() -> None:
    code, out, _ = run("check", str(SAMPLE), "--lang", "zh", "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["summary"]["records"] == 200
    assert doc["inputs"][0]["header_rows"] == [3]
    by_rule = doc["summary"]["by_rule"]
    assert set(by_rule) == {
        "premises",
        "staffing",
        "pay",
        "pension",
        "unemployment",
        "medical",
        "injury",
        "maternity",
        "housing_fund",
    }
    for counts in by_rule.values():
        assert counts["pass"] + counts["fail"] + counts["unknown"] == 200
    assert doc["summary"]["overall"]["pass"] > 0 and doc["summary"]["overall"]["fail"] > 0
    # The synthetic sample holds exact boundaries: 350 passes, 349.99 fails by 0.01.
    by_row = {r["row"]: r for r in doc["records"]}
    # Passes are listed by rule id; every other finding in full.
    assert "premises" in by_row[6]["passed"]
    premises = next(f for f in by_row[7]["findings"] if f["rule"] == "premises")
    assert premises["outcome"] == "fail" and premises["shortfall"] == 0.01
    assert any(p["cell"] == "社区情况!O74" for p in doc["problems"])
    assert "skipped 1 subtotal row: 社区情况!A204" in doc["inputs"][0]["notes_en"]
    code, out, _ = run("check", str(SAMPLE), "--lang", "zh")
    assert code == 1
    assert "浙江省社区工作服务标准" in out and "解释口径" in out


def test_help_documents_exit_codes() -> None:
    result = runner.invoke(app, ["check", "--help"])
    assert result.exit_code == 0
    assert "Exit codes" in result.stdout
    result = runner.invoke(app, ["--help"])
    assert "  2    bad input or usage" in result.stdout
    assert "  3    internal error" in result.stdout


def test_rules_lists_citations() -> None:
    code, out, _ = run("rules", "--lang", "zh")
    assert code == 0
    assert "每个社区的专职社区工作者不少于5人" in out
    assert "staffing_rounding" in out or "人员配备取整方式" in out


def test_not_yet_due_shortfall_is_listed_but_does_not_fail(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区", area=300), community("乙社区")])
    code, out, _ = run("check", str(path), "--lang", "en", "--as-of", "2008-12-31")
    assert code == 0
    assert "甲社区" in out and "⏳ 50" in out
    assert "乙社区" not in out
