"""JUnit XML: one test case per community and rule."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

from compliance import api
from compliance.render import Format, RenderOptions, get_renderer
from compliance.results import Report
from tests.conftest import HEADERS, SAMPLE, WorkbookFactory, community


def junit(report: Report, lang: str = "en") -> ET.Element:
    out = io.StringIO()
    get_renderer(Format.JUNIT)(report, RenderOptions(lang=lang), out)
    return ET.fromstring(out.getvalue().encode("utf-8"))


def test_one_test_case_per_community_and_rule() -> None:
    report = api.check_files([SAMPLE])
    root = junit(report)
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == 200 * len(report.rules)
    counts = {c.rule: c for c in report.counts()}
    failed = sum(c.failed for c in counts.values())
    unknown = sum(c.unknown for c in counts.values())
    assert len(suite.findall("testcase/failure")) == failed == int(root.attrib["failures"])
    # An unknown could not be evaluated: an error, never a pass.
    assert len(suite.findall("testcase/error")) == unknown == int(suite.attrib["errors"])
    props = {p.attrib["name"]: p.attrib["value"] for p in suite.iter("property")}
    assert props["ruleset"] == "zhejiang-2007"
    assert props["input.sha256"] == report.checks[0].source.sha256


def test_a_failure_names_the_shortfall_and_the_cells(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区", area=349.5), community("乙社区", area=None)])
    root = junit(api.check_files([path]))
    [failure] = root.findall(".//failure")
    case = root.find(".//testcase[failure]")
    assert case is not None
    assert case.attrib == {"classname": "甲社区 [Sheet1!2]", "name": "premises"}
    assert failure.attrib["message"] == "short 0.5 m² (actual 349.5, required 350)"
    assert "cells: Sheet1!E2" in (failure.text or "")
    [error] = root.findall(".//error")
    assert "Sheet1!E3" in error.attrib["message"]
    zh = junit(api.check_files([path]), lang="zh")
    assert zh.findall(".//failure")[0].attrib["message"].startswith("缺口 0.5")


def test_unreadable_input_is_an_errored_suite_and_control_characters_are_dropped(
    tmp_path: Path,
) -> None:
    # A control character (possible in CSV, never valid in XML) in a community name.
    path = tmp_path / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADERS, community("甲\x01社区", area=300)])
    root = junit(api.check_files([path, tmp_path / "nope.xlsx"]))
    suites = root.findall("testsuite")
    assert [s.attrib["name"].endswith("nope.xlsx") for s in suites] == [False, True]
    assert suites[1].find("testcase/error") is not None
    assert root.attrib["errors"] == "1"
    assert any(c.attrib["classname"].startswith("甲\ufffd社区") for c in root.iter("testcase"))


def test_a_skipped_finding_without_a_reason_says_its_outcome(
    make_xlsx: WorkbookFactory,
) -> None:
    import dataclasses

    import polars as pl

    report = api.check_files([make_xlsx([community("甲社区", area=300)])])
    check = report.checks[0]
    table = check.table
    # A shortfall waived with no reason recorded: the message is the outcome in words.
    premises = (pl.col("_rec") == 0) & (pl.col("rule") == "premises")
    outcomes = table.outcomes.with_columns(
        pl.when(premises).then(pl.lit("waived")).otherwise(pl.col("outcome")).alias("outcome"),
        pl.when(premises).then(pl.lit("")).otherwise(pl.col("reason")).alias("reason"),
    )
    check = dataclasses.replace(check, table=table.amend(outcomes))
    report = dataclasses.replace(report, checks=(check,))
    for lang, said in (("en", "waived"), ("zh", "已豁免")):
        [case] = [c for c in junit(report, lang).iter("testcase") if c.attrib["name"] == "premises"]
        [skipped] = case.findall("skipped")
        assert skipped.attrib["type"] == "waived"
        assert skipped.attrib["message"] == said
