"""`compliance summary` and the report formats of `compliance check` through CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from compliance.cli import app
from tests.conftest import SAMPLE, WorkbookFactory, community
from tests.datasets import five_communities
from tests.province import write_province

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def five(make_xlsx: WorkbookFactory) -> Path:
    return make_xlsx(five_communities())


def test_province_headline_as_printed(tmp_path: Path) -> None:
    path = write_province(tmp_path / "zhejiang-2007.xlsx")
    code, out, _ = run("summary", str(path), "--lang", "en", "--select", "premises")
    assert code == 1
    assert (
        "Work-and-service premises of at least 350 m²: 1128 of 2785 communities fall short (40.5%)"
        in out
    )
    code, out, _ = run("summary", str(path), "--lang", "zh", "--select", "premises")
    assert "社区工作服务用房面积不少于350平方米：2785 个社区中 1128 个未达标（40.5%）" in out
    assert "按市汇总" in out  # 11 cities: the coarsest level with more than one name
    # On the report's own date the 2010 deadline was ahead; the count is the same.
    code, out, _ = run(
        "summary", str(path), "--lang", "en", "--select", "premises", "--as-of", "2007-12-31"
    )
    assert code == 0
    assert (
        "1128 of 2785 communities fall short (40.5%); 1128 of them not yet due (deadline 2010-04)"
        in " ".join(out.split())
    )


def test_sample_by_district(tmp_path: Path) -> None:
    code, out, err = run("summary", str(SAMPLE), "--by", "district", "--lang", "en")
    assert code == 1
    assert "Shortfall by district" in out
    for district in (
        "婺城区",
        "金东区",
        "兰溪市",
        "义乌市",
        "东阳市",
        "永康市",
        "武义县",
        "浦江县",
        "磐安县",
    ):
        assert district in out
    assert "Largest premises gaps by district" in out
    assert "No unit cost of premises given" in out
    assert err.startswith("200 communities: 50 pass every standard")
    assert err.rstrip().endswith("(exit 1)")


def test_cost_per_m2(five: Path) -> None:
    code, out, _ = run("summary", str(five), "--lang", "en", "--cost-per-m2", "2000")
    assert code == 1
    assert (
        "Closing the premises gap: 50.50 m² × 2,000 yuan/m² = 101,000 yuan "
        "(unit cost from --cost-per-m2)" in out
    )


def test_json_on_stdout_is_clean(five: Path) -> None:
    code, out, err = run("summary", str(five), "--format", "json", "--by", "subdistrict")
    assert code == 1
    doc = json.loads(out)
    assert (doc["schema_version"], doc["kind"], doc["by"]) == ("1", "summary", "subdistrict")
    assert doc["levels"] == ["district", "subdistrict"]
    assert doc["total"]["rules"]["premises"]["shortfall"] == 50.5
    assert doc["total"]["rules"]["pay"]["total"] == 13235
    assert doc["cost"] is None
    assert "communities" in err


def test_csv_to_stdout_has_a_bom(five: Path) -> None:
    code, out, _ = run("summary", str(five), "--format", "csv", "--lang", "en")
    assert code == 1
    assert out.startswith("\ufeffDistrict,Communities,")


def test_xlsx_needs_output(five: Path) -> None:
    code, _, err = run("summary", str(five), "--format", "xlsx")
    assert code == 2
    assert "--format xlsx writes a file: give --output" in err
    code, _, err = run("check", str(five), "--format", "xlsx")
    assert code == 2
    assert "give --output" in err


def test_xlsx_written_and_an_existing_file_replaced(five: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    out.write_text("old")
    code, stdout, _ = run("summary", str(five), "--format", "xlsx", "-o", str(out))
    assert code == 1
    assert stdout == ""
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "汇总 Summary"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left


def test_refuses_to_write_over_the_input(five: Path) -> None:
    for command in ("summary", "check"):
        code, _, err = run(command, str(five), "--format", "xlsx", "-o", str(five))
        assert code == 2
        assert "refusing to overwrite" in err
    assert five.read_bytes().startswith(b"PK")  # the input is untouched


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "pdf"), "--format 'pdf': choose one of table, json, csv, markdown, xlsx"),
        (("--by", "county"), "--by 'county'"),
        (("--by", "city"), "no city column"),
        (("--cost-per-m2", "-5"), "must be a number ≥ 0"),
    ],
)
def test_usage_errors_exit_2(five: Path, args: tuple[str, ...], message: str) -> None:
    code, _, err = run("summary", str(five), *args)
    assert code == 2
    assert message in err


def test_folder_of_returns(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    make_xlsx([community("甲社区", area=300)], name="wucheng.xlsx")
    make_xlsx([community("乙社区", area=200, district="金东区")], name="jindong.xlsx")
    code, out, _ = run("summary", str(tmp_path), "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert len(doc["inputs"]) == 2
    assert doc["total"]["communities"] == 2
    assert doc["total"]["rules"]["premises"]["shortfall"] == 200


def test_all_pass_exits_0(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区"), community("乙社区")])
    code, out, _ = run("summary", str(path), "--lang", "en")
    assert code == 0
    assert "0 of 2 communities fall short (0.0%)" in out


@pytest.mark.parametrize("fmt", ["csv", "markdown", "xlsx"])
def test_check_exit_codes_unchanged_by_format(five: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    code, _, _ = run("check", str(five), "--format", fmt, "-o", str(out))
    assert code == 1
    assert out.stat().st_size > 0


def test_check_csv_and_markdown_to_stdout(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区")])
    code, out, _ = run("check", str(path), "--format", "csv", "--lang", "en")
    assert code == 0
    assert out.startswith("\ufeffFile,Row,")
    code, out, _ = run("check", str(path), "--format", "markdown", "--lang", "en")
    assert code == 0
    assert out.startswith("# Zhejiang community work-and-service standards (2007)")


def test_help_says_an_existing_output_is_replaced() -> None:
    for command in ("summary", "check"):
        code, out, _ = run(command, "--help")
        assert code == 0
        assert "existing file is replaced" in " ".join(out.split())
