"""The CSV reports: UTF-8 with a BOM, read back with a BOM-aware reader."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from compliance import api
from compliance.render import RenderOptions
from compliance.render.csv import BOM, render
from compliance.render.summary.csv import render as render_summary
from compliance.results import Report
from compliance.summary import summarise
from tests.conftest import HEADERS, WorkbookFactory, community
from tests.datasets import five_communities


@pytest.fixture
def report(make_xlsx: WorkbookFactory) -> Report:
    return api.check_files([make_xlsx(five_communities())])


def write(tmp_path: Path, fill: object) -> list[dict[str, str]]:
    """Write through ``fill`` to a file, check the BOM, read back as Excel would."""
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fill(fh)  # type: ignore[operator]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_long_layout_one_row_per_finding(report: Report, tmp_path: Path) -> None:
    options = RenderOptions(lang="zh", csv_layout="long")
    rows = write(tmp_path, lambda fh: render(report, options, fh))
    assert len(rows) == 5 * 9
    first = rows[0]
    assert list(first)[:3] == ["文件", "行", "社区代码"]  # no BOM glued to the first header
    assert first["社区名称"] == "甲社区"
    assert (first["规则编号"], first["结果"], first["缺口"], first["单位"]) == (
        "premises",
        "未达标",
        "50",
        "平方米",
    )
    assert first["实际值"] == "300" and first["要求值"] == "350"
    assert first["规则集及版本"] == "zhejiang-2007 2007.1"  # every figure traces to a version
    pay = next(r for r in rows if r["社区名称"] == "丁社区" and r["规则编号"] == "pay")
    assert (pay["缺口"], pay["折合总额"], pay["总额单位"]) == ("2647", "13235", "元")
    unknown = next(r for r in rows if r["社区名称"] == "乙社区" and r["规则编号"] == "premises")
    assert unknown["结果"] == "无法判断" and unknown["缺口"] == ""
    assert unknown["单元格"] == "Sheet1!E3"


def test_formula_like_names_are_made_inert(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    names = ['=HYPERLINK("http://x","点我")', "+1", "-2社区", "@SUM(A1)"]
    with source.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        for n in names:
            w.writerow(community(n))
    report = api.check_files([source])
    for layout in ("wide", "long"):
        options = RenderOptions(lang="en", csv_layout=layout)
        rows = write(tmp_path, lambda fh, o=options: render(report, o, fh))
        seen = {r["Community name"] for r in rows}
        assert seen == {"'" + n for n in names}


def test_summary_rows(report: Report, tmp_path: Path) -> None:
    summary = summarise(report, cost_per_m2=2000)
    rows = write(tmp_path, lambda fh: render_summary(summary, report, RenderOptions(lang="en"), fh))
    assert [r["District"] for r in rows] == ["婺城区", "金东区", "Total"]
    total = rows[-1]
    assert (total["Communities"], total["Compliant"], total["Compliance rate (%)"]) == (
        "5",
        "1",
        "20.0",
    )
    assert total["Premises Failing"] == "2"
    assert total["Premises Failing share (%)"] == "40.0"
    assert total["Premises Unknown"] == "1"
    assert total["Premises Shortfall (m²)"] == "50.5"
    assert total["Pay Shortfall (yuan)"] == "13235"
    assert total["Cost (yuan)"] == "101000"


def test_stdout_gets_the_bom_too(report: Report) -> None:
    out = io.StringIO()
    render(report, RenderOptions(lang="en"), out)
    assert out.getvalue().startswith("\ufeff")


def test_wide_layout_one_row_per_community(report: Report, tmp_path: Path) -> None:
    rows = write(tmp_path, lambda fh: render(report, RenderOptions(lang="zh"), fh))
    assert [r["社区名称"] for r in rows] == ["甲社区", "乙社区", "丙社区", "丁社区", "戊社区"]
    first = rows[0]
    assert list(first)[:3] == ["文件", "行", "社区代码"]
    assert first["总体结果"] == "未达标"
    assert (first["用房 结果"], first["用房 实际值 (平方米)"], first["用房 要求值 (平方米)"]) == (
        "未达标",
        "300",
        "350",
    )
    assert first["用房 缺口 (平方米)"] == "50"
    assert first["规则集及版本"] == "zhejiang-2007 2007.1"
    unknown = rows[1]
    assert unknown["用房 结果"] == "无法判断" and unknown["用房 缺口 (平方米)"] == ""
    # A group of four columns per standard, after the identity and the result.
    assert len(first) == 3 + 4 + 1 + 9 * 4 + 1


def _with_codes(tmp_path: Path, codes: list[str]) -> Report:
    source = tmp_path / "codes.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["社区代码", *HEADERS])
        for i, code in enumerate(codes):
            w.writerow([code, *community(f"社区{i}")])
    return api.check_files([source])


def test_wide_layout_keeps_codes_as_text_for_excel(tmp_path: Path) -> None:
    codes = ["330702001001", "0012", "A-17", "=1+1"]
    report = _with_codes(tmp_path, codes)
    out = io.StringIO()
    render(report, RenderOptions(lang="en"), out)
    cells = [row[2] for row in csv.reader(io.StringIO(out.getvalue().lstrip(BOM)))][1:]
    # Digits become the one formula Excel and WPS keep as text; what came from the
    # input and looks like a formula still gets the apostrophe of the injection guard.
    assert cells == ['="330702001001"', '="0012"', "A-17", "'=1+1"]
    long = io.StringIO()
    render(report, RenderOptions(lang="en", csv_layout="long"), long)
    rows = list(csv.DictReader(io.StringIO(long.getvalue().lstrip(BOM))))
    assert rows[0]["Community code"] == "330702001001"  # programs get the plain code


def test_summary_long_layout(report: Report, tmp_path: Path) -> None:
    summary = summarise(report)
    options = RenderOptions(lang="en", csv_layout="long")
    rows = write(tmp_path, lambda fh: render_summary(summary, report, options, fh))
    assert len(rows) == 3 * 9  # two districts and the total, nine standards each
    total = [r for r in rows if r["District"] == "Total"]
    premises = next(r for r in total if r["Rule id"] == "premises")
    assert (premises["Failing"], premises["Unknown"], premises["Shortfall"], premises["Unit"]) == (
        "2",
        "1",
        "50.5",
        "m²",
    )


def test_csv_layout_option_through_the_cli(report: Report, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from compliance.cli import app

    source = report.checks[0].source.path
    for layout, expected in (("wide", 5), ("long", 45)):
        out = tmp_path / f"{layout}.csv"
        result = CliRunner().invoke(
            app, ["check", source, "-o", str(out), "--csv-layout", layout, "-q"]
        )
        assert result.exit_code == 1, result.stderr
        with out.open(encoding="utf-8-sig", newline="") as fh:
            assert len(list(csv.DictReader(fh))) == expected
