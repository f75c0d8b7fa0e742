"""Rules checked once per sub-district: data from a column or from a sheet."""

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
from tests.conftest import HEADERS, WorkbookFactory, community
from tests.findings import communities, subdistricts

CENTRES = "街道社区服务中心数"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout


def with_column(make_xlsx: WorkbookFactory) -> Path:
    rows = [
        (community("甲社区", subdistrict="城东街道"), 1),
        (community("乙社区", subdistrict="城东街道"), 1),
        (community("丙社区", subdistrict="城西街道"), 0),
        (community("丁社区", subdistrict="城北街道"), 1),
        (community("戊社区", subdistrict="城北街道"), 0),
        (community("己社区", subdistrict="城南街道"), None),
    ]
    return make_xlsx([[*row, n] for row, n in rows], [*HEADERS, CENTRES])


def test_from_a_column_one_result_per_subdistrict(make_xlsx: WorkbookFactory) -> None:
    report = api.check_files([with_column(make_xlsx)], ruleset="zhejiang-2008")
    assert [r.id for r in report.rules][-1] == "service_centre"
    # Communities are not judged on the sub-district rule...
    assert all(c.finding("service_centre") is None for c in communities(report))
    assert all(len(c.findings) == 9 for c in communities(report))
    # ...sub-districts are, once each, in the order they first appear.
    groups = {g.name: g.finding("service_centre") for g in subdistricts(report)}
    assert list(groups) == ["城东街道", "城西街道", "城北街道", "城南街道"]
    outcomes = {name: f.outcome for name, f in groups.items() if f is not None}
    assert outcomes == {
        "城东街道": Outcome.PASS,
        "城西街道": Outcome.FAIL,
        "城北街道": Outcome.UNKNOWN,  # its rows disagree: 1 and 0
        "城南街道": Outcome.UNKNOWN,  # no figure
    }
    west = groups["城西街道"]
    assert west is not None and west.shortfall == 1 and west.cells == ("Sheet1!O4",)
    (conflict,) = [p for p in report.problems if p.code == "subdistrict_conflict"]
    assert conflict.cell == "Sheet1!O6"
    assert conflict.message_en == (
        "sub-district 城北街道: sub-district service centres differs from Sheet1!O5 "
        "(0 and 1); cannot decide"
    )
    counts = {c.rule: c for c in report.counts()}["service_centre"]
    assert (counts.passed, counts.failed, counts.unknown) == (1, 1, 2)
    assert report.failing_rules() == {"service_centre"}
    assert api.exit_code(report) == 1


def test_from_a_sheet_listing_subdistricts(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "社区"
    ws.append(HEADERS)
    ws.append(community("甲社区", subdistrict="城东街道"))
    ws.append(community("乙社区", subdistrict="城西街道"))
    streets = wb.create_sheet("街道")
    streets.append(["各街道社区服务中心情况"])
    streets.append(["所属街道", "县(市、区)", "社区服务中心数"])
    streets.append(["城东街道", "婺城区", 1])
    streets.append(["城西街道", None, 0])  # district merged down from the row above
    streets.append(["城南街道", None, None])
    streets.append(["合计", None, 1])
    streets.merge_cells("B3:B5")
    path = tmp_path / "returns.xlsx"
    wb.save(path)
    report = api.check_files([path], ruleset="zhejiang-2008")
    groups = subdistricts(report)
    assert [g.name for g in groups] == ["城东街道", "城西街道", "城南街道"]
    assert [g.district for g in groups] == ["婺城区"] * 3
    assert [g.row for g in groups] == [3, 4, 5]
    assert {g.sheet for g in groups} == {"街道"}
    assert [g.findings[0].outcome for g in groups] == [
        Outcome.PASS,
        Outcome.FAIL,
        Outcome.UNKNOWN,
    ]
    assert groups[1].findings[0].cells == ("街道!C4",)
    assert groups[2].findings[0].cells == ("街道!C5",)


def test_no_column_and_no_sheet_is_an_input_error(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community()])
    with pytest.raises(InputError, match=r"no column or sheet for service_centres"):
        api.check(path, ruleset="zhejiang-2008")
    # Without the sub-district rule the same file checks fine.
    rs = api.load_ruleset("zhejiang-2008")
    result = api.check(path, ruleset=rs, rules=api.select_rules(rs, ignore=["service_*"]))
    assert result.groups is None and subdistricts(result) == []


def test_rows_without_a_subdistrict_are_left_out_with_a_note(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx(
        [
            [*community("甲社区", subdistrict="城东街道"), 1],
            [*community("乙社区", subdistrict=""), 1],
        ],
        [*HEADERS, CENTRES],
    )
    result = api.check(path, ruleset="zhejiang-2008")
    assert [g.name for g in subdistricts(result)] == ["城东街道"]
    assert "1 rows name no sub-district and are left out of sub-district rules" in (
        result.source.notes_en
    )


def test_table_lists_failing_subdistricts(make_xlsx: WorkbookFactory) -> None:
    code, out = run("check", str(with_column(make_xlsx)), "--rules", "zhejiang-2008")
    assert code == 1
    assert "Sub-district standards" in out or "街道层级标准" in out
    code, out = run(
        "check", str(with_column(make_xlsx)), "--rules", "zhejiang-2008", "--lang", "en"
    )
    assert (
        "Every sub-district has a community service centre: 1 sub-districts fail, 2 unknown, of 4"
    ) in out
    rows = [ln.split() for ln in out.splitlines() if ln.startswith(("城西街道", "城北街道"))]
    assert rows == [
        ["城西街道", "婺城区", "✗", "1", "Sheet1!4"],
        ["城北街道", "婺城区", "?", "Sheet1!5"],
    ]


def test_waiver_for_a_subdistrict(tmp_path: Path, make_xlsx: WorkbookFactory) -> None:
    waivers = tmp_path / "w.toml"
    waivers.write_text(
        '[[waivers]]\ncommunity = "城西街道"\nrule = "service_centre"\nreason = "在建"\n'
        'approved_by = "婺城区民政局"\nexpires = 2030-01-01\n',
        encoding="utf-8",
    )
    code, out = run(
        "check", str(with_column(make_xlsx)), "--rules", "zhejiang-2008", "--waivers",
        str(waivers), "--lang", "en", "--fail-on", "fail",
    )  # fmt: skip
    assert "城西街道 (Sheet1!4) · service_centre: applied" in out
    assert code == 0  # the unknowns do not fail the run by default


def test_json_counts_include_subdistrict_rules(make_xlsx: WorkbookFactory) -> None:
    code, out = run("check", str(with_column(make_xlsx)), "--rules", "zhejiang-2008", "-f", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["summary"]["by_rule"]["service_centre"]["fail"] == 1
    west = doc["subdistricts"][1]
    assert (west["subdistrict"], west["district"], west["worst"]) == ("城西街道", "婺城区", "fail")
    assert west["findings"][0]["cells"] == ["Sheet1!O4"]
    from compliance.render.schema import JsonReport

    assert len(JsonReport.model_validate(doc).subdistricts) == 4


def test_summary_counts_subdistricts_at_their_level(make_xlsx: WorkbookFactory) -> None:
    from compliance.summary import summarise

    report = api.check_files([with_column(make_xlsx)], ruleset="zhejiang-2008")
    by_sub = summarise(report, by="subdistrict")
    centres = {r.name: r.rule("service_centre") for r in by_sub.regions}
    assert [(n, c.communities, c.passed, c.failed, c.unknown) for n, c in centres.items()] == [
        ("城东街道", 1, 1, 0, 0),
        ("城西街道", 1, 0, 1, 0),
        ("城北街道", 1, 0, 0, 1),
        ("城南街道", 1, 0, 0, 1),
    ]
    assert centres["城西街道"].shortfall == 1
    # A community-level rule in the same regions still counts communities.
    assert by_sub.regions[0].rule("premises").communities == 2
    total = summarise(report, by="district").total.rule("service_centre")
    assert (total.communities, total.failed, total.unknown) == (4, 1, 2)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "junit", "markdown"])
def test_other_formats_carry_subdistrict_results(make_xlsx: WorkbookFactory, fmt: str) -> None:
    # The long CSV layout names the rule on each row (the wide one has a column group).
    layout = ["--csv-layout", "long"] if fmt == "csv" else []
    code, out = run(
        "check",
        str(with_column(make_xlsx)),
        "--rules",
        "zhejiang-2008",
        "-f",
        fmt,
        "--all",
        *layout,
    )
    assert code == 1
    if fmt == "markdown":
        # The community table has no sub-district column; the counts do.
        header = next(
            ln for ln in out.splitlines() if ln.startswith("| Community") or "社区 |" in ln
        )
        assert "Centre" not in header and "服务中心" not in header
        assert "service centre" in out or "服务中心" in out
    else:
        marker = {
            "csv": ",service_centre,",
            "jsonl": '"rule": "service_centre"',
            "junit": 'name="service_centre"',
        }[fmt]
        assert out.count(marker) == 4  # one per sub-district


def test_shipped_2008_sample_carries_the_service_centres() -> None:
    sample = Path(__file__).resolve().parent.parent / "samples" / "jinhua-2008.xlsx"
    report = api.check_files([sample], ruleset="zhejiang-2008")
    assert not report.failures
    groups = subdistricts(report)
    assert len(groups) == 33  # every sub-district of the community sheet, once
    assert {g.sheet for g in groups} == {"街道情况"}
    failing = [(g.district, g.name) for g in groups if g.findings[0].outcome is Outcome.FAIL]
    assert failing == [
        ("义乌市", "稠城街道"),
        ("东阳市", "城东街道"),
        ("永康市", "江南街道"),
        ("浦江县", "仙华街道"),
        ("浦江县", "浦南街道"),
    ]
    code, out = run("check", str(sample), "--rules", "zhejiang-2008", "--lang", "en")
    assert code == 1  # communities fail the 2007 standards too
    assert (
        "  Every sub-district has a community service centre: 5 sub-districts fail, 0 unknown, of 33"
        in out.splitlines()
    )
    assert "稠城街道       义乌市         ✗ 1   街道情况!16" in out


def test_summary_counts_a_waived_subdistrict_apart_in_its_district(
    tmp_path: Path, make_xlsx: WorkbookFactory
) -> None:
    import datetime as dt

    from compliance.summary import summarise
    from compliance.waivers import apply_waivers, load_waivers

    waivers = tmp_path / "w.toml"
    waivers.write_text(
        '[[waivers]]\ncommunity = "城西街道"\nrule = "service_centre"\nreason = "在建"\n'
        'approved_by = "婺城区民政局"\nexpires = 2030-01-01\n',
        encoding="utf-8",
    )
    report = api.check_files([with_column(make_xlsx)], ruleset="zhejiang-2008")
    report = apply_waivers(report, load_waivers(waivers), dt.date(2026, 1, 1))
    s = summarise(report, by="district")
    [region] = s.regions
    centre = region.rule("service_centre")
    assert (centre.communities, centre.passed, centre.failed, centre.waived, centre.unknown) == (
        4, 1, 0, 1, 2,
    )  # fmt: skip
    assert (centre.shortfall, centre.waived_shortfall) == (0, 1)
    assert s.total.rule("service_centre") == centre
    # Communities are counted as before: the sub-districts add none.
    assert (region.communities, s.total.communities) == (6, 6)


def test_a_waiver_for_a_subdistrict_waives_its_finding(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parent.parent / "samples" / "jinhua-2008.xlsx"
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(
        '[[waivers]]\ncommunity = "稠城街道"\nrule = "service_centre"\nreason = "在建"\n'
        'approved_by = "义乌市民政局"\nexpires = 2010-01-01\n',
        encoding="utf-8",
    )
    report = api.check_files([sample], ruleset="zhejiang-2008")
    waived = apply_waivers(report, load_waivers(waivers), dt.date(2008, 12, 31))
    (status,) = waived.waivers
    assert status.state is WaiverState.APPLIED
    assert [m[1] for m in status.matches] == ["service_centre"]
    before = {g.name: g.findings[0] for g in subdistricts(report)}
    after = {g.name: g.findings[0] for g in subdistricts(waived)}
    assert before["稠城街道"].outcome is Outcome.FAIL
    f = after["稠城街道"]
    assert (f.outcome, f.reason, f.shortfall) == (Outcome.WAIVED, "waived:在建", 1)
    assert f.notes[-1] == f"waiver=义乌市民政局|2010-01-01|{waivers}:1"
    # Every other sub-district is as it was.
    assert {k: v for k, v in after.items() if k != "稠城街道"} == {
        k: v for k, v in before.items() if k != "稠城街道"
    }
    counts = {c.rule: c for c in waived.counts()}["service_centre"]
    assert (counts.failed, counts.waived) == (4, 1)


def test_report_findings_of_the_subdistricts(make_xlsx: WorkbookFactory) -> None:
    path = with_column(make_xlsx)
    report = api.check_files([path], ruleset="zhejiang-2008")
    found = report.findings(subdistricts=True)
    assert found.select("source", "sheet", "row", "subdistrict", "rule", "outcome").rows() == [
        (str(path), "Sheet1", 2, "城东街道", "service_centre", "pass"),
        (str(path), "Sheet1", 4, "城西街道", "service_centre", "fail"),
        (str(path), "Sheet1", 5, "城北街道", "service_centre", "unknown"),
        (str(path), "Sheet1", 7, "城南街道", "service_centre", "unknown"),
    ]
    assert found["cells"].to_list()[1] == ["Sheet1!O4"]
    # The communities' findings hold none of them.
    assert "service_centre" not in set(report.findings()["rule"])
    # A run without rules per sub-district has none.
    plain = api.check_files([path])
    assert plain.findings(subdistricts=True).columns == found.columns
    assert plain.findings(subdistricts=True).height == 0
