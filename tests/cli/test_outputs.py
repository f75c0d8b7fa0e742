"""Several outputs in one run, the usage errors of issue 11, and the recorded options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from compliance.cli import app
from compliance.cli.emit import destinations
from compliance.errors import UsageError
from compliance.render import Format
from tests.conftest import WorkbookFactory, community

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def failing(make_xlsx: WorkbookFactory) -> Path:
    return make_xlsx([community("甲社区", area=300), community("乙社区")])


def test_several_outputs_each_in_the_format_of_its_extension(failing: Path, tmp_path: Path) -> None:
    xlsx, js, csv, txt = (tmp_path / f"r.{e}" for e in ("xlsx", "json", "csv", "txt"))
    code, out, err = run(
        "check",
        str(failing),
        "--lang",
        "en",
        *(x for p in (xlsx, js, csv, txt) for x in ("-o", str(p))),
    )
    assert code == 1, err
    assert out == ""  # every report went to a file
    assert load_workbook(xlsx).sheetnames  # a real workbook
    assert json.loads(js.read_text(encoding="utf-8"))["exit_code"] == 1
    assert csv.read_text(encoding="utf-8-sig").startswith("File,")
    assert "甲社区" in txt.read_text(encoding="utf-8")


def test_summary_writes_several_outputs(failing: Path, tmp_path: Path) -> None:
    js, md = tmp_path / "s.json", tmp_path / "s.md"
    code, _, err = run("summary", str(failing), "-o", str(js), "-o", str(md), "--lang", "en")
    assert code == 1, err
    assert json.loads(js.read_text(encoding="utf-8"))
    assert md.read_text(encoding="utf-8").startswith("#")


def test_format_rules_for_outputs(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b"
    assert destinations(None, []) == [(Format.TABLE, None)]
    assert destinations("json", []) == [(Format.JSON, None)]
    assert destinations(None, [a]) == [(Format.JSON, a)]
    # One file: --format wins over its extension; no extension means the table.
    assert destinations("csv", [a]) == [(Format.CSV, a)]
    assert destinations(None, [b]) == [(Format.TABLE, b)]
    # Several: each from its extension, --format for one without.
    assert destinations("csv", [a, b]) == [(Format.JSON, a), (Format.CSV, b)]
    with pytest.raises(UsageError, match="cannot tell the format"):
        destinations(None, [a, b])
    with pytest.raises(UsageError, match="given twice"):
        destinations(None, [a, a])
    with pytest.raises(UsageError, match="does not write jsonl"):
        destinations(None, [tmp_path / "x.jsonl"], (Format.JSON, Format.TABLE))
    with pytest.raises(UsageError, match="writes a file"):
        destinations("xlsx", [])


def test_an_output_over_an_input_is_refused_among_several(failing: Path, tmp_path: Path) -> None:
    code, _, err = run("check", str(failing), "-o", str(tmp_path / "r.json"), "-o", str(failing))
    assert code == 2
    assert "is one of the files this run reads" in err


@pytest.mark.parametrize("command", ["check", "summary"])
def test_inputs_that_match_no_file_are_a_usage_error(command: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for arg in (str(tmp_path / "*.xls"), str(empty)):
        code, out, err = run(command, arg, "--lang", "en")
        assert code == 2, out + err
        assert "nothing to check" in err
        assert "0 communities" not in out + err


@pytest.mark.parametrize("command", ["check", "summary"])
def test_a_selection_that_leaves_no_rule_is_a_usage_error(command: str, failing: Path) -> None:
    code, out, err = run(command, str(failing), "--ignore", "*")
    assert code == 2, out + err
    assert "leave no rule" in err


def test_json_records_the_options_of_the_run(failing: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    code, _, err = run(
        "check",
        str(failing),
        "-o",
        str(out),
        "--lang",
        "en",
        "--select",
        "premises",
        "--as-of",
        "2030-01-01",
        "--all",
        "--fail-on",
        "unknown",
        "-j",
        "1",
    )
    assert code == 1, err
    options = json.loads(out.read_text(encoding="utf-8"))["options"]
    assert options["select"] == ["premises"]
    assert options["as_of"] == "2030-01-01"
    assert options["lang"] == "en"
    assert options["fail_on"] == "unknown"
    assert options["all"] is True
    assert options["rules"] == "zhejiang-2007"
    assert "jobs" not in options and "output" not in options
