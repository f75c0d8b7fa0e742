"""The CSV reports: UTF-8 with a BOM, read back with a BOM-aware reader."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from compliance import api
from compliance.model import Report
from compliance.render import RenderOptions
from compliance.render.csv import render
from compliance.render.summary.csv import render as render_summary
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


def test_one_row_per_finding(report: Report, tmp_path: Path) -> None:
    rows = write(tmp_path, lambda fh: render(report, RenderOptions(lang="zh"), fh))
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
    rows = write(tmp_path, lambda fh: render(report, RenderOptions(lang="en"), fh))
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
