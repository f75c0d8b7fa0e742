"""Coverage against the expected list (issue 19, item 6): ``--expected FILE`` reports
the listed communities no input has and the communities no list has, per district."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from typer.testing import CliRunner

from compliance.cli import app
from tests.conftest import HEADERS, WorkbookFactory, community

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def returns(make_xlsx: WorkbookFactory) -> list[str]:
    a = make_xlsx(
        [community("甲社区"), community("乙社区"), community("戊社区")], name="婺城区.xlsx"
    )
    b = make_xlsx([community("丙社区", district="金东区")], name="金东区.xlsx")
    return [str(a), str(b)]


def expected_csv(tmp_path: Path) -> Path:
    path = tmp_path / "应报社区.csv"
    path.write_text(
        "所属区县,社区名称\n婺城区,甲社区\n婺城区,乙社区\n婺城区,丁社区\n"
        "金东区,丙社区\n金东区,己社区\n合计,5\n",
        encoding="gbk",
    )
    return path


def test_missing_and_unexpected_per_district_in_json(
    make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    listed = expected_csv(tmp_path)
    code, out, err = run("check", *returns(make_xlsx), "--expected", str(listed), "-f", "json")
    assert code == 0, err
    cov: dict[str, Any] = json.loads(out)["coverage"]
    assert cov["file"] == str(listed) and cov["expected"] == 5
    assert cov["missing"] == [
        {"name": "丁社区", "id": None, "district": "婺城区", "cell": "B4"},
        {"name": "己社区", "id": None, "district": "金东区", "cell": "B6"},
    ]
    assert [(u["name"], u["district"], u["row"]) for u in cov["unexpected"]] == [
        ("戊社区", "婺城区", 4)
    ]


def test_the_table_lists_them_per_district(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    listed = expected_csv(tmp_path)
    code, out, _ = run("check", *returns(make_xlsx), "--expected", str(listed), "--lang", "zh")
    assert code == 0
    section = out.split("应报社区核对\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert section == [
        "  名单 应报社区.csv：应报 5 个社区；缺报 2 个，名单外 1 个",
        "  缺报（名单中有、各文件中没有）",
        "    婺城区：丁社区",
        "    金东区：己社区",
        "  名单外（文件中有、名单中没有）",
        "    婺城区：戊社区",
    ]
    code, out, _ = run("check", *returns(make_xlsx), "--expected", str(listed), "--lang", "en")
    assert "  list 应报社区.csv: 5 expected; 2 missing, 1 unexpected" in out
    assert "    金东区: 己社区" in out


def test_codes_match_first(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    """A renamed community is matched by its code; a list without districts matches names."""
    path = make_xlsx(
        [["330702001", *community("新名社区")], ["330702002", *community("乙社区")]],
        headers=["社区代码", *HEADERS],
    )
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["2008年应报社区名单"])
    ws.append(["社区编码", "社区名称"])
    ws.append(["330702001", "旧名社区"])
    ws.append([None, "乙社区"])
    listed = tmp_path / "名单.xlsx"
    wb.save(listed)
    _, out, _ = run("check", str(path), "--expected", str(listed), "-f", "json")
    cov = json.loads(out)["coverage"]
    assert cov["missing"] == [] and cov["unexpected"] == []


def test_a_list_without_a_name_column_is_refused(
    make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    bad = tmp_path / "list.csv"
    bad.write_text("区县,数量\n婺城区,3\n", encoding="utf-8")
    code, _, err = run("check", *returns(make_xlsx), "--expected", str(bad))
    assert code == 2
    assert err.startswith(f"compliance: error: {bad}: no list of communities found")


def test_summary_shows_it_too(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    listed = str(expected_csv(tmp_path))
    code, out, err = run("summary", *returns(make_xlsx), "--expected", listed, "--lang", "zh")
    assert code == 0, err
    assert "  名单 应报社区.csv：应报 5 个社区；缺报 2 个，名单外 1 个" in out
    assert "  婺城区.xlsx：审核通过" in out  # and the verdict on each return
    _, out, _ = run("summary", *returns(make_xlsx), "--expected", listed, "-f", "json")
    doc = json.loads(out)
    assert [m["name"] for m in doc["coverage"]["missing"]] == ["丁社区", "己社区"]
    assert doc["inputs"][0]["verdict"]["status"] == "accepted"


def test_the_list_is_never_overwritten(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    listed = expected_csv(tmp_path)
    before = listed.read_bytes()
    code, _, _ = run("check", *returns(make_xlsx), "--expected", str(listed), "-o", str(listed))
    assert code == 2 and listed.read_bytes() == before
