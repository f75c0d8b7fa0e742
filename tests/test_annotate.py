"""The annotated workbook: the user's own sheet, unchanged but for fills, comments,
a result column and a scorecard sheet in front; the input itself never touched."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from compliance import api
from compliance.annotate import annotate
from compliance.cli import app
from compliance.render.xlsx import cells
from tests.conftest import HEADERS, SAMPLE, WorkbookFactory, community
from tests.datasets import five_communities
from tests.findings import communities

runner = CliRunner()
DATA = Path(__file__).parent / "data"
FAIL = cells.FAIL_FILL.fgColor.rgb
UNKNOWN = cells.UNKNOWN_FILL.fgColor.rgb


def digest(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def annotated(path: Path, tmp_path: Path, lang: str = "zh") -> Path:
    out = tmp_path / "marked.xlsx"
    annotate(api.check_files([path]), out, lang=lang)
    return out


def test_sample_marked_and_values_unchanged(tmp_path: Path) -> None:
    """Done means: a failing community's premises cell has a fill and a comment, and every
    original value (formulas included), merge and column width is as it was."""
    source = tmp_path / "jinhua-2007.xlsx"
    shutil.copy2(SAMPLE, source)
    before = digest(source)
    out = annotated(source, tmp_path)
    assert digest(source) == before  # the input is never modified
    original = load_workbook(source)
    marked = load_workbook(out)
    assert marked.sheetnames == ["核查结果", *original.sheetnames]
    ws, orig = marked["社区情况"], original["社区情况"]
    # 人民社区 (row 4) has 210 m² of premises (column I): 140 short of 350.
    assert orig["C4"].value == "人民社区"
    cell = ws["I4"]
    assert cell.fill.fgColor.rgb == FAIL
    assert cell.comment is not None and cell.comment.text == "用房：短 140 m²（需 ≥ 350）"
    for name in original.sheetnames:
        a, b = original[name], marked[name]
        for row in a.iter_rows():
            for c in row:
                assert b.cell(row=c.row, column=c.column).value == c.value, c.coordinate
        assert {str(r) for r in a.merged_cells.ranges} == {str(r) for r in b.merged_cells.ranges}
        for letter, dim in a.column_dimensions.items():
            assert b.column_dimensions[letter].width == dim.width
    # One result per community row, and the subtotal row marked as such.
    result = orig.max_column + 1
    assert ws.cell(3, result).value == "核查结果"
    assert ws.cell(4, result).value == "未达标：用房、失业"
    assert orig["A204"].value == "合计"
    assert ws.cell(204, result).value == "合计/小计行，不计为社区"
    # A passing community's cells are left alone.
    passing = next(c for c in communities(api.check_files([source])) if c.worst.value == "pass")
    row = passing.row
    assert ws.cell(row, result).value == "全部达标"
    assert ws.cell(row, 9).comment is None and ws.cell(row, 9).fill.fgColor.rgb != FAIL


def test_comments_in_both_languages(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    path = make_xlsx(five_communities())
    zh = load_workbook(annotated(path, tmp_path, "zh"))["Sheet1"]
    # 丁社区 is row 5: 2150 households need 6 workers (column F), it has 5.
    assert zh["F5"].comment.text == "人员：少 1 人（2150 户需 6 人，向上取整）"
    assert zh["F5"].fill.fgColor.rgb == FAIL
    assert zh["I5"].comment.text == "养老：少 2 人（需 ≥ 5）"
    en = load_workbook(annotated(path, tmp_path, "en"))["Sheet1"]
    assert en["F5"].comment.text == "Staff: 1 worker short (2150 households need 6, rounded up)"
    assert en["E2"].comment.text == "Premises: short 50 m² (needs ≥ 350)"
    assert en.cell(5, len(HEADERS) + 1).value.startswith("falls short: Premises, Staff, Pay")


def test_unknown_cells_carry_their_reason(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    ws = load_workbook(annotated(make_xlsx(five_communities()), tmp_path))["Sheet1"]
    # 乙社区: premises empty; 戊社区: pension count "待核实".
    assert ws["E3"].fill.fgColor.rgb == UNKNOWN
    assert "缺少数据" in ws["E3"].comment.text and "Sheet1!E3" in ws["E3"].comment.text
    assert ws["I6"].fill.fgColor.rgb == UNKNOWN
    assert "“待核实”不是数字" in ws["I6"].comment.text
    assert ws.cell(3, len(HEADERS) + 1).value == "无法判断：用房"


def test_scorecard_sheet_first(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    wb = load_workbook(annotated(make_xlsx(five_communities()), tmp_path, "en"))
    ws = wb.worksheets[0]
    assert ws.title == "Check results"
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0]}
    premises = rows["Work-and-service premises of at least 350 m²"]
    assert premises[1:8] == (2, 2, 1, 0, 0, 0, 50.5)  # the unit is in its number format
    assert premises[8] and premises[8].startswith("Close the gap")
    sha = hashlib.sha256((tmp_path / "t.xlsx").read_bytes()).hexdigest()
    assert rows["Input SHA-256"][1] == sha


def test_own_formulas_stay_and_nothing_injected(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(HEADERS)
    ws.append(community('=HYPERLINK("http://x","y")', area=300))
    ws["A2"].data_type = "s"  # a name that looks like a formula, stored as text
    ws.append(community("乙社区"))
    ws.append(["合计", None, None, "=SUM(D2:D3)", "=SUM(E2:E3)"])
    path = tmp_path / "formulas.xlsx"
    wb.save(path)
    out = load_workbook(annotated(path, tmp_path))["Sheet1"]
    assert out["D4"].value == "=SUM(D2:D3)"  # the user's formula, as it was
    assert out["A2"].value == '=HYPERLINK("http://x","y")' and out["A2"].data_type == "s"
    assert out.cell(4, len(HEADERS) + 1).value == "合计/小计行，不计为社区"
    # Everything we wrote is text, never a formula.
    assert out.cell(2, len(HEADERS) + 1).data_type == "s"


def test_csv_becomes_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "returns.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        w.writerow(community("=1+2", area=300))
        w.writerow(community("丙社区"))
    before = digest(path)
    out = load_workbook(annotated(path, tmp_path))
    assert digest(path) == before
    ws = out.worksheets[1]
    assert ws["A2"].value == "=1+2" and ws["A2"].data_type == "s" and ws["A2"].quotePrefix
    assert ws["E2"].value == 300
    assert ws["E2"].comment.text == "用房：短 50 m²（需 ≥ 350）"


@pytest.mark.parametrize("name", ["messy.xls", "messy.ods"])
def test_legacy_formats_become_xlsx_with_merges(name: str, tmp_path: Path) -> None:
    source = tmp_path / name
    shutil.copy2(DATA / name, source)
    before = digest(source)
    out = load_workbook(annotated(source, tmp_path))
    assert digest(source) == before
    ws = out["社区情况"]
    assert ws["K8"].fill.fgColor.rgb == FAIL and ws["K8"].comment.text.startswith("失业：少")
    if name == "messy.xls":  # calamine gives the merges of .xls (not of .ods)
        assert "A1:P1" in {str(r) for r in ws.merged_cells.ranges}


def test_cli(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    path = make_xlsx(five_communities())
    out = tmp_path / "out.xlsx"
    result = runner.invoke(app, ["annotate", str(path), "-o", str(out), "--lang", "en"])
    assert result.exit_code == 1, result.stderr
    # 甲: premises; 丁: premises, staff, pay, pension. 乙 and 戊: one unknown each.
    assert result.stderr == f"{out}: 5 failing and 2 unknown cells marked (exit 1)\n"
    assert load_workbook(out).worksheets[0].title == "Check results"
    # Never over the input, and only as .xlsx.
    before = digest(path)
    result = runner.invoke(app, ["annotate", str(path), "-o", str(path)])
    assert result.exit_code == 2 and digest(path) == before
    result = runner.invoke(app, ["annotate", str(path), "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert ".xlsx" in result.stderr


def test_subdistrict_rule_marked_on_the_cell_it_reads(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([*HEADERS, "街道社区服务中心数"])
    for i, row in enumerate(five_communities()):
        ws.append([*row, 0 if i < 2 else 1])  # 城东街道 of 婺城区 has no centre
    path = tmp_path / "centres.xlsx"
    wb.save(path)
    out = tmp_path / "marked.xlsx"
    annotate(api.check_files([path], ruleset="zhejiang-2008"), out, lang="en")
    cell = load_workbook(out)["Sheet1"].cell(2, len(HEADERS) + 1)
    assert cell.comment.text == "Centre: 1 centre short (needs ≥ 1)"
    assert cell.fill.fgColor.rgb == FAIL
