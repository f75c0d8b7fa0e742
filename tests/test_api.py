"""The public Python API: `import compliance` and what a batch job does with it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import compliance
from tests.conftest import SAMPLE, WorkbookFactory, community
from tests.findings import communities, finding


def test_every_public_name_resolves() -> None:
    for name in compliance.__all__:
        assert getattr(compliance, name) is not None
    with pytest.raises(AttributeError):
        _ = compliance.no_such_name  # type: ignore[attr-defined]


def test_import_is_cheap_and_a_json_check_never_loads_openpyxl() -> None:
    code = (
        "import sys, compliance\n"
        "assert 'compliance.api' not in sys.modules\n"
        "r = compliance.check_files([sys.argv[1]])\n"
        "compliance.render_report(r, 'json')\n"
        "print('openpyxl' in sys.modules, 'pandas' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLE)], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_a_batch_job_checks_a_folder_and_keys_off_the_exit_code(
    make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    (tmp_path / "returns").mkdir()
    make_xlsx([community("甲社区")], name="returns/a.xlsx")
    make_xlsx([community("乙社区", area=300)], name="returns/b.xlsx")
    report = compliance.check_files([tmp_path / "returns"])
    assert compliance.exit_code(report) is compliance.ExitCode.FAIL
    assert compliance.exit_code(report, compliance.FailOn.NEVER) == 0
    failing = [
        (c.name, f.rule, f.shortfall)
        for c in communities(report)
        for f in c.findings
        if f.outcome is compliance.Outcome.FAIL
    ]
    assert failing == [("乙社区", "premises", 50.0)]
    doc = json.loads(compliance.render_report(report, "json") or "")
    assert doc["exit_code"] == 1
    compliance.render_report(report, "junit", tmp_path / "report.xml")
    assert (tmp_path / "report.xml").read_text(encoding="utf-8").startswith("<?xml")


def test_render_report_refuses_binary_formats_without_a_destination_and_unknown_formats() -> None:
    report = compliance.check_files([SAMPLE])
    with pytest.raises(compliance.UsageError, match="xlsx"):
        compliance.render_report(report, "xlsx")
    with pytest.raises(compliance.UsageError, match="choose one of"):
        compliance.render_report(report, "yaml")


def test_summarise_and_the_lower_level_steps() -> None:
    rs = compliance.load_ruleset("zhejiang-2007")
    rules = compliance.select_rules(rs, ["premises"])
    data = compliance.read_records(SAMPLE)
    result = compliance.check(SAMPLE, ruleset=rs, rules=rules)
    assert len(communities(result)) == len(data.records) == 200
    assert {f.rule for c in communities(result) for f in c.findings} == {"premises"}
    summary = compliance.summarise(compliance.check_files([SAMPLE], rules=rules), by="district")
    assert summary.total.rule("premises").failed == 68


def _sample_frame() -> tuple[Any, Any]:
    """The sample's records as a polars DataFrame of field-id columns, and its check."""
    import polars as pl

    from compliance.reading import read_records

    data = read_records(SAMPLE)
    fields = list(dict.fromkeys(f for r in data.records for f in r.values))
    frame = pl.DataFrame({f: [r.values.get(f) for r in data.records] for f in fields}, strict=False)
    return frame, compliance.check(SAMPLE)


def test_check_frame_gives_the_same_outcomes_as_check_of_the_file() -> None:
    frame, by_path = _sample_frame()
    result = compliance.check_frame(frame)
    assert isinstance(result, compliance.CheckResult)
    assert result.table.counts() == by_path.table.counts()
    assert compliance.exit_code(result) == compliance.exit_code(by_path)


def test_check_frame_takes_pandas_and_arrow_and_recognised_headers() -> None:
    import polars as pl

    frame = pl.DataFrame(
        {
            "社区名称": ["甲社区", "乙社区"],
            "district": ["婺城区", "婺城区"],
            "户数": [2150, 1000],
            "premises_area": ["400", "待核实"],
            "full_time_workers": [5, 6],
            "pay_annual": [30000, 30000],
            **{
                f: [5, 6]
                for f in (
                    "pension_insured",
                    "unemployment_insured",
                    "medical_insured",
                    "injury_insured",
                    "maternity_insured",
                    "housing_fund",
                )
            },
            "备注": ["", ""],
        }
    )
    results = [
        compliance.check_frame(frame, name="db"),
        compliance.check_frame(frame.to_pandas(), name="db"),
        compliance.check_frame(frame.to_arrow(), name="db"),
    ]
    for r in results:
        assert r.table.outcomes.equals(results[0].table.outcomes)
    r = results[0]
    assert r.source.path == "db" and "备注" in r.source.unmatched_headers
    staffing = finding(r, "staffing", 0)
    assert (staffing.outcome, staffing.required) == (compliance.Outcome.FAIL, 6.0)
    # An unreadable value is empty, with a data problem naming its row and column.
    [problem] = r.problems
    assert (problem.code, problem.row, problem.cell) == ("not_a_number", 2, "premises_area[2]")
    assert finding(r, "premises", 1).reason == "missing"
    # render_report, summarise and exit_code take one check result as they take a report.
    assert json.loads(compliance.render_report(r, "json") or "")["summary"]["records"] == 2
    assert compliance.summarise(r).total.communities == 2
    assert compliance.exit_code(r) == compliance.ExitCode.FAIL


def test_check_frame_without_a_needed_column_is_an_input_error() -> None:
    import polars as pl

    with pytest.raises(compliance.InputError, match="households"):
        compliance.check_frame(pl.DataFrame({"name": ["甲社区"], "premises_area": [400]}))


# --- check_frame reads every column a workbook's header does (issue 20) --------------


def _as_frame(rows: list[list[Any]], headers: list[str]) -> Any:
    import pandas as pd

    return pd.DataFrame(
        {h: pd.Series([r[i] for r in rows], dtype=object) for i, h in enumerate(headers)}
    )


@pytest.mark.parametrize("pay", ["人均月报酬", "pay_monthly", "月人均收入"])
def test_check_frame_annualises_a_monthly_pay_column_as_check_does(
    make_xlsx: Any, pay: str
) -> None:
    import polars as pl

    from tests.conftest import HEADERS, community

    rows = [
        community("甲社区", monthly=2200),  # 26,400 a year: short of 26,647
        community("乙社区", monthly="2,300元"),
        community("丙社区", monthly="待核实", wage="不详"),
    ]
    headers = [pay if h == "人均月报酬" else h for h in HEADERS]
    by_path = compliance.check(make_xlsx(rows, headers))
    by_frame = compliance.check_frame(_as_frame(rows, headers))
    columns = ["_rec", "rule", "outcome", "actual", "required", "shortfall", "total", "reason"]
    assert by_frame.table.outcomes.select(columns).equals(by_path.table.outcomes.select(columns))
    pay_path = by_path.table.findings(pl.col("rule") == "pay")
    pay_frame = by_frame.table.findings(pl.col("rule") == "pay")
    assert pay_frame["notes"].to_list() == pay_path["notes"].to_list()
    assert pay_frame["notes"][0].to_list() == ["pay_annual=pay_monthly × 12"]
    assert (pay_frame["outcome"][0], pay_frame["shortfall"][0]) == ("fail", 247)
    # The same note on the source, but no column letter: a table has none.
    assert by_frame.source.notes_en[0] == (
        f"'{pay}' is monthly; multiplied by 12 for annual pay per worker"
    )
    assert by_frame.source.notes_zh[0] == f"“{pay}”为月度数据，已乘以12折算为人均年收入"
    # The same data problems, named by column and row.
    assert [(p.code, p.field, p.row) for p in by_frame.problems] == [
        (p.code, p.field, p.row - 1) for p in by_path.problems
    ]
    assert by_frame.problems[0].cell == f"{pay}[3]"


def test_check_frame_never_fills_an_unreadable_wage_from_the_reference_table() -> None:
    from tests.conftest import HEADERS, community

    rows = [community("甲社区", wage="待核实"), community("乙社区", wage=None)]
    result = compliance.check_frame(_as_frame(rows, HEADERS))
    pay = dict(
        result.table.outcomes.filter(result.table.outcomes["rule"] == "pay")
        .select("_rec", "outcome")
        .iter_rows()
    )
    assert pay == {0: "unknown", 1: "pass"}  # 婺城区's figure fills only the empty cell
    assert [p.cell for p in result.problems] == ["上年职工平均工资[1]"]


def test_check_frame_with_an_annual_and_a_monthly_column_uses_the_annual_one() -> None:
    import polars as pl

    frame = _sample_frame()[0].with_columns(pl.lit(1.0).alias("pay_monthly"))
    result = compliance.check_frame(frame)
    assert result.source.notes_en[0] == "'pay_monthly' (monthly) not used: an annual column exists"
    assert result.table.counts() == compliance.check(SAMPLE).table.counts()


def test_report_findings_is_one_table_of_every_community_in_input_order(
    make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    (tmp_path / "returns").mkdir()
    a = make_xlsx([community("甲社区"), community("丙社区", area=340)], name="returns/a.xlsx")
    b = make_xlsx([community("乙社区", area=300)], name="returns/b.xlsx")
    report = compliance.check_files([tmp_path / "returns"])
    found = report.findings()
    rules = [r.id for r in report.rules]
    assert found.columns[:8] == [
        "source", "sheet", "row", "id", "name", "city", "district", "subdistrict"
    ]  # fmt: skip
    assert found.columns[8:] == [
        "rule", "outcome", "actual", "required", "shortfall", "total",
        "derivation", "reason", "cells", "notes", "missing",
    ]  # fmt: skip
    assert found.height == 3 * len(rules)
    # Input order: each community's findings in rule-set order.
    assert found["name"].to_list() == [n for n in ("甲社区", "丙社区", "乙社区") for _ in rules]
    assert found["rule"].to_list() == rules * 3
    assert set(found["source"].unique()) == {str(a), str(b)}
    # The same findings, figure for figure, as the tests' helper reads them.
    expected = [
        (c.source, c.row, c.name, f.rule, f.outcome.value, f.shortfall, f.cells)
        for c in communities(report)
        for f in c.findings
    ]
    got = [
        (
            r["source"],
            r["row"],
            r["name"],
            r["rule"],
            r["outcome"],
            r["shortfall"],
            tuple(r["cells"]),
        )
        for r in found.iter_rows(named=True)
    ]
    assert got == expected
    fails = report.findings(pl.col("outcome") == "fail")
    assert fails.select("name", "rule", "shortfall").rows() == [
        ("丙社区", "premises", 10.0),
        ("乙社区", "premises", 50.0),
    ]


def test_report_findings_of_a_report_with_no_readable_input_is_an_empty_table(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    report = compliance.check_files([bad])
    assert report.failures
    found = report.findings()
    assert found.height == 0
    assert found.columns[:3] == ["source", "sheet", "row"]
