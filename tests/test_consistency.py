"""Consistency checks (审核) on records: advisory ones report, blocking ones make standards unknown."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from compliance import api
from compliance.cli import app
from compliance.model import Outcome
from compliance.rules.loader import load_ruleset
from tests.conftest import HEADERS, WorkbookFactory, community
from tests.findings import check_record, communities, finding

RULES = load_ruleset("zhejiang-2007")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout


def test_insured_above_workers_is_advisory_and_the_run_passes(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("和平社区", insured=(7, 6, 6, 6, 6, 6))], sheet="社区情况")
    code, out = run("check", str(path), "--lang", "en")
    assert code == 0
    tail = out[out.index("Consistency checks") :].splitlines()
    assert tail[:2] == [
        "Consistency checks",
        "  社区情况!I2: Advisory check 'Pension-insured at most full-time workers' failed: "
        "7 pension-insured but 6 full-time workers; please explain (社区情况!I2, 社区情况!F2)",
    ]
    assert "Data problems" not in out
    code, _ = run("check", str(path), "--fail-on", "unknown")
    assert code == 0  # an advisory check leaves every outcome as it was
    code, out = run("check", str(path), "--format", "json", "--all-findings")
    doc = json.loads(out)
    assert code == doc["exit_code"] == 0
    assert doc["problems"] == []
    (check,) = doc["checks"]
    assert (check["code"], check["severity"], check["check"]) == (
        "review",
        "advisory",
        "pension_le_workers",
    )
    assert check["cells"] == ["社区情况!I2", "社区情况!F2"]
    assert check["message_zh"] == (
        "提示性审核“养老保险人数不超过专职人数”未通过：养老保险人数 7 多于专职人数 6，请说明"
        "（社区情况!I2、社区情况!F2）"
    )
    assert {f["outcome"] for f in doc["records"][0]["findings"]} == {"pass"}


def _outcomes(result: api.CheckResult, rec: int) -> dict[str, str]:
    rows = result.table.outcomes.filter(pl.col("_rec") == rec).select("rule", "outcome")
    return dict(rows.iter_rows())


def test_a_blocking_check_makes_only_the_standards_it_concerns_unknown(
    make_xlsx: WorkbookFactory,
) -> None:
    path = make_xlsx([community("和平社区", households=0), community("安康社区")])
    result = api.check(path)
    # 0 households: only staffing reads the households, so only staffing is unknown.
    assert _outcomes(result, 0) == {r.id: "pass" for r in RULES.rules} | {"staffing": "unknown"}
    assert set(_outcomes(result, 1).values()) == {"pass"}
    unknown = result.table.materialised.filter(pl.col("outcome") == "unknown")
    assert unknown.select("_rec", "rule", "reason", "cells").rows() == [
        (0, "staffing", "review:households_positive", ["Sheet1!D2"])
    ]
    (p,) = result.problems
    assert (p.code, p.severity, p.check, p.cell, p.row) == (
        "review",
        "blocking",
        "households_positive",
        "Sheet1!D2",
        2,
    )
    code, out = run("check", str(path), "--lang", "en", "--details")
    assert "和平社区 · Staff · Sheet1!D2: blocking check households_positive failed; correct the " \
        "figures first (Sheet1!D2)" in out  # fmt: skip
    # Blocking (强制性审核): the return cannot be accepted, like a failing "error" rule.
    assert code == 1
    code, _ = run("check", str(path), "--fail-on", "never")
    assert code == 0


def test_full_time_above_total_staff_only_where_both_columns_exist(
    make_xlsx: WorkbookFactory,
) -> None:
    without = make_xlsx([community(workers=6)], name="a.xlsx")
    assert api.check(without).problems == ()
    with_total = make_xlsx(
        [[*community(workers=6, area=300), 5], [*community("安康社区", workers=6), 8]],
        [*HEADERS, "总人数"],
        name="b.xlsx",
    )
    result = api.check(with_total)
    (p,) = result.problems
    assert (p.check, p.cells) == ("full_time_le_total_staff", ("Sheet1!F2", "Sheet1!O2"))
    assert p.message_en.endswith("6 full-time workers but 5 staff in all (Sheet1!F2, Sheet1!O2)")
    # Every standard that reads the full-time count is unknown; premises is still judged.
    outcomes = _outcomes(result, 0)
    assert outcomes.pop("premises") == "fail"
    assert set(outcomes.values()) == {"unknown"}
    reasons = result.table.materialised.filter(pl.col("_rec") == 0, pl.col("outcome") == "unknown")
    assert set(reasons["reason"]) == {"review:full_time_le_total_staff"}
    assert set(_outcomes(result, 1).values()) == {"pass"}


def test_pay_wage_and_area_checks(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx(
        [
            community("甲社区", monthly=0),
            community("乙社区", wage=0),
            community("丙社区", area=9000),
            community("丁社区", area=0),
            community("戊社区", area=None, monthly=None),
        ]
    )
    result = api.check(path)
    found = sorted((p.row or 0, p.code, p.check, p.severity) for p in result.problems)
    # A wage of 0 is a data problem of the field itself (pay unknown), not a check.
    assert found == [
        (2, "review", "pay_positive", "blocking"),
        (3, "not_positive", None, None),
        (4, "review", "premises_plausible", "advisory"),
    ]
    assert finding(result, "pay", 1).reason == "missing"
    assert finding(result, "premises", 1).outcome is Outcome.PASS
    # An area of 0 (no premises) is plausible: it fails the standard, not the check.
    assert communities(result)[3].findings[0].outcome is Outcome.FAIL
    # Missing figures are not checked; the standards that need them are unknown as ever.
    assert communities(result)[4].findings[0].reason == "missing"


def test_markdown_lists_checks_under_their_own_heading(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community(insured=(6, 6, 6, 6, 6, 9))])
    _, out = run("check", str(path), "--format", "markdown", "--lang", "zh")
    # The checks' own heading, not "## 审核结论" (the verdict) above it.
    section = out[out.index("\n## 审核\n") + 1 :]
    assert section.splitlines()[2].startswith(
        "- `Sheet1!N2`: 提示性审核“住房公积金人数不超过专职人数”"
    )
    assert "## 数据问题" not in out


@given(
    insured=st.integers(min_value=0, max_value=50), workers=st.integers(min_value=0, max_value=50)
)
def test_insured_check_fails_exactly_above_the_workers(insured: int, workers: int) -> None:
    values = {"pension_insured": float(insured), "full_time_workers": float(workers)}
    _, problems = check_record(values, RULES, [RULES.rule("pension")], checks=True)
    failed = [p.check for p in problems if p.code == "review"]
    assert failed == (["pension_le_workers"] if insured > workers else [])


def test_json_jsonl_and_xlsx_carry_checks(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from compliance.render.schema import LINE, JsonReport

    path = make_xlsx([community("和平社区", households=0)], sheet="社区情况")
    _, out = run("check", str(path), "--format", "json")
    doc = JsonReport.model_validate_json(out)
    assert [(c.check, c.severity, c.cells) for c in doc.checks] == [
        ("households_positive", "blocking", ["社区情况!D2"])
    ]
    _, out = run("check", str(path), "--format", "jsonl")
    lines = [LINE.validate_json(line) for line in out.splitlines()]
    (problem,) = [x for x in lines if x.type == "problem"]
    assert problem.code == "review"  # type: ignore[union-attr]
    assert problem.message_en.startswith("Blocking check 'Households above 0' failed")  # type: ignore[union-attr]
    xlsx = tmp_path / "r.xlsx"
    run("check", str(path), "--format", "xlsx", "-o", str(xlsx), "--lang", "en")
    ws = load_workbook(xlsx)["数据问题 Data problems"]
    kinds = {row[5] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert "Consistency checks" in kinds


# --- no full-time workers: nothing to block (issue 20) -------------------------------


def _report(path: Path) -> dict[str, object]:
    code, out = run("check", str(path), "--format", "json", "--all-findings", "--lang", "en")
    doc = json.loads(out)
    assert doc["exit_code"] == code
    return doc  # type: ignore[no-any-return]


def test_with_no_workers_pay_and_insurance_do_not_apply_whatever_the_pay_cell_holds(
    make_xlsx: WorkbookFactory,
) -> None:
    big = {"households": 3150, "area": 280, "workers": 0, "insured": (0,) * 6}
    rows = [
        community("一社区", monthly=0, **big),
        community("二社区", monthly=None, **big),
        community("三社区", monthly="不详", **big),
        community("四社区", monthly=-40, **big),
        community("五社区", monthly=0, wage=None, district="武义县", **big),
    ]
    rows[-1][-6:] = [None] * 6
    path = make_xlsx(rows)
    doc = _report(path)
    for record in doc["records"]:  # type: ignore[attr-defined]
        by_rule = {f["rule"]: f for f in record["findings"]}
        # The staffing and premises failures are there to see, not hidden as unknown.
        assert (by_rule["premises"]["outcome"], by_rule["premises"]["shortfall"]) == ("fail", 70)
        assert (by_rule["staffing"]["outcome"], by_rule["staffing"]["shortfall"]) == ("fail", 8)
        rest = {r: f["outcome"] for r, f in by_rule.items() if r not in ("premises", "staffing")}
        assert set(rest.values()) == {"not_applicable"}, (record["name"], rest)
    # Pay 0 beside 0 workers is no contradiction: no check fails.
    assert doc["checks"] == []


def test_the_pay_check_still_blocks_pay_where_there_are_workers(
    make_xlsx: WorkbookFactory,
) -> None:
    path = make_xlsx([community("六社区", workers=7, monthly=0, insured=(7,) * 6)])
    doc = _report(path)
    (record,) = doc["records"]  # type: ignore[attr-defined]
    outcomes = {f["rule"]: (f["outcome"], f["reason"]) for f in record["findings"]}
    assert outcomes.pop("pay") == ("unknown", "review:pay_positive")
    assert {o for o, _ in outcomes.values()} == {"pass"}
    (check,) = doc["checks"]  # type: ignore[misc]
    assert (check["check"], check["severity"], check["cells"]) == (
        "pay_positive",
        "blocking",
        ["Sheet1!G2"],
    )


def test_a_custom_check_blocks_only_what_its_file_says(
    make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    rules = tmp_path / "mine.toml"
    rules.write_text(
        'format = 1\n[ruleset]\nid = "mine"\nversion = "1"\nextends = "zhejiang-2007"\n'
        "[[checks]]\n"
        'id = "insured_within_households"\n'
        'title_zh = "参保人数不超过户数"\ntitle_en = "Insured within households"\n'
        'expression = "medical_insured <= households"\n'
        'message_zh = "{medical_insured}"\nmessage_en = "{medical_insured}"\n'
        'severity = "blocking"\nblocks = ["medical", "premises"]\n',
        encoding="utf-8",
    )
    path = make_xlsx([community("七社区", households=5, insured=(6, 6, 6, 6, 6, 6))])
    result = api.check(path, ruleset=rules)
    outcomes = _outcomes(result, 0)
    assert {r for r, o in outcomes.items() if o == "unknown"} == {"medical", "premises"}
    unknown = result.table.materialised.filter(pl.col("outcome") == "unknown")
    assert set(unknown["reason"]) == {"review:insured_within_households"}
    assert unknown["cells"].to_list() == [["Sheet1!K2", "Sheet1!D2"]] * 2
