"""The xlsx report reopened with openpyxl: sheets, charts, safe cells, number formats;
and, where LibreOffice is installed, opened by LibreOffice."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart

from compliance import api
from compliance.render import RenderOptions
from compliance.render.safety import FORMULA_TRIGGERS
from compliance.render.xlsx import render, render_summary
from compliance.render.xlsx.cells import put
from compliance.results import Report
from compliance.summary import summarise
from tests.conftest import HEADERS, WorkbookFactory, community
from tests.datasets import five_communities

SHEETS = ["汇总 Summary", "按地区 By region", "明细 Findings", "数据问题 Data problems"]
INJECTIONS = ['=HYPERLINK("http://example.com","点我")', "+1+1", "-1+1", "@SUM(A1:A2)"]


@pytest.fixture
def report(make_xlsx: WorkbookFactory) -> Report:
    return api.check_files([make_xlsx(five_communities())])


def save(tmp_path: Path, report: Report, *, cost: float | None = None, lang: str = "en") -> Path:
    path = tmp_path / "report.xlsx"
    with path.open("wb") as fh:
        render_summary(summarise(report, cost_per_m2=cost), report, RenderOptions(lang=lang), fh)
    return path


def test_sheets_and_charts(report: Report, tmp_path: Path) -> None:
    path = save(tmp_path, report)
    wb = load_workbook(path)
    assert wb.sheetnames == SHEETS
    charts = wb["汇总 Summary"]._charts
    assert len(charts) == 2
    assert all(isinstance(c, BarChart) for c in charts)
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        xml = "".join(z.read(n).decode() for n in parts)
    assert len(parts) == 2
    assert "Compliance rate by district" in xml
    assert "Premises shortfall by district (m²)" in xml
    # The charts read the by-region sheet, regions only (not the total row).
    assert "'按地区 By region'!$D$2:$D$3" in xml  # compliance rate
    assert "'按地区 By region'!$A$2:$A$3" in xml  # district names


def test_cover_block(report: Report, tmp_path: Path) -> None:
    ws = load_workbook(save(tmp_path, report, cost=2000))["汇总 Summary"]
    cover = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, 20)}
    assert cover["规则集\nRule set"].endswith("zhejiang-2007 2007.1")
    # The file by its name (not the folder it sat in here) and its SHA-256.
    source = report.checks[0].source
    assert cover["输入文件\nInput files"] == f"{Path(source.path).name}  SHA-256 {source.sha256}"
    assert cover["工具版本\nTool version"].startswith("compliance ")
    # Local time with its zone, "2026-12-07 11:12 (UTC+08:00)".
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d \(UTC[+-]\d\d:\d\d\)$", cover["运行时间\nRun at"])
    assert cover["汇总层级\nGrouped by"] == "District"
    assert cover["用房单价\nPremises unit cost"].startswith("2,000 yuan/m²")


def test_banner_and_verdicts_on_the_first_sheet(report: Report, tmp_path: Path) -> None:
    """The banner under the title, before the cover block; the verdicts below the figures."""
    ws = load_workbook(save(tmp_path, report, lang="en"))["汇总 Summary"]
    assert ws["A2"].value == "需要注意\nNeeds attention"
    name = Path(report.checks[0].source.path).name
    assert ws["B2"].value == f"1 return to send back for correction: {name}"
    assert ws["B3"].value == (
        "Needed cells empty or unreadable (Premises area, Pension insured): "
        "Premises, Pension not judged for 2 communities"
    )
    assert ws["A4"].value is None  # a blank row, then the cover block
    column_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    at = column_a.index("Verdict per return") + 1  # a 1-based row
    assert ws.cell(at + 1, 1).value == name
    assert ws.cell(at + 1, 2).value == (
        "returned for correction (1 needed cell unreadable, 1 needed cell empty)"
    )


def test_summary_figures_and_formats(report: Report, tmp_path: Path) -> None:
    ws = load_workbook(save(tmp_path, report, cost=2000))["汇总 Summary"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    r = rows["Work-and-service premises of at least 350 m²"]
    values = [ws.cell(r, c).value for c in range(2, 8)]
    assert values == [5, 2, 0.4, 1, 50.5, "m²"]
    assert ws.cell(r, 4).number_format == "0.0%"
    assert ws.cell(r, 6).number_format == "#,##0.00"
    pay = rows["Annual pay at least the local average wage of the previous year"]
    assert (ws.cell(pay, 6).value, ws.cell(pay, 6).number_format) == (13235, "#,##0")
    compliant = rows["Compliant"]
    assert [ws.cell(compliant, c).value for c in (2, 3, 4)] == [5, 1, 0.2]
    cost = rows["Cost (yuan)"]
    assert (ws.cell(cost, 6).value, ws.cell(cost, 6).number_format) == (101000, "#,##0")


def test_by_region_sheet(report: Report, tmp_path: Path) -> None:
    ws = load_workbook(save(tmp_path, report, cost=2000))["按地区 By region"]
    header = [c.value for c in ws[1]]
    assert header[:6] == [
        "县(市、区)\nDistrict",
        "社区数\nCommunities",
        "全部达标\nCompliant",
        "达标率\nCompliance rate",
        "未达标\nFailing",
        "无法判断\nUnknown",
    ]
    gap = header.index("用房 缺口（平方米）\nPremises shortfall (m²)") + 1
    cost = header.index("补足资金（元）\nCost (yuan)") + 1
    assert [ws.cell(r, 1).value for r in (2, 3, 4)] == ["婺城区", "金东区", "Total"]
    assert [ws.cell(r, gap).value for r in (2, 3, 4)] == [50, 0.5, 50.5]
    assert [ws.cell(r, cost).value for r in (2, 3, 4)] == [100000, 1000, 101000]
    assert ws.cell(2, gap).number_format == "#,##0.00"
    assert ws.cell(2, cost).number_format == "#,##0"
    assert ws.cell(2, 4).number_format == "0.0%"
    assert ws.freeze_panes == "B2"  # the district names stay in view
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}3"
    assert ws.cell(4, 1).font.b  # the total row stands apart


def test_findings_sheet_and_fills(report: Report, tmp_path: Path) -> None:
    ws = load_workbook(save(tmp_path, report, lang="zh"))["明细 Findings"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["行\nRow", "社区代码\nCommunity code", "社区名称\nCommunity name"]
    outcome = header.index("用房 结果\nPremises outcome") + 1
    short = header.index("用房 缺口（平方米）\nPremises shortfall (m²)") + 1
    assert ws.max_row == 6
    assert [ws.cell(r, outcome).value for r in range(2, 7)] == [
        "未达标",
        "无法判断",
        "达标",
        "未达标",
        "达标",
    ]
    assert [ws.cell(r, short).value for r in range(2, 7)] == [50, None, 0, 0.5, 0]
    assert ws.cell(2, short).number_format == "#,##0.00"
    assert ws.freeze_panes is not None and ws.auto_filter.ref
    letter = ws.cell(1, outcome).column_letter
    rules = [
        (rule.formula[0], rule.dxf.fill.fgColor.rgb)
        for cf in ws.conditional_formatting
        if str(cf.sqref) == f"{letter}2:{letter}6"
        for rule in cf.rules
    ]
    assert ('"达标"', "00C6EFCE") in rules
    assert ('"未达标"', "00FFC7CE") in rules
    assert ('"无法判断"', "00FFEB9C") in rules


def test_problems_sheet_lists_every_unknown_with_its_cell(report: Report, tmp_path: Path) -> None:
    ws = load_workbook(save(tmp_path, report))["数据问题 Data problems"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    cells = {(r[1], r[3], r[5]) for r in rows}
    assert ("Sheet1!E3", "Premises", "unknown") in cells  # 乙: empty area
    assert ("Sheet1!I6", "Pension", "unknown") in cells  # 戊: unreadable count
    assert ("Sheet1!I6", None, "data problem") in cells
    problem = next(r for r in rows if r[5] == "data problem")
    assert problem[2] == "戊社区" and problem[7] == "待核实"


def test_formula_injection_is_stored_as_text(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        for i, name in enumerate(INJECTIONS):
            w.writerow(community(name, district=f"=cmd|'/C calc'!A{i}", area=300))
    report = api.check_files([source])
    path = save(tmp_path, report)
    wb = load_workbook(path)
    findings = wb["明细 Findings"]
    for r, name in enumerate(INJECTIONS, 2):
        cell = findings.cell(r, 3)
        assert (cell.value, cell.data_type) == (name, "s")
        assert cell.quotePrefix
    districts = wb["按地区 By region"]
    for r in range(2, 2 + len(INJECTIONS)):
        assert districts.cell(r, 1).data_type == "s"
        assert districts.cell(r, 1).value.startswith("=cmd")
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in z.read(n).decode() for n in sheets)


@given(st.text(min_size=1, max_size=40))
def test_put_never_writes_a_formula(text: str) -> None:
    ws = Workbook().active
    cell = put(ws, 1, 1, text)
    assert cell.data_type == "s"
    assert bool(cell.quotePrefix) == text.startswith(FORMULA_TRIGGERS)


def test_check_report_is_the_same_workbook(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "check.xlsx"
    with path.open("wb") as fh:
        render(report, RenderOptions(lang="en"), fh)
    wb = load_workbook(path)
    assert wb.sheetnames == SHEETS
    assert len(wb["汇总 Summary"]._charts) == 2


def test_multi_file_findings_name_the_file(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    a = make_xlsx([community("甲社区")], name="a.xlsx")
    b = make_xlsx([community("乙社区", district="金东区")], name="b.xlsx")
    ws = load_workbook(save(tmp_path, api.check_files([a, b])))["明细 Findings"]
    assert ws.cell(1, 1).value == "文件\nFile"
    assert [ws.cell(r, 1).value for r in (2, 3)] == ["a.xlsx", "b.xlsx"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_it_and_draws_the_charts(report: Report, tmp_path: Path) -> None:
    path = save(tmp_path, report, cost=2000)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.stat().st_size > 0
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed: cannot look inside the PDF")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    # Chart titles are drawn with the charts.
    assert "Compliance rate by district" in text
    assert "Premises shortfall by district" in text


def test_summary_sheet_says_what_to_do(report: Report, tmp_path: Path) -> None:
    ws = load_workbook(save(tmp_path, report, lang="zh"))["汇总 Summary"]
    rows = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert "整改建议" in rows
    premises = report.ruleset.rule("premises")
    assert rows[premises.short_zh] == premises.remediation_zh
    # Only standards that some community falls short of: medical insurance passes everywhere.
    assert report.ruleset.rule("medical").short_zh not in {
        ws.cell(r, 1).value for r in range(list(rows).index("整改建议"), ws.max_row + 1)
    }


@given(
    st.lists(
        st.tuples(st.text(max_size=30), st.floats(allow_nan=False, allow_infinity=False)),
        min_size=1,
        max_size=8,
    )
)
def test_streamed_rows_read_back_as_written(rows: list[tuple[str, float]]) -> None:
    import io

    from compliance.render.safety import is_formula_like, printable
    from compliance.render.xlsx.splice import save as save_streamed
    from compliance.render.xlsx.stream import encode

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws["A1"] = "text"
    ws["B1"] = "number"
    streamed = encode(ws, [list(r) for r in rows], [None, "#,##0.00"])
    out = io.BytesIO()
    save_streamed(wb, [streamed], out)
    back = load_workbook(out)["Data"]
    assert back.max_row == len(rows) + 1
    for r, (text, number) in enumerate(rows, 2):
        cell = back.cell(r, 1)
        assert cell.value == (printable(text) or None)
        if text:
            assert cell.data_type == "s"
            assert bool(cell.quotePrefix) == is_formula_like(printable(text))
        assert back.cell(r, 2).value == number
        assert back.cell(r, 2).number_format == "#,##0.00"


def test_chunks_of_rows_make_the_same_sheets(
    make_xlsx: WorkbookFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from compliance.render.xlsx import stream

    first = make_xlsx(five_communities(), name="a.xlsx")
    second = make_xlsx([community("乙社区", workers="五"), community("丙社区")], name="b.xlsx")
    report = api.check_files([first, second])

    def sheets(path: Path) -> dict[str, bytes]:
        api.render_report(report, "xlsx", path)
        with zipfile.ZipFile(path) as zf:
            sheets = [i for i in zf.infolist() if i.filename.startswith("xl/worksheets/")]
            # The long sheets are compressed like every other part, not stored.
            assert {i.compress_type for i in sheets} == {zipfile.ZIP_DEFLATED}
            return {i.filename: zf.read(i) for i in sheets}

    whole = sheets(tmp_path / "whole.xlsx")
    monkeypatch.setattr(stream, "CHUNK", 2)
    chunked = sheets(tmp_path / "chunked.xlsx")
    assert chunked == whole
    findings = load_workbook(tmp_path / "chunked.xlsx").worksheets[2]
    assert findings.max_row == 1 + sum(len(c.table) for c in report.checks) == 1 + 5
