"""The 说明 column of the annotated workbook (issue 19, item 3): added beside the result
column, read back as the field ``explanation`` when the returned copy is checked again,
kept when the copy is marked again; swings explained in ``compliance progress``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from typer.testing import CliRunner

from compliance.annotate_columns import ASK_FILL_COLOUR
from compliance.cli import app
from tests.conftest import HEADERS, WorkbookFactory, community

runner = CliRunner()
RESULT = len(HEADERS) + 1
EXPLAIN = len(HEADERS) + 2


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def check_json(path: Path) -> dict[str, Any]:
    _, out, err = run("check", str(path), "-f", "json", "--as-of", "2008-12-31")
    assert out, err
    doc: dict[str, Any] = json.loads(out)
    return doc


def test_the_loop_annotate_explain_check_again(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    # 甲: 7 pension-insured for 6 workers (advisory); 乙 is clean.
    source = make_xlsx(
        [community("甲社区", insured=(7, 6, 6, 6, 6, 6)), community("乙社区")], name="婺城区.xlsx"
    )
    first = check_json(source)
    assert first["inputs"][0]["verdict"]["status"] == "accepted_with_notes"

    marked = tmp_path / "婺城区-核查.xlsx"
    code, _, err = run("annotate", str(source), "-o", str(marked), "--lang", "zh")
    assert code == 0, err
    ws = load_workbook(marked)["Sheet1"]
    assert ws.cell(1, RESULT).value == "核查结果"
    head = ws.cell(1, EXPLAIN)
    assert head.value == "说明"
    assert head.comment is not None and "提示性审核" in head.comment.text
    # The row with an item to explain is asked for one; the clean row is not.
    assert ws.cell(2, EXPLAIN).fill.fgColor.rgb.endswith(ASK_FILL_COLOUR)
    assert not ws.cell(3, EXPLAIN).fill.fgColor.rgb.endswith(ASK_FILL_COLOUR)

    # The district writes its explanation in the copy and sends it back.
    wb = load_workbook(marked)
    wb["Sheet1"].cell(2, EXPLAIN).value = "1名工作者年中退休，仍按年缴纳"
    returned = tmp_path / "婺城区（修改）.xlsx"
    wb.save(returned)

    again = check_json(returned)
    (item,) = again["checks"]
    assert item["explained"] is True
    assert item["explanation"] == "1名工作者年中退休,仍按年缴纳"  # read NFKC-normalised
    verdict = again["inputs"][0]["verdict"]
    assert (verdict["status"], verdict["advisory"], verdict["explained"]) == ("accepted", 0, 1)
    # The result column is an unknown header to the reader, nothing more.
    assert "核查结果" in again["inputs"][0]["unmatched_headers"]

    # Marked again: the same two columns, the explanation kept, no longer asked for.
    remarked = tmp_path / "再次核查.xlsx"
    code, _, err = run("annotate", str(returned), "-o", str(remarked), "--lang", "zh")
    assert code == 0, err
    ws = load_workbook(remarked)["Sheet1"]
    assert ws.max_column == EXPLAIN
    assert ws.cell(2, EXPLAIN).value == "1名工作者年中退休，仍按年缴纳"
    assert not ws.cell(2, EXPLAIN).fill.fgColor.rgb.endswith(ASK_FILL_COLOUR)


def test_the_english_header_is_read_back_too(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    source = make_xlsx([community("甲社区", insured=(7, 6, 6, 6, 6, 6))])
    marked = tmp_path / "marked.xlsx"
    assert run("annotate", str(source), "-o", str(marked), "--lang", "en")[0] == 0
    wb = load_workbook(marked)
    ws = wb["Sheet1"]
    assert ws.cell(1, RESULT).value == "Check result"
    assert ws.cell(1, EXPLAIN).value == "Explanation (说明)"
    ws.cell(2, EXPLAIN).value = "one worker retired mid-year"
    wb.save(marked)
    assert check_json(marked)["checks"][0]["explanation"] == "one worker retired mid-year"


def test_a_swing_is_explained_by_the_current_return(make_xlsx: WorkbookFactory) -> None:
    baseline = make_xlsx([community("甲社区", area=900)], name="2007.xlsx")
    current = make_xlsx(
        [[*community("甲社区", area=360), "2008年旧用房拆迁，临时过渡"]],
        headers=[*HEADERS, "说明"],
        name="2008.xlsx",
    )
    result = runner.invoke(
        app, ["progress", str(baseline), str(current), "-f", "json"], env={"COLUMNS": "200"}
    )
    (swing,) = json.loads(result.stdout)["swings"]
    assert swing["explained"] is True
    assert swing["explanation"] == "2008年旧用房拆迁,临时过渡"
    result = runner.invoke(
        app, ["progress", str(baseline), str(current), "--lang", "zh"], env={"COLUMNS": "200"}
    )
    assert "；已说明：2008年旧用房拆迁,临时过渡" in result.stdout
