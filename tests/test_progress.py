"""`compliance progress`: matching two snapshots and the closed share of the gap."""

from __future__ import annotations

import csv
import io
import json
from html import escape as html_escape
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from compliance import api
from compliance.cli import app
from compliance.errors import UsageError
from compliance.progress import Change, Trend, compare
from tests.conftest import HEADERS, WorkbookFactory, community

REPO = Path(__file__).resolve().parent.parent
CODE_HEADERS = ["社区代码", *HEADERS]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout


def rows(spec: list[tuple[str | None, str, str, float | str | None]]) -> list[list[object]]:
    """(code, name, district, area) -> a row under CODE_HEADERS."""
    return [[code, *community(name, district=d, area=area)] for code, name, d, area in spec]


@pytest.fixture
def snapshots(make_xlsx: WorkbookFactory) -> tuple[Path, Path]:
    # 婺城区: 甲 300 -> 350 (closes 50), 乙 250 -> 310 (closes 60 of 100), 丙 passes -> 340
    # (newly fails, +10), 丁 disappears (gap 50), 己 appears (gap 20).
    # 金东区: 戊 has no code in the current return (matched by name), 200 -> 290 (90 of 150);
    # 庚 is unknown in the current snapshot.
    baseline = make_xlsx(
        rows(
            [
                ("001", "甲社区", "婺城区", 300),
                ("002", "乙社区", "婺城区", 250),
                ("003", "丙社区", "婺城区", 400),
                ("004", "丁社区", "婺城区", 300),
                ("005", "戊社区", "金东区", 200),
                ("006", "庚社区", "金东区", 100),
            ]
        ),
        CODE_HEADERS,
        name="2007.xlsx",
    )
    current = make_xlsx(
        rows(
            [
                ("001", "甲社区", "婺城区", 350),
                ("002", "乙社区", "婺城区", 310),
                ("003", "丙社区", "婺城区", 340),
                (None, "戊社区", "金东区", 290),
                ("006", "庚社区", "金东区", "待核实"),
                ("007", "己社区", "婺城区", 330),
            ]
        ),
        CODE_HEADERS,
        name="2008.xlsx",
    )
    return baseline, current


def test_figures_by_region_and_in_total(snapshots: tuple[Path, Path]) -> None:
    b, c = (api.check_files([p]) for p in snapshots)
    p = compare(b, c)
    assert (p.rule.id, p.target, p.target_parameter, p.due) == (
        "premises",
        0.7,
        "interim_gap_share",
        "2008-12-31",
    )
    assert p.by is not None and p.by.value == "district"
    wucheng, jindong = p.regions
    assert wucheng.key == ("婺城区",)
    # Matched and known in both: 甲 50 -> 0, 乙 100 -> 40, 丙 0 -> 10.
    assert (wucheng.matched, wucheng.baseline_gap, wucheng.current_gap) == (3, 150, 50)
    assert wucheng.closed == 100
    assert wucheng.closed_share == pytest.approx(100 / 150)
    assert wucheng.met is False
    assert wucheng.still_to_close == pytest.approx(5)  # 50 - 0.3 * 150
    assert (wucheng.newly_compliant, wucheng.newly_failing, wucheng.still_failing) == (1, 1, 1)
    assert (wucheng.appeared, wucheng.disappeared) == (1, 1)
    assert (wucheng.appeared_gap, wucheng.disappeared_gap) == (20, 50)
    # 戊 matched by name: 150 -> 60; 庚 unknown now, so out of the figures.
    assert (jindong.matched, jindong.baseline_gap, jindong.current_gap) == (2, 150, 60)
    assert jindong.closed_share == pytest.approx(0.6)
    assert jindong.unknown == 1
    total = p.total
    assert (total.baseline_gap, total.current_gap, total.closed) == (300, 110, 190)
    assert total.closed_share == pytest.approx(190 / 300)
    assert total.met is False
    assert (p.matched_by_id, p.matched_by_name) == (4, 1)
    changes = {c.name: c.change for c in p.changes}
    assert changes == {
        "甲社区": Change.NEWLY_COMPLIANT,
        "乙社区": Change.STILL_FAILING,
        "丙社区": Change.NEWLY_FAILING,
        "丁社区": Change.DISAPPEARED,
        "戊社区": Change.STILL_FAILING,
        "庚社区": Change.UNKNOWN,
        "己社区": Change.APPEARED,
    }


def test_target_and_rule_can_be_given(snapshots: tuple[Path, Path]) -> None:
    b, c = (api.check_files([p]) for p in snapshots)
    p = compare(b, c, target=0.6, by="district")
    assert p.target_parameter is None
    assert p.total.met is True
    assert [r.met for r in p.regions] == [True, True]
    with pytest.raises(UsageError, match="must be a share"):
        compare(b, c, target=70)
    with pytest.raises(UsageError, match="no target for rule 'staffing'"):
        compare(b, c, rule="staffing")
    assert compare(b, c, rule="staffing", target=0.5).rule.id == "staffing"


def test_no_gap_in_the_baseline(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx(rows([("001", "甲社区", "婺城区", 400)]), CODE_HEADERS)
    report = api.check_files([path])
    p = compare(report, report)
    assert p.total.closed_share is None
    assert p.total.met is None


def test_cli_table(snapshots: tuple[Path, Path]) -> None:
    code, out = run("progress", *map(str, snapshots), "--lang", "en")
    assert code == 1  # 63.3% < 70%
    assert (
        "In total: 190 of 300 m² closed (63.3%), 110 m² remain; target 70.0%: not met, 20 m² short of it"
        in out
    )
    assert (
        "Matched 4 communities by code and 1 by name and sub-district; 1 appeared (gap 20 m²), "
        in out
    )
    assert "Newly fail (1): 丙社区 (婺城区)" in out
    assert "Disappeared (1): 丁社区 (婺城区)" in out
    code, _ = run("progress", *map(str, snapshots), "--target", "0.6")
    assert code == 0


def test_cli_json_csv_markdown(snapshots: tuple[Path, Path]) -> None:
    code, out = run("progress", *map(str, snapshots), "-f", "json")
    doc = json.loads(out)
    assert doc["exit_code"] == code == 1
    assert doc["total"]["closed"] == 190
    assert doc["target"] == {"share": 0.7, "parameter": "interim_gap_share", "due": "2008-12-31"}
    wu = next(c for c in doc["communities"] if c["name"] == "戊社区")
    assert wu["matched_by"] == "name"
    assert (wu["baseline_gap"], wu["current_gap"]) == (150, 60)
    _, out = run("progress", *map(str, snapshots), "-f", "csv", "--lang", "en")
    table = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert table[0][:7] == [
        "District", "Matched", "Baseline gap (m²)", "Current gap (m²)", "Closed (m²)",
        "Closed share (%)", "Target (%)",
    ]  # fmt: skip
    assert table[3][:8] == ["Total", "5", "300", "110", "190", "63.3", "70.0", "0"]
    assert table[4] == []
    assert table[5][:4] == ["Standard", "Newly comply", "Newly fail", "Still fail"]
    assert table[6] == ["Premises", "1", "1", "2", "2", "0", "0", "0", "1"]
    _, out = run("progress", *map(str, snapshots), "-f", "markdown", "--lang", "en")
    assert "| 婺城区 | 3 | 150 | 50 | 100 | 66.7% | 70.0% | ✗ | 5 |" in out


def test_cli_xlsx_has_a_chart_of_closed_share_against_target(
    snapshots: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "progress.xlsx"
    code, _ = run("progress", *map(str, snapshots), "-f", "xlsx", "-o", str(out), "--lang", "en")
    assert code == 1
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "进度 Progress",
        "社区变化 Changes",
        "按标准 By standard",
        "大起大落 Swings",
    ]
    ws = wb.worksheets[0]
    (chart,) = ws._charts
    assert [s.tx.strRef.f for s in chart.series] == ["'进度 Progress'!F10", "'进度 Progress'!G10"]
    assert [c.value for c in ws[10]][:7] == [
        "District", "Matched", "Baseline gap (m²)", "Current gap (m²)", "Closed (m²)",
        "Closed share", "Target",
    ]  # fmt: skip
    assert [c.value for c in ws[13]][:8] == [
        "Total",
        5,
        300,
        110,
        190,
        pytest.approx(190 / 300),
        0.7,
        "✗",
    ]
    changes = wb.worksheets[1]
    assert changes.max_row == 1 + 7


def test_cli_xlsx_needs_output(snapshots: tuple[Path, Path]) -> None:
    code, _ = run("progress", *map(str, snapshots), "-f", "xlsx")
    assert code == 2


def test_sample_snapshots() -> None:
    b = api.check_files([REPO / "samples" / "jinhua-2007.xlsx"])
    c = api.check_files([REPO / "samples" / "jinhua-2008.xlsx"])
    p = compare(b, c)
    assert (p.total.matched, p.total.appeared, p.total.disappeared) == (198, 2, 2)
    assert (p.matched_by_id, p.matched_by_name) == (195, 3)
    assert p.total.baseline_gap == pytest.approx(6302.01)
    assert p.total.current_gap == pytest.approx(1619)
    assert round(p.total.closed_share or 0, 3) == 0.743
    assert p.total.met is True
    assert [r.name for r in p.regions if r.met is False] == ["东阳市", "浦江县"]


def test_sample_generator_is_reproducible(tmp_path: Path) -> None:
    import runpy

    module = runpy.run_path(str(REPO / "samples" / "make_progress_sample.py"))
    out = tmp_path / "jinhua-2008.xlsx"
    module["build"](out)
    assert out.read_bytes() == (REPO / "samples" / "jinhua-2008.xlsx").read_bytes()


def test_every_standard_per_community(snapshots: tuple[Path, Path]) -> None:
    b, c = (api.check_files([p]) for p in snapshots)
    p = compare(b, c)
    assert [r.id for r in p.standard_rules][:3] == ["premises", "staffing", "pay"]
    by_name = {ch.name: ch for ch in p.changes}
    yi = by_name["乙社区"].standard("premises")
    assert yi is not None
    assert (yi.change, yi.trend, yi.baseline_shortfall, yi.current_shortfall) == (
        Change.STILL_FAILING,
        Trend.IMPROVED,
        100,
        40,
    )
    bing = by_name["丙社区"].standard("premises")
    assert bing is not None and (bing.change, bing.trend) == (Change.NEWLY_FAILING, None)
    staffing = by_name["甲社区"].standard("staffing")
    assert staffing is not None and staffing.change is Change.STILL_COMPLIANT
    assert by_name["丁社区"].standards == ()  # disappeared: nothing to compare
    assert by_name["庚社区"].standard("premises").change is Change.UNKNOWN  # type: ignore[union-attr]
    assert p.standard_counts("premises") == {
        "newly_compliant": 1,
        "newly_failing": 1,
        "still_failing": 2,
        "improved": 2,
        "unknown": 1,
    }


def _trend_snapshots(make_xlsx: WorkbookFactory) -> tuple[Path, Path]:
    # 甲: 1900 -> 2300 households with 5 workers: staffing newly fails (needs 6).
    # 乙: premises 900 -> 360 m² (-60%): a swing, still compliant.
    # 丙: 4 -> 5 workers, premises 300 -> 350: both newly comply.
    # 丁: pay 2000 -> 1800 a month: pay still fails, worse.
    def book(spec: list[dict[str, object]], name: str) -> Path:
        return make_xlsx(
            [[code, *community(n, **kw)] for code, n, kw in spec],  # type: ignore[arg-type]
            CODE_HEADERS,
            name=name,
            sheet="社区情况",
        )

    five = {"workers": 5, "insured": (5,) * 6}
    four = {"workers": 4, "insured": (4,) * 6}
    baseline = book(
        [
            ("001", "甲社区", {"households": 1900, **five}),
            ("002", "乙社区", {"area": 900, "district": "金东区"}),
            ("003", "丙社区", {"area": 300, **four}),
            ("004", "丁社区", {"monthly": 2000}),
        ],
        "2007.xlsx",
    )
    current = book(
        [
            ("001", "甲社区", {"households": 2300, **five}),
            ("002", "乙社区", {"area": 360, "district": "金东区"}),
            ("003", "丙社区", {"area": 350, **five}),
            ("004", "丁社区", {"monthly": 1800}),
        ],
        "2008.xlsx",
    )
    return baseline, current


def test_cli_lists_a_newly_failing_standard_and_a_swing(make_xlsx: WorkbookFactory) -> None:
    b, c = _trend_snapshots(make_xlsx)
    code, out = run("progress", str(b), str(c), "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    at = lines.index("Changes by standard")
    assert lines[at + 4 : at + 7] == [
        "Premises         1       0       0          0          0           0        3         0",
        "Staff            1       1       0          0          0           0        2         0",
        "Pay              0       0       1          0          1           0        3         0",
    ]
    assert "Staff · Newly fail (1): 甲社区 (婺城区)" in lines
    assert "Pay · still failing and worse (1): 丁社区 (婺城区)" in lines
    at = lines.index("Swings")
    assert lines[at + 1 :] == [
        "  Premises area, full-time workers and households that moved by more than 50.0% of the "
        "baseline; each needs a written explanation.",
        "  社区情况!F3: 乙社区: premises area went from 900 to 360 m² (-60.0%, more than 50%); "
        "please explain: baseline 2007.xlsx 社区情况!F3, current 2008.xlsx 社区情况!F3",
    ]
    # A higher threshold: no swing.
    _, out = run("progress", str(b), str(c), "--lang", "en", "--swing", "0.7")
    assert "No figure moved by more than 70.0%." in out
    code, _ = run("progress", str(b), str(c), "--swing", "0")
    assert code == 2


def test_json_words_for_standards_and_swings(make_xlsx: WorkbookFactory) -> None:
    b, c = _trend_snapshots(make_xlsx)
    code, out = run("progress", str(b), str(c), "-f", "json")
    doc = json.loads(out)
    assert code == doc["exit_code"] == 0
    assert doc["gap_closure"] == "net" and doc["swing_share"] == 0.5
    assert doc["standards"]["staffing"] == {
        "newly_compliant": 1,
        "newly_failing": 1,
        "still_failing": 0,
        "improved": 0,
        "worsened": 0,
        "unchanged": 0,
        "still_compliant": 2,
        "unknown": 0,
    }
    (swing,) = doc["swings"]
    assert (swing["code"], swing["field"], swing["raw"]) == ("swing", "premises_area", "900 -> 360")
    assert swing["cells"] == {"baseline": "社区情况!F3", "current": "社区情况!F3"}
    ding = next(x for x in doc["communities"] if x["name"] == "丁社区")
    pay = next(s for s in ding["standards"] if s["rule"] == "pay")
    assert (pay["change"], pay["shortfall_change"]) == ("still_failing", "worsened")
    assert pay["current_shortfall"] > pay["baseline_shortfall"] > 0
    yi = next(x for x in doc["communities"] if x["name"] == "乙社区")
    assert yi["swings"] == [swing]


def test_other_formats_show_standards_and_swings(
    make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    b, c = _trend_snapshots(make_xlsx)
    _, out = run("progress", str(b), str(c), "-f", "markdown", "--lang", "zh")
    assert "## 按标准的变化" in out and "## 大起大落" in out
    assert "| 人员 | 1 | 1 | 0 | 0 | 0 | 0 | 2 | 0 |" in out
    assert "- 人员 · 新未达标（1）：甲社区（婺城区）" in out
    _, out = run("progress", str(b), str(c), "-f", "csv", "--lang", "en")
    table = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert ["婺城区", "001", "甲社区", "Staff", "Newly fail", "", "0", "1"] in table
    assert ["婺城区", "004", "丁社区", "Pay", "Still fail", "worsened", "2647", "5047"] in table
    assert table[-1][:3] == ["Premises area", "社区情况!F3", "社区情况!F3"]
    path = tmp_path / "p.xlsx"
    run("progress", str(b), str(c), "-f", "xlsx", "-o", str(path), "--lang", "en")
    wb = load_workbook(path)
    by_standard, swings = wb.worksheets[2], wb.worksheets[3]
    assert [x.value for x in by_standard[3]] == ["Staff", 1, 1, 0, 0, 0, 0, 2, 0]
    assert [x.value for x in swings[4]][:3] == ["Premises area", "社区情况!F3", "社区情况!F3"]


def test_gap_closure_net_or_gross(snapshots: tuple[Path, Path], tmp_path: Path) -> None:
    b, c = (api.check_files([p]) for p in snapshots)
    net = compare(b, c)
    gross = compare(b, c, gap_closure="gross")
    # 丙 lost 10 m² (0 -> 10 gap): net takes it off, gross ignores it.
    assert (net.total.closed, gross.total.closed) == (190, 200)
    assert gross.total.closed_share == pytest.approx(200 / 300)
    assert gross.total.still_to_close == pytest.approx(10)  # 0.7 * 300 - 200
    assert net.total.still_to_close == pytest.approx(20)
    with pytest.raises(UsageError, match="net or gross"):
        compare(b, c, gap_closure="half")
    # The rule-set parameter, printed under Interpretation choices.
    rules = tmp_path / "gross.toml"
    rules.write_text(
        'format = 1\n[ruleset]\nid = "gross"\nversion = "1"\nextends = "zhejiang-2007"\n'
        '[parameters.gap_closure]\nvalue = "gross"\n',
        encoding="utf-8",
    )
    code, out = run("progress", *map(str, snapshots), "--rules", str(rules), "--lang", "en")
    assert code == 1  # 66.7% < 70%
    # Gross: 300 − 200 closed + 10 grown = 110 remain; the sentence adds up.
    assert (
        "In total (gross): 200 of 300 m² closed (66.7%), and gaps that grew added 10 m², "
        "so 110 m² remain; target 70.0%: not met, 10 m² short of it"
    ) in " ".join(out.split())
    _, zh = run("progress", *map(str, snapshots), "--rules", str(rules), "--lang", "zh")
    assert (
        "合计（按总额计）：基期缺口300平方米，已解决200平方米（66.7%），另有缺口扩大10平方米，"
        "现期缺口110平方米"
    ) in "".join(zh.split())
    assert "Gap-closure share = gross: " in out
    code, out = run("progress", *map(str, snapshots), "--gap-closure", "gross", "-f", "json")
    doc = json.loads(out)
    assert code == doc["exit_code"] == 1
    assert (doc["gap_closure"], doc["total"]["closed"], doc["total"]["closed_net"]) == (
        "gross",
        200,
        190,
    )


def test_sample_swings_in_full_in_json_and_capped_in_the_table() -> None:
    b = api.check_files([REPO / "samples" / "jinhua-2007.xlsx"])
    c = api.check_files([REPO / "samples" / "jinhua-2008.xlsx"])
    p = compare(b, c)
    assert len(p.swings) > 20
    assert {s.code for s in p.swings} == {"swing"}
    hu = next(s for s in p.swings if "胜利社区" in s.message_zh)
    assert (hu.field, hu.raw, hu.cells) == (
        "premises_area",
        "700 -> 320",
        ("社区情况!I48", "社区情况!I47"),
    )
    assert p.standard_counts("premises")["newly_failing"] == 4
    code, out = run(
        "progress", *(str(REPO / "samples" / f) for f in ("jinhua-2007.xlsx", "jinhua-2008.xlsx"))
    )
    assert code == 0
    assert out.rstrip().splitlines()[-1] == f"  {len(p.swings) - 20} more: see --format json"


@pytest.mark.parametrize(
    ("lang", "heading", "row", "swing", "choice"),
    [
        (
            "zh",
            "<h2>按标准的变化<small>Changes by standard</small></h2>",
            '<td>人员</td><td class="n">1</td><td class="n">1</td>',
            "乙社区：用房面积由 900 变为 360 平方米（-60.0%，超过 50%），大起大落，请说明：基期 "
            "2007.xlsx 社区情况!F3，本期 2008.xlsx 社区情况!F3",
            "用房缺口解决比例口径 = gross: ",
        ),
        (
            "en",
            "<h2>Changes by standard<small>按标准的变化</small></h2>",
            '<td>Staff</td><td class="n">1</td><td class="n">1</td>',
            "乙社区: premises area went from 900 to 360 m² (-60.0%, more than 50%); please "
            "explain: baseline 2007.xlsx 社区情况!F3, current 2008.xlsx 社区情况!F3",
            "Gap-closure share = gross: ",
        ),
    ],
)
def test_html_has_what_the_terminal_has(
    make_xlsx: WorkbookFactory,
    tmp_path: Path,
    lang: str,
    heading: str,
    row: str,
    swing: str,
    choice: str,
) -> None:
    """Defect 5: the page shows the changes by standard, the swings and the net/gross
    choice; the format comes from -o's extension; the header names files, not folders."""
    b, c = _trend_snapshots(make_xlsx)
    page = tmp_path / "progress.html"
    args = ("progress", str(b), str(c), "-o", str(page), "--lang", lang, "--gap-closure", "gross")
    code, _ = run(*args)
    assert code == 0
    html = page.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert heading in html and row in html
    assert f"<td>{html_escape(swing)}</td>" in html
    assert html_escape(choice) in html
    head = html[html.index("<header") : html.index("</header>")]
    assert "2007.xlsx" in head and str(tmp_path) not in head
    # The region table's headers may wrap, so that it fits the width of A4.
    assert '<div class="scroll tight"><table>' in html
    code, _ = run("progress", str(b), str(c), "-o", str(tmp_path / "progress.pdf"))
    assert code == 2


def test_matching_by_code_then_by_name_in_baseline_order(make_xlsx: WorkbookFactory) -> None:
    # 003 has a new code in the current return, so it falls back to its name; the
    # pairs follow the baseline's order, then the current rows no baseline row took.
    baseline = make_xlsx(
        rows(
            [
                ("001", "甲社区", "婺城区", 300),
                ("002", "乙社区", "婺城区", 250),
                ("003", "丙社区", "婺城区", 400),
            ]
        ),
        CODE_HEADERS,
        name="b.xlsx",
    )
    current = make_xlsx(
        rows(
            [
                ("001", "甲二社区", "婺城区", 350),
                ("009", "丙社区", "婺城区", 300),
                ("002", "乙社区", "婺城区", 260),
                ("010", "丁社区", "婺城区", 100),
            ]
        ),
        CODE_HEADERS,
        name="c.xlsx",
    )
    p = compare(api.check_files([baseline]), api.check_files([current]), by="district")
    assert p.duplicates == ()
    got = [(c.name, c.matched_by, c.change.value, c.baseline_gap, c.current_gap) for c in p.changes]
    assert got == [
        ("甲二社区", "id", "newly_compliant", 50.0, 0.0),
        ("乙社区", "id", "still_failing", 100.0, 90.0),
        ("丙社区", "name", "newly_failing", 0.0, 50.0),
        ("丁社区", "", "appeared", None, 250.0),
    ]
    assert [(c.baseline.row if c.baseline else None, c.current.row if c.current else None)
            for c in p.changes] == [(2, 2), (3, 4), (4, 3), (None, 5)]  # fmt: skip
    assert [c.region for c in p.changes] == [("婺城区",)] * 4
