"""Communities in more than one input (issue 19, item 5): reported once naming both
files, counted once, the choice of copy printed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from compliance.cli import app
from tests.conftest import HEADERS, SAMPLE, WorkbookFactory, community

runner = CliRunner()
CODED = ["社区代码", *HEADERS]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def report(*args: str) -> dict[str, Any]:
    _, out, err = run("check", *args, "--format", "json", "--as-of", "2008-12-31")
    assert out, err
    doc: dict[str, Any] = json.loads(out)
    return doc


def dups(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in doc["problems"] if "duplicate" in p["code"] and p["code"] != "duplicate"]


def test_a_resubmitted_return_is_counted_once(tmp_path: Path) -> None:
    """30 copies of the sample made 6,000 communities; a corrected copy beside the first
    now adds nothing, and the corrected file is the one counted."""
    first = tmp_path / "婺城区.xlsx"
    fixed = tmp_path / "婺城区（修改）.xlsx"
    shutil.copy2(SAMPLE, first)
    shutil.copy2(SAMPLE, fixed)
    doc = report(str(fixed), str(first))  # the revision named first: its name still wins
    assert doc["summary"]["records"] == 200
    assert [i["records"] for i in doc["inputs"]] == [200, 0]
    assert doc["summary"]["by_rule"]["premises"]["not_yet_due"] == 68  # as for one copy
    assert doc["duplicates"] == [
        {"dropped": str(first), "kept": str(fixed), "reason": "revision", "communities": 200}
    ]
    found = dups(doc)
    assert len(found) == 200
    assert {p["code"] for p in found} == {"duplicate_across_inputs"}
    one = found[0]
    assert one["source"] == str(first)
    assert one["cell"] == "社区情况!B4" and one["field"] == "id"
    assert one["message_en"] == (
        "人民社区 is in 婺城区.xlsx (社区情况!B4) and in 婺城区（修改）.xlsx (社区情况!B4) "
        "(same community code); counted from 婺城区（修改）.xlsx (its name marks a revision)"
    )
    assert one["message_zh"] == (
        "人民社区 在 婺城区.xlsx（社区情况!B4）和 婺城区（修改）.xlsx（社区情况!B4）中重复"
        "（按社区代码）；按 婺城区（修改）.xlsx 计入（文件名标明修改）"
    )
    # Each return keeps its own verdict, taken on the file as sent.
    assert [i["verdict"]["status"] for i in doc["inputs"]] == ["returned", "returned"]


def test_the_summary_never_counts_a_community_twice(tmp_path: Path) -> None:
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy2(SAMPLE, tmp_path / name)
    _, out, _ = run("summary", str(tmp_path), "-f", "json")
    doc = json.loads(out)
    assert doc["total"]["communities"] == 200


def test_without_a_revision_the_later_input_counts(
    make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    a = make_xlsx([["001", *community("甲社区", area=300)]], headers=CODED, name="a.xlsx")
    b = make_xlsx([["001", *community("甲社区", area=400)]], headers=CODED, name="b.xlsx")
    doc = report(str(a), str(b))
    assert doc["duplicates"][0]["kept"] == str(b)
    assert doc["duplicates"][0]["reason"] == "later"
    (rec,) = doc["records"]
    assert rec["source"] == str(b)
    doc = report(str(b), str(a))
    assert doc["records"][0]["source"] == str(a)


def test_by_name_and_district_where_a_code_is_missing(make_xlsx: WorkbookFactory) -> None:
    a = make_xlsx([community("甲社区"), community("乙社区")], name="a.xlsx")
    b = make_xlsx([community("甲社区"), community("乙社区", district="金东区")], name="b.xlsx")
    doc = report(str(a), str(b))
    (dup,) = dups(doc)
    assert dup["source"] == str(a) and dup["cell"] == "Sheet1!A2" and dup["field"] == "name"
    assert "(same name and district)" in dup["message_en"]
    assert doc["summary"]["records"] == 3  # 乙 of 婺城区 and 乙 of 金东区 are two communities


def test_two_different_codes_are_two_communities(make_xlsx: WorkbookFactory) -> None:
    a = make_xlsx([["001", *community("甲社区")]], headers=CODED, name="a.xlsx")
    b = make_xlsx([["002", *community("甲社区")]], headers=CODED, name="b.xlsx")
    doc = report(str(a), str(b))
    assert dups(doc) == [] and doc["summary"]["records"] == 2


def test_the_choice_is_printed(tmp_path: Path) -> None:
    first = tmp_path / "婺城区.xlsx"
    fixed = tmp_path / "婺城区-更正.xlsx"
    shutil.copy2(SAMPLE, first)
    shutil.copy2(SAMPLE, fixed)
    code, out, _ = run("check", str(first), str(fixed), "--lang", "zh", "--compact")
    assert code == 1
    section = out.split("多个文件中重复的社区\n", 1)[1].splitlines()
    assert section[0].startswith("  每个社区只按一个文件计入汇总：文件名标明修改（修改、更正")
    assert (
        "  婺城区.xlsx 与 婺城区-更正.xlsx 有 200 个相同社区，按 婺城区-更正.xlsx 计入（文件名标明修改）"
        in (section)
    )
    assert "共 200 个社区" in out
