"""The annotated workbook as it prints (issue 19, defect 7), through the command line:
the scorecard's total shortfall is a number with its unit in the number format (not
text overprinting the column before it), its remediation wraps, the data sheet prints
one page wide with its header on every page, and an .xls or .ods input keeps every
sheet, a hidden one hidden."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from compliance.cli import app
from tests.conftest import WorkbookFactory
from tests.datasets import five_communities

runner = CliRunner()
DATA = Path(__file__).parent / "data"


def annotate(path: Path, out: Path, lang: str) -> int:
    result = runner.invoke(app, ["annotate", str(path), "-o", str(out), "--lang", lang])
    return result.exit_code


@pytest.mark.parametrize(
    ("lang", "sheet", "formats"),
    [
        ("zh", "核查结果", ['#,##0.00" 平方米"', '#,##0" 人"', '#,##0" 元"', '#,##0" 人"']),
        (
            "en",
            "Check results",
            ['#,##0.00" m²"', '#,##0" workers"', '#,##0" yuan"', '#,##0" workers"'],
        ),
    ],
)
def test_scorecard_shortfall_is_a_number_and_remediation_wraps(
    make_xlsx: WorkbookFactory, tmp_path: Path, lang: str, sheet: str, formats: list[str]
) -> None:
    out = tmp_path / "marked.xlsx"
    assert annotate(make_xlsx(five_communities()), out, lang) == 1
    ws = load_workbook(out)[sheet]
    header = next(r for r in range(1, 40) if ws.cell(r, 8).value in ("缺口合计", "Total shortfall"))
    totals = [ws.cell(header + i, 8) for i in range(1, 5)]
    # 50.5 m² of premises, 1 worker, 13,235 yuan of pay, 2 uninsured workers.
    assert [c.value for c in totals] == [50.5, 1, 13235, 2]
    assert [c.number_format for c in totals] == formats
    assert ws.cell(header + 5, 8).value is None  # no shortfall: an empty cell, not "0 人"
    fix = ws.cell(header + 1, 9)
    assert fix.value and fix.alignment.wrap_text
    assert ws.row_dimensions[header + 1].height >= 30  # as high as its wrapped lines


def test_data_sheet_prints_one_page_wide(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    out = tmp_path / "marked.xlsx"
    path = make_xlsx(five_communities(), title="金华市社区情况表")
    assert annotate(path, out, "zh") == 1
    ws = load_workbook(out)["Sheet1"]
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$1:$2"  # the title and the header row on every page


@pytest.mark.parametrize("name", ["messy.xls", "messy.ods"])
def test_a_legacy_input_keeps_every_sheet_and_the_hidden_one_hidden(
    name: str, tmp_path: Path
) -> None:
    source = tmp_path / name
    shutil.copy2(DATA / name, source)
    out = tmp_path / "marked.xlsx"
    assert annotate(source, out, "zh") == 1
    wb = load_workbook(out)
    assert wb.sheetnames == ["核查结果", "说明", "社区情况", "旧数据"]
    assert [wb[n].sheet_state for n in wb.sheetnames] == ["visible", "visible", "visible", "hidden"]
    assert wb.active.title == "核查结果"
    assert wb["旧数据"].max_row > 1  # its figures are copied, not an empty sheet
