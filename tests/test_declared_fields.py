"""Fields declared in a rule file work where a built-in field does (issue 20, item 5):
header detection, yes/no cells, rules, checks, lookups, templates, annotate, every report,
check_frame, and the shipped illustrative village rule set with its sample sheet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from compliance import api
from compliance.cli import app

REPO = Path(__file__).resolve().parent.parent
VILLAGES = REPO / "samples" / "shengzhou-villages-illustrative.xlsx"
VILLAGE_RULES = "illustrative-shengzhou-village-centre"

LIBRARY_RULES = """\
format = 1
[ruleset]
id = "library-check"
version = "1"
title_zh = "文化设施检查（测试）"
title_en = "Cultural facilities (test)"
illustrative = true

[fields.library_room]
zh = "农家书屋"
en = "Village library"
headers = ["农家书屋", "书屋"]
kind = "yes_no"

[fields.fitness_yard]
zh = "健身场地"
en = "Fitness yard"
headers = ["健身场地", "健身点"]
kind = "yes_no"

[fields.book_count]
zh = "藏书册数"
en = "Books held"
headers = ["藏书", "藏书册数"]
kind = "count"

[fields.book_grant]
zh = "购书补助标准"
en = "Book grant rate"
kind = "money"

[lookups.book_grant]
field = "book_grant"
key = ["district"]
illustrative = true
[lookups.book_grant.values]
"新昌县" = 800

[[rules]]
id = "library"
title_zh = "设有农家书屋"
title_en = "A village library"
citation = "测试用"
unit = "facilities"
measure = "library_room"
require = "1"

[[rules]]
id = "fitness"
title_zh = "设有健身场地"
title_en = "A fitness yard"
citation = "测试用"
unit = "facilities"
measure = "fitness_yard"
require = "1"

[[rules]]
id = "books"
title_zh = "藏书不少于购书补助标准"
title_en = "Books at least the grant rate"
citation = "测试用"
unit = "books"
measure = "book_count"
require = "book_grant"
applies_if = "library_room == 1"

[[checks]]
id = "books_need_a_library"
title_zh = "无书屋则无藏书"
title_en = "Books only with a library"
expression = "library_room == 1 or book_count == 0"
message_zh = "没有农家书屋却填了藏书 {book_count} 册"
message_en = "{book_count} books but no village library"
severity = "blocking"
"""

HEADERS = ["单位名称", "所属乡镇(街道)", "所属区县", "书屋", "健身点", "藏书"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    path = tmp_path / "library.toml"
    path.write_text(LIBRARY_RULES, encoding="utf-8")
    return path


def sheet(tmp_path: Path, rows: list[list[Any]], headers: list[str] = HEADERS) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "村情况"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    path = tmp_path / "villages.xlsx"
    wb.save(path)
    return path


def outcomes(result: api.CheckResult) -> list[dict[str, str]]:
    table = result.table.outcomes.select("_rec", "rule", "outcome")
    out: list[dict[str, str]] = [{} for _ in range(len(result.table))]
    for rec, rule, outcome in table.iter_rows():
        out[rec][rule] = outcome
    return out


@pytest.mark.parametrize(
    ("yes", "no"),
    [("是", "否"), ("有", "无"), ("√", "×"), ("yes", "no"), ("1", "0"), (1, 0), ("YES", "No")],
)
def test_a_yes_no_field_reads_the_ways_offices_write_yes_and_no(
    tmp_path: Path, rules: Path, yes: Any, no: Any
) -> None:
    path = sheet(tmp_path, [["东岙村", "澄潭镇", "新昌县", yes, no, 900]])
    result = api.check(path, ruleset=rules)
    assert outcomes(result) == [{"library": "pass", "fitness": "fail", "books": "pass"}]
    assert result.problems == ()
    assert result.source.columns["library_room"] == ("D", "书屋")


@pytest.mark.parametrize("bad", ["部分", "在建", "2", 2, "有/无", "?"])
def test_anything_else_in_a_yes_no_cell_is_unreadable_never_a_pass(
    tmp_path: Path, rules: Path, bad: Any
) -> None:
    path = sheet(tmp_path, [["西坑村", "澄潭镇", "新昌县", "有", bad, 900]])
    result = api.check(path, ruleset=rules)
    assert outcomes(result)[0]["fitness"] == "unknown"
    (problem,) = result.problems
    assert (problem.code, problem.cell, problem.field) == (
        "not_a_flag",
        "村情况!E2",
        "fitness_yard",
    )
    unknown = result.table.materialised.filter(pl.col("rule") == "fitness")
    assert unknown["missing"].to_list() == [["fitness_yard"]]


def test_an_empty_yes_no_cell_is_unknown_and_says_which_field(tmp_path: Path, rules: Path) -> None:
    path = sheet(tmp_path, [["南山村", "澄潭镇", "新昌县", "有", None, 900]])
    code, out = run("check", str(path), "--rules", str(rules), "--lang", "en", "--details")
    assert code == 0
    assert "南山村 · A fitness yard · 村情况!E2: no data: Fitness yard 村情况!E2" in out
    _, out = run("check", str(path), "--rules", str(rules), "--lang", "zh", "--details")
    assert "缺少数据：健身场地 村情况!E2" in out


def test_checks_and_lookups_read_declared_fields(tmp_path: Path, rules: Path) -> None:
    path = sheet(
        tmp_path,
        [
            ["东岙村", "澄潭镇", "新昌县", "有", "有", 650],  # 650 books, the grant says 800
            ["西坑村", "澄潭镇", "新昌县", "无", "有", 300],  # books but no library: blocking
            ["北岭村", "城关镇", "天台县", "有", "有", 900],  # no grant figure for 天台县
        ],
    )
    result = api.check(path, ruleset=rules)
    assert outcomes(result) == [
        {"library": "pass", "fitness": "pass", "books": "fail"},
        # The check reads library_room and book_count: it blocks the rules that read them.
        {"library": "unknown", "fitness": "pass", "books": "unknown"},
        {"library": "pass", "fitness": "pass", "books": "unknown"},
    ]
    books = result.table.findings(pl.col("rule") == "books").sort("_rec")
    assert (books["shortfall"][0], books["required"][0]) == (150, 800)
    assert books["notes"][0].to_list() == ["book_grant=lookup:book_grant[新昌县]"]
    assert books["reason"][1] == "review:books_need_a_library"
    assert books["notes"][2].to_list() == ["book_grant=unsourced:book_grant[天台县]"]
    (problem,) = result.problems
    assert (problem.check, problem.cells) == ("books_need_a_library", ("村情况!D3", "村情况!F3"))
    assert problem.message_en.endswith("300 books but no village library (村情况!D3, 村情况!F3)")


def test_every_report_names_declared_fields_in_words(tmp_path: Path, rules: Path) -> None:
    path = sheet(tmp_path, [["东岙村", "澄潭镇", "新昌县", "有", None, 900]])
    for fmt in ("json", "jsonl", "csv", "markdown", "html", "junit", "table"):
        code, out = run("check", str(path), "--rules", str(rules), "-f", fmt, "--lang", "zh")
        assert code == 0, (fmt, out[-500:])
        assert "健身场地" in out, fmt
    for fmt in ("xlsx", "parquet"):
        out_path = tmp_path / f"r.{fmt}"
        code, _ = run(
            "check",
            str(path),
            "--rules",
            str(rules),
            "-f",
            fmt,
            "-o",
            str(out_path),
            "--lang",
            "zh",
        )
        assert code == 0 and out_path.stat().st_size > 0
    texts = [
        str(c.value)
        for ws in load_workbook(tmp_path / "r.xlsx")
        for row in ws.iter_rows()
        for c in row
    ]
    assert any("健身场地" in t for t in texts)


def test_the_template_has_the_declared_columns_and_reads_back(tmp_path: Path, rules: Path) -> None:
    from compliance.template import write_template

    path = write_template(tmp_path / "blank.xlsx", rules, lang="zh", rows=5)
    ws = load_workbook(path).worksheets[0]
    headers = [c.value for c in ws[1]]
    assert {"农家书屋", "健身场地", "藏书册数"} <= set(headers)
    col = {h: i for i, h in enumerate(headers, start=1)}
    row = {
        "社区名称": "东岙村",
        "所属区县": "新昌县",
        "农家书屋": "是",
        "健身场地": "否",
        "藏书册数": 820,
    }
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for header, value in row.items():
        ws.cell(row=2, column=col[header]).value = value
    wb.save(path)
    result = api.check(path, ruleset=rules)
    assert outcomes(result) == [{"library": "pass", "fitness": "fail", "books": "pass"}]
    assert result.problems == ()


def test_annotate_marks_a_declared_fields_cell(tmp_path: Path, rules: Path) -> None:
    path = sheet(tmp_path, [["东岙村", "澄潭镇", "新昌县", "有", "无", 900]])
    out = tmp_path / "marked.xlsx"
    code, _ = run("annotate", str(path), "--rules", str(rules), "-o", str(out), "--lang", "en")
    assert code in (0, 1)
    ws = load_workbook(out)["村情况"]
    comment = ws["E2"].comment
    assert comment is not None and "A fitness yard" in comment.text


def test_check_frame_and_column_options_take_declared_fields(tmp_path: Path, rules: Path) -> None:
    frame = pl.DataFrame(
        {
            "单位名称": ["东岙村"],
            "所属区县": ["新昌县"],
            "农家书屋": ["有"],
            "健身点": ["×"],
            "book_count": [820],
        }
    )
    result = api.check_frame(frame, ruleset=rules)
    assert outcomes(result) == [{"library": "pass", "fitness": "fail", "books": "pass"}]
    # --column names a declared field like a built-in one.
    path = sheet(
        tmp_path,
        [["东岙村", "澄潭镇", "新昌县", "有", "有", 820]],
        [*HEADERS[:4], "运动场", "藏书"],
    )
    code, out = run(
        "check", str(path), "--rules", str(rules), "--column", "运动场=fitness_yard", "-f", "json"
    )
    assert code == 0, out[-400:]
    code, out = run("check", str(path), "--rules", str(rules), "--column", "运动场=fitness_yrd")
    assert code == 2 and "did you mean fitness_yard" in out


# --- the shipped illustrative village rule set and its sample sheet -----------------


def test_the_village_sample_is_generated_by_its_script(tmp_path: Path) -> None:
    import runpy

    module = runpy.run_path(str(REPO / "samples" / "make_village_sample.py"))
    out = tmp_path / "villages.xlsx"
    module["build"](out)
    assert out.read_bytes() == VILLAGES.read_bytes(), "run: python samples/make_village_sample.py"


def test_the_village_rule_set_is_eleven_yes_no_items_and_says_it_is_illustrative() -> None:
    rs = api.load_ruleset(VILLAGE_RULES)
    assert rs.illustrative
    assert len(rs.declared) == len(rs.rules) == 11
    assert {f.type for f in rs.declared} == {"flag"}
    assert [r.measure.source for r in rs.rules] == [f.id for f in rs.declared]
    zh = [f.zh for f in rs.declared]
    assert zh[0] == "百姓议事厅" and zh[-3:] == ["农民培训中心", "文化活动中心", "体育活动中心"]
    assert all("一厅、七室、三中心" in r.citation for r in rs.rules)


def test_the_village_sample_checks_against_it(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    code, _ = run("check", str(VILLAGES), "--rules", VILLAGE_RULES, "-f", "json", "-o", str(out))
    assert code == 1  # some centres lack rooms
    doc = json.loads(out.read_text("utf-8"))
    assert doc["ruleset"]["illustrative"] is True
    assert len(doc["records"]) == 12
    cells = {(p["cell"], p["code"]) for p in doc["problems"]}
    assert cells == {("村级服务中心!N10", "not_a_flag"), ("村级服务中心!F14", "not_a_flag")}
    unknown = {
        (r["name"], f["rule"])
        for r in doc["records"]
        for f in r["findings"]
        if f["outcome"] == "unknown"
    }
    assert unknown == {
        ("崇仁一村", "culture_centre"),
        ("小昆村", "health_room"),
        ("三界村", "mediation_room"),
    }
    _, table = run("check", str(VILLAGES), "--rules", VILLAGE_RULES, "--lang", "zh")
    assert "示意性规则集，非官方标准" in table


def test_rules_explain_takes_a_declared_yes_no_field(rules: Path) -> None:
    code, out = run("rules", "explain", "library", "--rules", str(rules), "--library_room", "无")
    assert code == 0, out
    assert "Result: 0 >= 1 ✗ fail, short 1" in out or "结果：0 >= 1 ✗" in out
    code, out = run("rules", "explain", "library", "--rules", str(rules), "--library_room", "部分")
    assert code == 2 and "'部分' is not yes/no" in out
