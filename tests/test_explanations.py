"""Explanations read back (issue 19, item 3): text in a return's 说明 column marks that
row's advisory items explained; it never turns a failing standard into a pass and never
lifts a blocking check."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from compliance.cli import app
from tests.conftest import HEADERS, WorkbookFactory, community

runner = CliRunner()
EXPLAINED = [*HEADERS, "说明"]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def report(*args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run("check", *args, "--format", "json", "--as-of", "2008-12-31")
    assert out, err
    return code, json.loads(out)


def test_an_explained_advisory_item_is_kept_and_marked(make_xlsx: WorkbookFactory) -> None:
    # 7 pension-insured for 6 full-time workers: one worker retired this year.
    rows = [
        [*community("甲社区", insured=(7, 6, 6, 6, 6, 6)), "1人年中退休，仍在册"],
        [*community("乙社区", insured=(7, 6, 6, 6, 6, 6)), None],
    ]
    code, data = report(str(make_xlsx(rows, headers=EXPLAINED)))
    assert code == 0
    first, second = data["checks"]
    # Text cells are read NFKC-normalised, as every text field is: "，" becomes ",".
    assert (first["row"], first["explained"], first["explanation"]) == (
        2,
        True,
        "1人年中退休,仍在册",
    )
    assert (second["row"], second["explained"], second["explanation"]) == (3, False, None)
    verdict = data["inputs"][0]["verdict"]
    assert (verdict["status"], verdict["advisory"], verdict["explained"]) == (
        "accepted_with_notes",
        1,
        1,
    )
    assert data["inputs"][0]["columns"]["explanation"] == {"column": "O", "header": "说明"}


def test_explained_items_stay_visible_in_the_table(make_xlsx: WorkbookFactory) -> None:
    rows = [[*community("甲社区", insured=(7, 6, 6, 6, 6, 6)), "1人年中退休"]]
    path = make_xlsx(rows, headers=EXPLAINED)
    code, out, _ = run("check", str(path), "--lang", "zh")
    assert code == 0
    assert (
        "  Sheet1!I2: 提示性审核“养老保险人数不超过专职人数”未通过：养老保险人数 7 多于专职人数 6，"
        "请说明（Sheet1!I2、Sheet1!F2）；已说明：1人年中退休" in out
    )
    assert "  t.xlsx：审核通过（1 项已说明）" in out
    code, out, _ = run("check", str(path), "--lang", "en")
    assert "; explained: 1人年中退休" in out
    assert "  t.xlsx: accepted (1 item explained)" in out


def test_an_explanation_never_turns_a_failing_standard_into_a_pass(
    make_xlsx: WorkbookFactory,
) -> None:
    rows = [[*community("甲社区", households=2150, workers=5, insured=(5,) * 6), "正在招聘"]]
    code, data = report(str(make_xlsx(rows, headers=EXPLAINED)))
    assert code == 1
    staffing = next(f for f in data["records"][0]["findings"] if f["rule"] == "staffing")
    assert staffing["outcome"] == "fail"
    assert data["inputs"][0]["verdict"]["status"] == "accepted"  # the data is clean


def test_an_explanation_does_not_lift_a_blocking_check(make_xlsx: WorkbookFactory) -> None:
    rows = [[*community("甲社区", households=0), "新建社区，尚未入住"]]
    code, data = report(str(make_xlsx(rows, headers=EXPLAINED)))
    assert code == 1
    (blocking,) = [c for c in data["checks"] if c["severity"] == "blocking"]
    assert blocking["explained"] is False
    assert data["inputs"][0]["verdict"]["status"] == "returned"


def test_other_headers_for_the_column(make_xlsx: WorkbookFactory) -> None:
    for header in ("情况说明", "Explanation", "说明\nExplanation"):
        rows = [[*community("甲社区", insured=(7, 6, 6, 6, 6, 6)), "已核实"]]
        _, data = report(str(make_xlsx(rows, headers=[*HEADERS, header])))
        assert data["checks"][0]["explanation"] == "已核实", header
