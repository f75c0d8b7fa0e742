"""The HTML report: self-contained, escaped, bilingual, with every section the office
needs; written by check, summary and progress through the CLI."""

from __future__ import annotations

import hashlib
import io
import re
from html import escape as html_escape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance import api
from compliance.cli import app
from compliance.render import (
    Format,
    RenderOptions,
    get_progress_renderer,
    get_renderer,
    get_summary_renderer,
)
from compliance.render.html import render, render_summary
from compliance.results import Report
from compliance.summary import summarise
from tests.conftest import SAMPLE, WorkbookFactory
from tests.datasets import five_communities

runner = CliRunner()
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;'


@pytest.fixture
def report(make_xlsx: WorkbookFactory) -> Report:
    return api.check_files([make_xlsx(five_communities())])


def page(report: Report, lang: str = "zh") -> str:
    out = io.StringIO()
    render(report, RenderOptions(lang=lang), out)
    return out.getvalue()


def test_self_contained(report: Report) -> None:
    html = page(report)
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    # Nothing is loaded from anywhere: no src attribute, no href but a link within the
    # page (the contents list's "#d1"), no CSS url() or @import.
    assert not re.search(r"\bsrc\s*=", html, re.I)
    assert re.findall(r"\bhref\s*=\s*\"([^\"]*)\"", html, re.I) == re.findall(
        r"href=\"(#d\d+|#subdistricts)\"", html
    )
    assert not re.search(r"\bhref\s*=\s*[^\"]", html, re.I)
    assert "url(" not in html and "@import" not in html
    # The only URL is the SVG namespace, which is a name, not a fetch.
    urls = set(re.findall(r"https?://[^\"' ]+", html))
    assert urls == {"http://www.w3.org/2000/svg"}
    assert "default-src 'none'" in html
    assert '<meta name="viewport"' in html


def test_prints_on_a4_without_cutting_charts(report: Report) -> None:
    html = page(report)
    assert "@page{size:A4" in html
    media = html[html.index("@media print") :]
    assert "break-inside:avoid" in media
    assert re.search(r"figure,svg[^{]*\{break-inside:avoid", media)
    # Responsive: a phone gets its own layout.
    assert "@media (max-width:640px)" in html


def test_hostile_cells_are_escaped(make_xlsx: WorkbookFactory) -> None:
    report = api.check_files([make_xlsx(five_communities(name_4=HOSTILE))])
    html = page(report)
    assert HOSTILE not in html
    assert "<img" not in html and "<script" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x" in html
    # An ampersand in the data is escaped again, never taken for an entity.
    assert "&amp;amp;" in html


def test_scorecard_counts_and_shares(report: Report) -> None:
    html = page(report, "en")
    sc = html[html.index('id="scorecard"') : html.index('id="regions"')]
    premises = sc[sc.index("Premises") : sc.index("</tr>", sc.index("Premises"))]
    cells = re.findall(r'<td class="n">(.*?)</td>', premises)
    text = [re.sub(r"<[^>]+>", "", c) for c in cells]
    # pass, fail, unknown, waived, not yet due, n/a, shortfall
    assert text[:7] == ["2 (40.0%)", "2 (40.0%)", "1 (20.0%)", "0", "0", "0", "50.50 m²"]
    assert "<svg" in premises  # the stacked bar
    tiles = re.findall(r'<div class="tile[^"]*"><b>([\d,]+)</b>', html)
    assert tiles == ["5", "1", "2", "2"]


def test_regions_table_with_bars(report: Report) -> None:
    html = page(report, "en")
    regions = html[html.index('id="regions"') : html.index('id="short"')]
    assert "婺城区" in regions and "金东区" in regions
    total = regions[regions.index('<tr class="total">') :]
    assert re.sub(r"<[^>]+>", "|", total).count("50.5") == 1
    assert regions.count("<svg") >= 6  # a meter per row and two charts
    assert "Compliance rate by district" in regions
    assert "Premises shortfall by district (m²)" in regions


def test_short_communities_with_shortfalls_and_cells(report: Report) -> None:
    html = page(report, "zh")
    short = html[html.index('id="short"') : html.index('id="problems"')]
    assert "丁社区" in short and "甲社区" in short and "丙社区" not in short
    assert "短 50 m²（需 ≥ 350）" in short
    assert "少 1 人（2150 户需 6 人，向上取整）" in short
    assert "少 2 人（需 ≥ 5）" in short  # pension: 3 of 5 insured
    assert re.search(r'<span class="cell">Sheet1!E\d</span>', short)
    # Failing communities come before unknown ones.
    assert short.index("甲社区") < short.index("乙社区")
    en = page(report, "en")
    assert "1 worker short (2150 households need 6, rounded up)" in en
    assert "short 50 m² (needs ≥ 350)" in en


def test_data_problems(report: Report) -> None:
    html = page(report, "en")
    problems = html[html.index('id="problems"') : html.index('id="ruleset"')]
    assert "待核实" in problems
    assert "戊社区" in problems


def test_ruleset_citations_interpretations_and_remediation(report: Report) -> None:
    html = page(report, "zh")
    rs = html[html.index('id="ruleset"') : html.index('id="provenance"')]
    assert "争取用三年时间，使全省各社区的工作服务用房面积基本达到350平方米以上" in rs
    assert "解释口径" in rs and "ceil" in rs
    assert "整改建议" in rs
    rule = report.ruleset.rule("premises")
    assert rule.remediation_zh and rule.remediation_zh in rs
    en = page(report, "en")
    assert html_escape(rule.remediation_en) in en


def test_provenance(report: Report) -> None:
    html = page(report, "en")
    prov = html[html.index('id="provenance"') :]
    source = report.checks[0].source
    assert hashlib.sha256(Path(source.path).read_bytes()).hexdigest() in prov
    assert report.ruleset.sha256 and report.ruleset.sha256 in prov
    assert "compliance " in prov and "zhejiang-2007 2007.1" in prov


def test_language_follows_lang(report: Report) -> None:
    zh, en = page(report, "zh"), page(report, "en")
    assert '<html lang="zh-CN">' in zh and "各项标准计分卡" in zh
    assert '<html lang="en">' in en and "Scorecard by standard" in en
    # Chinese first: the English heading stands beside the Chinese one, smaller.
    assert "各项标准计分卡<small>Scorecard by standard</small>" in zh


def test_long_lists_are_cut_and_say_where_the_rest_are(report: Report) -> None:
    """Each district lists its worst in full, then every other one by name and row:
    no community that falls short is out of reach."""
    from compliance.render.html import communities

    html = communities.short_list(report, "en", per_district=1)
    assert html.count("<tr>") == 4  # per district: the header and one community
    assert html.count("1 more of this district, not detailed above") == 2
    for name in ("甲社区", "乙社区", "丁社区", "戊社区"):
        assert name in html
    # Worst first within a district: 丁 (four standards short) in full, 戊 (unknown) named.
    assert html.index("丁社区") < html.index("戊社区")
    assert "戊社区 (Sheet1 row 6, ✗0 ?1)" in html
    # The contents list links to each district.
    assert '<a href="#d1">' in html and '<a href="#d2">' in html
    assert html.count('<h3 id="d') == 2


def test_registries() -> None:
    assert get_renderer(Format.HTML) is render
    assert get_summary_renderer(Format.HTML) is render_summary
    from compliance.render.html import render_progress

    assert get_progress_renderer(Format.HTML) is render_progress


def test_summary_page_keeps_its_grouping(report: Report) -> None:
    out = io.StringIO()
    render_summary(summarise(report, by="subdistrict"), report, RenderOptions(lang="en"), out)
    html = out.getvalue()
    assert "By sub-district" in html and "多湖街道" in html
    assert "shortfall summary" in html


def test_cli_check_summary_progress(five_path: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(five_path), "-f", "html", "--lang", "en"])
    assert result.exit_code == 1
    assert result.stdout.startswith("<!DOCTYPE html>")
    out = tmp_path / "s.html"
    result = runner.invoke(app, ["summary", str(five_path), "-f", "html", "-o", str(out)])
    assert result.exit_code == 1
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
    prog = tmp_path / "p.html"
    result = runner.invoke(
        app,
        ["progress", str(SAMPLE), str(five_path), "-f", "html", "-o", str(prog), "--lang", "zh"],
    )
    assert result.exit_code in (0, 1), result.stderr
    text = prog.read_text("utf-8")
    assert "各地区进度" in text and "<svg" in text and "SHA-256" in text
    assert re.search(r'stroke-dasharray="4 3"/><text [^>]*>目标 70.0%</text>', text)


@pytest.fixture
def five_path(make_xlsx: WorkbookFactory) -> Path:
    return make_xlsx(five_communities())


# Remediation text (rule-file fields shown by every report that lists failures).


def test_remediation_fields_load_and_default_to_empty(tmp_path: Path) -> None:
    from compliance.rules.loader import load_ruleset

    shipped = load_ruleset("zhejiang-2007")
    assert all(r.remediation_zh and r.remediation_en for r in shipped.rules)
    own = tmp_path / "own.toml"
    own.write_text(
        '[ruleset]\nid = "own"\nversion = "1"\ntitle_zh = "自定"\ntitle_en = "Own"\n'
        '[[rules]]\nid = "premises"\ntitle_zh = "用房"\ntitle_en = "Premises"\n'
        'citation = "原文"\nunit = "m2"\nmeasure = "premises_area"\nrequire = "350"\n'
        'remediation_zh = "补足用房"\n'
        '[[rules]]\nid = "staffing"\ntitle_zh = "人员"\ntitle_en = "Staff"\n'
        'citation = "原文"\nunit = "workers"\nmeasure = "full_time_workers"\nrequire = "5"\n',
        encoding="utf-8",
    )
    rs = load_ruleset(own)
    assert rs.rule("premises").remediation_zh == "补足用房"
    assert rs.rule("premises").remediation_en == ""
    assert rs.rule("staffing").remediation_zh == ""


def test_details_end_with_what_to_do(five_path: Path) -> None:
    result = runner.invoke(
        app, ["check", str(five_path), "--details", "--lang", "en"], env={"COLUMNS": "400"}
    )
    rule = api.load_ruleset("zhejiang-2007").rule("premises")
    assert f"Premises · what to do: {rule.remediation_en}" in result.stdout
    # Medical insurance fails nowhere: no advice for it.
    assert "Medical · what to do" not in result.stdout
