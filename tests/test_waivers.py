"""Waivers: read from TOML or a sheet; applied, expired, unmatched and not needed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from compliance import api
from compliance.cli import app
from compliance.errors import InputError
from compliance.model import Outcome
from compliance.waivers import WaiverState, apply_waivers, load_waivers
from tests.conftest import WorkbookFactory, community
from tests.findings import communities, finding

WAIVERS = """\
[[waivers]]
community = "甲社区"
rule = "staffing"
reason = "招聘中，2008年底前补齐"
approved_by = "婺城区民政局"
expires = 2009-06-30

[[waivers]]
community = "乙社区"
rule = "staffing"
reason = "已过期的豁免"
approved_by = "婺城区民政局"
expires = "2008-03-31"

[[waivers]]
community = "无此社区"
rule = "premises"
reason = "x"
approved_by = "y"
expires = 2010-01-01

[[waivers]]
community = "丙社区"
rule = "pay*"
reason = "not needed: 丙 passes"
approved_by = "y"
expires = 2010-01-01
"""

AS_OF = dt.date(2008, 12, 31)


@pytest.fixture
def returns(make_xlsx: WorkbookFactory) -> Path:
    # 甲 and 乙 are one worker short (2150 households need 6); 丙 passes everything.
    return make_xlsx(
        [
            community("甲社区", households=2150, workers=5, insured=(5,) * 6),
            community("乙社区", households=2150, workers=5, insured=(5,) * 6),
            community("丙社区"),
        ]
    )


def write(tmp_path: Path, text: str = WAIVERS) -> Path:
    path = tmp_path / "waivers.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_toml_waivers_are_read_with_their_lines(tmp_path: Path) -> None:
    path = write(tmp_path)
    waivers = load_waivers(path)
    assert [w.community for w in waivers] == ["甲社区", "乙社区", "无此社区", "丙社区"]
    assert waivers[0].expires == dt.date(2009, 6, 30)
    assert waivers[1].expires == dt.date(2008, 3, 31)
    assert waivers[0].where == f"{path}:1"
    assert waivers[3].where == f"{path}:22"


def test_applied_expired_unmatched_and_not_needed(tmp_path: Path, returns: Path) -> None:
    report = api.check_files([returns], as_of=AS_OF)
    assert api.exit_code(report) == 1
    waived = apply_waivers(report, load_waivers(write(tmp_path)), AS_OF)
    states = [(s.waiver.community, s.state) for s in waived.waivers]
    assert states == [
        ("甲社区", WaiverState.APPLIED),
        ("乙社区", WaiverState.EXPIRED),
        ("无此社区", WaiverState.UNMATCHED),
        ("丙社区", WaiverState.NOT_NEEDED),
    ]
    jia, _, _ = communities(waived)
    f = jia.finding("staffing")
    assert f is not None
    assert f.outcome is Outcome.WAIVED
    assert f.reason == "waived:招聘中，2008年底前补齐"
    assert f.shortfall == 1  # the figures stay
    assert waived.waivers[0].matches == (("甲社区 (Sheet1!2)", "staffing"),)
    # The expired waiver leaves the failure standing.
    assert finding(waived, "staffing", 1).outcome is Outcome.FAIL
    assert waived.waivers[1].matches == (("乙社区 (Sheet1!3)", "staffing"),)
    assert api.exit_code(waived) == 1
    # The original report is untouched.
    assert finding(report, "staffing").outcome is Outcome.FAIL


def test_waiving_every_failure_passes_the_run(tmp_path: Path, returns: Path) -> None:
    report = api.check_files([returns], as_of=AS_OF)
    text = WAIVERS.replace('expires = "2008-03-31"', "expires = 2009-03-31")
    waived = apply_waivers(report, load_waivers(write(tmp_path, text)), AS_OF)
    assert api.exit_code(waived) == 0
    assert [c.waived for c in waived.counts() if c.rule == "staffing"] == [2]


def test_expiry_day_is_still_covered(tmp_path: Path, returns: Path) -> None:
    report = api.check_files([returns])
    waivers = load_waivers(write(tmp_path))
    on_the_day = apply_waivers(report, waivers, dt.date(2009, 6, 30))
    assert on_the_day.waivers[0].state is WaiverState.APPLIED
    day_after = apply_waivers(report, waivers, dt.date(2009, 7, 1))
    assert day_after.waivers[0].state is WaiverState.EXPIRED


def test_waivers_from_a_sheet_match_by_code(tmp_path: Path, make_xlsx: WorkbookFactory) -> None:
    headers = ["社区代码", "社区名称", "总户数", "专职人数"]
    data = make_xlsx([["330702001001", "甲社区", 2150, 5]], headers, name="data.xlsx")
    wb = Workbook()
    ws = wb.active
    ws.title = "豁免"
    ws.append(["豁免清单"])
    ws.append(["社区代码", "标准", "豁免理由", "批准机关", "有效期至"])
    ws.append(["330702001001", "staffing", "招聘中", "婺城区民政局", dt.datetime(2009, 6, 30)])
    path = tmp_path / "waivers.xlsx"
    wb.save(path)
    (w,) = load_waivers(path)
    assert (w.community, w.rule, w.expires) == ("330702001001", "staffing", dt.date(2009, 6, 30))
    assert w.where == f"{path} 豁免!A3"
    report = api.check_files([data], rules=[api.load_ruleset().rule("staffing")])
    waived = apply_waivers(report, (w,), AS_OF)
    assert waived.waivers[0].state is WaiverState.APPLIED
    assert api.exit_code(waived) == 0


def test_bad_waiver_files_name_every_problem(tmp_path: Path) -> None:
    text = '[[waivers]]\ncommunity = "甲"\nrule = "staffing"\n\n[[waivers]]\n' + (
        'community = "乙"\nrule = "pay"\nreason = "r"\napproved_by = "a"\nexpires = "soon"\n'
    )
    with pytest.raises(InputError) as info:
        load_waivers(write(tmp_path, text))
    path = tmp_path / "waivers.toml"
    assert info.value.problems == [
        f"{path}:1: missing reason, approved_by, expires",
        f"{path}:5: expires 'soon' is not a date (YYYY-MM-DD)",
    ]


def test_cli_reports_each_waiver(tmp_path: Path, returns: Path) -> None:
    path = write(tmp_path)
    result = CliRunner().invoke(
        app,
        ["check", str(returns), "--waivers", str(path), "--as-of", "2008-12-31", "--lang", "en"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 1  # 乙's waiver has expired
    out = result.stdout
    assert (
        "甲社区 (Sheet1!2) · staffing: applied; 招聘中，2008年底前补齐 (婺城区民政局, until "
        f"2009-06-30) {path}:1"
    ) in out
    assert "乙社区 (Sheet1!3) · staffing: expired; 已过期的豁免" in out
    assert "无此社区 · premises: matches no community or rule" in out
    assert "丙社区 (Sheet1!4) · pay*: not used (no failure to waive)" in out


def test_cli_details_show_the_waiver(tmp_path: Path, returns: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            *("check", str(returns), "--waivers", str(write(tmp_path))),
            *("--as-of", "2008-12-31", "--lang", "en", "--details"),
        ],
        env={"COLUMNS": "300"},
    )
    assert (
        "甲社区 · Staff · Sheet1!F2: W 5, needs ≥ 6: short 1 worker  [max(5, ceil(2150 / 400)) = 6]; "
        "waived: 招聘中，2008年底前补齐; approved by 婺城区民政局, until 2009-06-30 "
        f"({tmp_path / 'waivers.toml'}:1)"
    ) in result.stdout


def test_json_lists_waivers_and_as_of(tmp_path: Path, returns: Path) -> None:
    from compliance.render.schema import JsonReport

    result = CliRunner().invoke(
        app,
        [
            *("check", str(returns), "--waivers", str(write(tmp_path))),
            *("--as-of", "2008-12-31", "--format", "json", "--all-findings"),
        ],
    )
    doc = JsonReport.model_validate_json(result.stdout)
    assert str(doc.as_of) == "2008-12-31"
    assert [(w.community, w.state) for w in doc.waivers] == [
        ("甲社区", "applied"),
        ("乙社区", "expired"),
        ("无此社区", "unmatched"),
        ("丙社区", "not_needed"),
    ]
    jia = doc.records[0].findings[1]
    assert (jia.rule, jia.outcome, jia.reason) == (
        "staffing",
        "waived",
        "waived:招聘中，2008年底前补齐",
    )


# -- rules named in Chinese (标准 = 用房) ----------------------------------------


def waiver_sheet(tmp_path: Path, rule: object) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "豁免"
    ws.append(["社区名称", "标准", "豁免理由", "批准机关", "有效期至"])
    ws.append(["甲社区", rule, "招聘中", "婺城区民政局", dt.datetime(2009, 6, 30)])
    path = tmp_path / "waivers.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize(
    "name",
    [
        "人员",
        "Staff",
        "staff",
        "专职社区工作者不少于5人，2000户以上按每400户配备1人",
        "At least 5 full-time workers, and 1 per 400 households above 2000",
        " 人 员 ",
    ],
)
def test_a_waiver_names_its_rule_in_chinese_or_english(
    tmp_path: Path, returns: Path, name: str
) -> None:
    report = api.check_files([returns])
    waived = apply_waivers(report, load_waivers(waiver_sheet(tmp_path, name)), AS_OF)
    (status,) = waived.waivers
    assert status.state is WaiverState.APPLIED
    assert (status.waiver.rule, status.waiver.rule_given) == ("staffing", name.strip() or name)
    jia = communities(waived)[0].finding("staffing")
    assert jia is not None and jia.outcome is Outcome.WAIVED


def test_an_unknown_rule_name_is_an_error_listing_the_accepted_ones(
    tmp_path: Path, returns: Path
) -> None:
    path = waiver_sheet(tmp_path, "面积")
    report = api.check_files([returns])
    with pytest.raises(InputError) as info:
        apply_waivers(report, load_waivers(path), AS_OF)
    (problem,) = info.value.problems
    assert problem.startswith(f"{path} 豁免!A2: unknown rule '面积' (accepted: ")
    assert "premises / 用房 / Premises / 社区工作服务用房面积不少于350平方米; " in problem
    assert "staffing / 人员 / Staff / " in problem
    assert problem.endswith(", or an id prefix ending in *)")


def test_a_prefix_that_matches_no_rule_is_an_error(tmp_path: Path, returns: Path) -> None:
    report = api.check_files([returns])
    with pytest.raises(InputError, match=r"rule 'wage\*' matches no rule id"):
        apply_waivers(report, load_waivers(waiver_sheet(tmp_path, "wage*")), AS_OF)


def test_cli_applies_a_chinese_named_waiver(tmp_path: Path, returns: Path) -> None:
    path = waiver_sheet(tmp_path, "人员")
    args = ["check", str(returns), "--waivers", str(path), "--as-of", "2008-12-31"]
    result = CliRunner().invoke(app, [*args, "--lang", "zh"], env={"COLUMNS": "200"})
    assert result.exit_code == 1  # 乙社区 is still one worker short
    assert "甲社区 (Sheet1!2) · staffing：已适用；招聘中（婺城区民政局，有效期至 2009-06-30）" in (
        result.stdout
    )
    bad = CliRunner().invoke(app, [*args[:3], str(waiver_sheet(tmp_path, "面积")), *args[4:]])
    assert bad.exit_code == 2
    assert "unknown rule '面积' (accepted: premises / 用房" in bad.output
    assert "Traceback" not in bad.output


def test_toml_waivers_accept_rule_names_too(tmp_path: Path, returns: Path) -> None:
    text = WAIVERS.replace('rule = "staffing"', 'rule = "人员"', 1)
    waived = apply_waivers(api.check_files([returns]), load_waivers(write(tmp_path, text)), AS_OF)
    assert waived.waivers[0].state is WaiverState.APPLIED
    assert (waived.waivers[0].waiver.rule, waived.waivers[0].waiver.rule_given) == (
        "staffing",
        "人员",
    )


def test_a_waiver_file_that_matches_nothing_changes_nothing_else(
    tmp_path: Path, returns: Path
) -> None:
    import json

    nothing = write(tmp_path, WAIVERS.split("\n\n")[2] + "\n")  # 无此社区 only
    base = ["check", str(returns), "--as-of", "2008-12-31", "--format", "json", "--all-findings"]

    def run(*extra: str) -> dict:  # type: ignore[type-arg]
        result = CliRunner().invoke(app, [*base, *extra])
        assert result.exit_code == 1, result.output
        doc = json.loads(result.stdout)
        doc.pop("started_at")
        for check in doc["checks"]:
            check.pop("checked_at", None)
        return doc  # type: ignore[no-any-return]

    plain, waived = run(), run("--waivers", str(nothing))
    assert [(w["community"], w["state"]) for w in waived.pop("waivers")] == [
        ("无此社区", "unmatched")
    ]
    assert plain.pop("waivers") == []
    assert waived["options"].pop("waivers") == str(nothing)
    plain["options"].pop("waivers", None)
    assert waived == plain


def test_an_unmatched_waiver_file_changes_nothing_but_its_own_lines(tmp_path: Path) -> None:
    # The shipped 2008 sample has failures, unknowns, not-yet-due shortfalls and
    # sub-district results: a waiver that matches none of them leaves the report as it was.
    sample = Path(__file__).resolve().parent.parent / "samples" / "jinhua-2008.xlsx"
    waivers = write(
        tmp_path,
        '[[waivers]]\ncommunity = "无此社区"\nrule = "*"\nreason = "x"\napproved_by = "y"\n'
        "expires = 2010-01-01\n",
    )
    args = ["check", str(sample), "-r", "zhejiang-2008", "-f", "json", "--as-of", "2008-06-30"]
    plain = CliRunner().invoke(app, args)
    waived = CliRunner().invoke(app, [*args, "--waivers", str(waivers)])
    assert plain.exit_code == waived.exit_code == 1
    a, b = json.loads(plain.stdout), json.loads(waived.stdout)
    assert [w["state"] for w in b["waivers"]] == ["unmatched"]
    assert b["options"].pop("waivers") == str(waivers)
    for doc in (a, b):
        del doc["started_at"], doc["waivers"]
    assert a == b
    # The findings tables too, row for row.
    report = api.check_files([sample], ruleset="zhejiang-2008")
    same = apply_waivers(report, load_waivers(waivers), dt.date(2008, 6, 30))
    assert same.findings().equals(report.findings())
    assert same.checks[0].groups is not None and report.checks[0].groups is not None
    assert same.checks[0].groups.findings().equals(report.checks[0].groups.findings())
