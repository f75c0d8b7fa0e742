"""`compliance rules list|show|validate|explain` and bare `compliance rules`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from compliance.cli import app
from tests.conftest import REPO

CITY = """\
[ruleset]
id = "city-2008"
version = "2008.1"
title_zh = "某市标准"
title_en = "A city's standards"
extends = "zhejiang-2007"

[parameters.min_premises_m2]
value = 400

[[rules]]
id = "premises"
severity = "warning"
"""


def run(*args: str) -> tuple[int, str]:
    # A wide terminal, so that table cells are not wrapped.
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output


def test_bare_rules_still_shows_the_default_rule_set() -> None:
    code, out = run("rules", "--lang", "en")
    assert code == 0
    assert "Rule set zhejiang-2007 2007.1" in out
    assert "每个社区的专职社区工作者不少于5人" in out
    assert "subcommands: list, show ID, validate FILE, explain" in out


def test_list_shows_shipped_rule_sets() -> None:
    code, out = run("rules", "list", "--lang", "en")
    assert code == 0
    assert "zhejiang-2007" in out
    assert "shipped" in out


def test_show_says_where_each_value_came_from(tmp_path: Path) -> None:
    path = tmp_path / "city.toml"
    path.write_text(CITY, encoding="utf-8")
    code, out = run("rules", "show", str(path), "--lang", "en")
    assert code == 0
    assert "Extends: zhejiang-2007" in out
    assert "city-2008 (city.toml:9); was 350 in zhejiang-2007" in out
    assert "premises_area >= min_premises_m2  (= 400)" in out
    assert "[warning · m² · due 2010-04]" in out
    assert "Set in: zhejiang-2007; changed in city-2008: severity" in out


def test_show_json(tmp_path: Path) -> None:
    path = tmp_path / "city.toml"
    path.write_text(CITY, encoding="utf-8")
    code, out = run("rules", "show", str(path), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["parameters"]["min_premises_m2"]["origin"]["overrides"] == [
        {"ruleset": "zhejiang-2007", "value": 350}
    ]
    premises = doc["rules"][0]
    assert premises["severity"] == "warning"
    assert premises["origin"]["ruleset"] == "zhejiang-2007"
    assert premises["changed"]["severity"]["ruleset"] == "city-2008"
    assert doc["progress"] == {
        "rule": "premises",
        "parameter": "interim_gap_share",
        "share": 0.7,
        "due": "2008-12-31",
    }


def test_validate_ok(tmp_path: Path) -> None:
    path = tmp_path / "city.toml"
    path.write_text(CITY, encoding="utf-8")
    code, out = run("rules", "validate", str(path), "--lang", "en")
    assert code == 0
    assert out == f"{path}: valid, city-2008 2008.1 (extends zhejiang-2007), 9 rules\n"


def test_validate_lists_every_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        CITY.replace('severity = "warning"', 'severity = "fatal"\ncompare = "=>"')
        + '\n[[rules]]\nid = "extra"\ntitle_zh = "x"\n',
        encoding="utf-8",
    )
    code, out = run("rules", "validate", str(path), "--lang", "en")
    assert code == 2
    assert out.splitlines() == [
        f"{path}: 7 problems",
        f"{path}: rule 'premises', field severity (line 13): Input should be 'error' or 'warning'",
        f"{path}: rule 'premises', field compare (line 14): "
        "Input should be '>=', '>', '<=', '<' or '=='",
        *(
            f"{path}: rule 'extra', field {key} (line 16): Field required"
            for key in ("title_en", "citation", "unit", "measure", "require")
        ),
    ]


def test_validate_reports_expression_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        CITY + 'require = "min_premises_m3"\n',
        encoding="utf-8",
    )
    code, out = run("rules", "validate", str(path), "--lang", "en")
    assert code == 2
    assert (
        f"{path}: rule 'premises', require = 'min_premises_m3' (line 14): unknown name "
        "'min_premises_m3': not a record field, rule-set parameter or allowed function; "
        "did you mean 'min_premises_m2'?"
    ) in out


def test_explain_staffing_for_2150_households() -> None:
    code, out = run("rules", "explain", "staffing", "--households", "2150", "--lang", "en")
    assert code == 0
    assert "→ max(5, ceil(2150 / 400)) = 6 workers" in out
    assert "Staffing rounding = ceil" in out


def test_explain_with_the_measure_gives_the_outcome() -> None:
    code, out = run(
        "rules", "explain", "staffing", "households=2150", "full_time_workers=5", "--lang", "en"
    )
    assert code == 0
    assert "Result: 5 >= 6 ✗ fail, short 1 workers" in out


def test_explain_uses_reference_tables_and_annualises_monthly_pay() -> None:
    code, out = run(
        "rules", "explain", "pay", "--district", "婺城区", "--pay_monthly", "2000",
        "--full_time_workers", "6", "--lang", "en",
    )  # fmt: skip
    assert code == 0
    assert "from the reference table (婺城区, 2006)" in out
    assert "Result: 24,000 >= 26,647 ✗ fail, short 2,647 yuan/worker (15,882 yuan)" in out


def test_explain_before_the_deadline_is_not_yet_due() -> None:
    code, out = run(
        "rules", "explain", "premises", "--premises_area", "300", "--as-of", "2008-06-01",
        "--lang", "en",
    )  # fmt: skip
    assert code == 0
    assert "⏳ not yet due (due 2010-04), short 50 m²" in out


def test_explain_asks_for_missing_values() -> None:
    code, out = run("rules", "explain", "staffing", "--lang", "en")
    assert code == 0
    assert "also give: --households (Households)" in out


def test_explain_refuses_unknown_rules_and_fields() -> None:
    code, out = run("rules", "explain", "staffs", "--lang", "en")
    assert code == 2
    code, out = run("rules", "explain", "staffing", "--househlds", "2150")
    assert code == 2
    assert "did you mean households" in out


def test_validate_names_the_line_of_a_rule_written_as_a_table(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        '[ruleset]\nid = "x"\nversion = "1"\ntitle_zh = "x"\ntitle_en = "x"\n\n'
        '[rules.pay]\nmeasure = "pay_annual"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["rules", "validate", str(path)])
    assert result.exit_code == 2
    assert (
        f"{path}: rules.pay (line 7): [rules.pay] is a table; write each rule as an [[rules]] "
        'entry with id = "pay"'
    ) in result.stdout
    assert "Extra inputs are not permitted" not in result.stdout


def test_show_prints_each_lookup_entrys_scope(tmp_path: Path) -> None:
    text = (REPO / "rules" / "zhejiang-2007.toml").read_text(encoding="utf-8")
    city_wide = '"金华市区" = 26647\n"杭州市" = { value = 30000, scope = "city" }'
    path = tmp_path / "scoped.toml"
    path.write_text(text.replace('"金华市区" = 26647', city_wide), encoding="utf-8")
    code, out = run("rules", "show", str(path), "--lang", "en")
    assert code == 0
    assert "    婺城区 = 26,647  (scope: matched against the district)" in out
    assert "    杭州市 = 30,000  (scope: matched against the city)" in out
    code, out = run("rules", "show", str(path), "--lang", "zh")
    assert "    金东区 = 26,647  (适用范围：按所属区县匹配)" in out
    assert "    杭州市 = 30,000  (适用范围：按所属市匹配)" in out
    code, out = run("rules", "show", str(path), "--format", "json")
    scopes = json.loads(out)["lookups"]["local_avg_wage"]["scopes"]
    assert scopes == {"婺城区": "district", "金东区": "district", "金华市区": "district",
                      "杭州市": "city"}  # fmt: skip


def test_explain_maternity_counts_all_workers_when_no_female_count_is_given() -> None:
    code, out = run(
        "rules", "explain", "maternity", "--full_time_workers", "6", "--maternity_insured", "5",
        "--lang", "en",
    )  # fmt: skip
    assert code == 0
    assert "also give" not in out  # nothing asked for: the stand-in is used
    assert (
        "no female workers given (--female_workers): counted against full-time workers, "
        "as on a sheet without that column"
    ) in " ".join(out.split())
    assert "→ full_time_workers = 6 workers" in out
    assert "Result: 5 >= 6 ✗ fail, short 1 workers" in out


def test_explain_maternity_counts_female_workers_when_given() -> None:
    code, out = run(
        "rules", "explain", "maternity", "full_time_workers=6", "female_workers=3",
        "maternity_insured=3", "--lang", "zh",
    )  # fmt: skip
    assert code == 0
    assert "按专职社区工作者人数计" not in out
    assert "→ female_workers = 3 人" in out
    assert "结果: 3 >= 3 ✓ 达标" in out


def test_explain_maternity_under_the_all_workers_reading(tmp_path: Path) -> None:
    path = tmp_path / "all.toml"
    path.write_text(
        CITY.split("[parameters")[0] + '[parameters.maternity_basis]\nvalue = "all"\n',
        encoding="utf-8",
    )
    code, out = run(
        "rules", "explain", "maternity", "--rules", str(path), "full_time_workers=6",
        "female_workers=3", "maternity_insured=5", "--lang", "en",
    )  # fmt: skip
    assert code == 0
    assert "counted against full-time workers, not female workers (rule-set reading)" in out
    assert "Result: 5 >= 6 ✗ fail, short 1 workers" in out


def test_show_lists_the_consistency_checks_with_their_severity() -> None:
    code, out = run("rules", "show", "zhejiang-2007", "--lang", "en")
    assert code == 0
    checks = out.split("Consistency checks\n", 1)[1]
    assert "  pension_le_workers  Pension-insured at most full-time workers  [advisory]" in checks
    assert "      pension_insured <= full_time_workers" in checks
    assert "  full_time_le_total_staff  Full-time workers at most total staff  [blocking]" in checks
    code, out = run("rules", "show", "zhejiang-2007", "--lang", "zh")
    assert "审核（数据一致性）" in out and "[阻断]" in out and "[提示]" in out
    code, out = run("rules", "show", "zhejiang-2007", "--format", "json")
    checks_json = {c["id"]: c for c in json.loads(out)["checks"]}
    assert checks_json["full_time_le_total_staff"] == {
        "id": "full_time_le_total_staff",
        "title_zh": "专职人数不超过总人数",
        "title_en": "Full-time workers at most total staff",
        "expression": "full_time_workers <= total_staff",
        "severity": "blocking",
        "fields": ["full_time_workers", "total_staff"],
        "blocks": [
            "staffing", "pay", "pension", "unemployment", "medical", "injury", "maternity",
            "housing_fund",
        ],
        "blocks_declared": False,
    }  # fmt: skip
    assert checks_json["pay_positive"]["blocks"] == ["pay"]
    assert checks_json["pay_positive"]["blocks_declared"] is True
    assert checks_json["pension_le_workers"]["blocks"] == []


def test_show_says_which_rules_a_blocking_check_blocks() -> None:
    code, out = run("rules", "show", "zhejiang-2007", "--lang", "en")
    assert code == 0
    checks = out.split("Consistency checks\n", 1)[1]
    assert (
        "      Blocks (unknown when it fails): staffing (the rules that read its fields)\n"
        in checks
    )
    assert "      Blocks (unknown when it fails): pay\n" in checks
    _, out = run("rules", "show", "zhejiang-2007", "--lang", "zh")
    assert "      未通过时无法判断的标准：staffing（读取其字段的标准）\n" in out
