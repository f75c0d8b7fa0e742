"""Hostile text in every output format, and faults of stdout, through the command line.

A community or sub-district name may hold U+FFFE or U+FFFF (which XML, and so
xlsx, junit and a Markdown viewer, cannot hold), or hide a formula behind a
character that shows nothing (``\\ufeff=1+1``). Every report must stay readable
and inert; data formats (JSON, JSON Lines, Parquet) keep the text as it was.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.dom.minidom
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from compliance.cli import app
from compliance.render.safety import FORMULA_START
from tests.conftest import HEADERS, community
from tests.security.test_hostile_set import assert_refused, run_cli

runner = CliRunner()

#: Names a hostile return might hold, and the sub-district of the first.
NONCHARACTERS = "坏\ufffe名\uffff社区"
HIDDEN_FORMULAS = ("\ufeff=1+1", "\u200b@SUM(A1)", "\u2060+2")
SUBDISTRICT = "城\ufffe东街道"
_BAD = re.compile("[\ufffe\uffff]")


@pytest.fixture
def hostile_csv(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    rows = [community(NONCHARACTERS, area=100, subdistrict=SUBDISTRICT)]
    rows += [community(name, area=100) for name in HIDDEN_FORMULAS]
    rows.append(community("正常社区", area=500))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


def _run(*args: str) -> None:
    result = runner.invoke(app, [*args, "-q"], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output


def _xlsx_texts(path: Path) -> list[tuple[str, bool]]:
    """Every text cell of a workbook (which openpyxl must be able to open) and
    whether it has Excel's quote prefix."""
    wb = openpyxl.load_workbook(path)
    return [
        (cell.value, bool(cell.quotePrefix))
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("check", "-f", "xlsx"),
        ("summary", "-f", "xlsx", "--by", "subdistrict"),
        ("annotate",),
    ],
    ids=["check", "summary", "annotate"],
)
def test_workbooks_open_and_hold_no_formula(
    hostile_csv: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    out = tmp_path / "out.xlsx"
    _run(args[0], str(hostile_csv), *args[1:], "-o", str(out))
    texts = _xlsx_texts(out)
    assert not any(_BAD.search(text) for text, _ in texts)
    if args[0] != "summary":  # the summary sheets name regions, not communities
        assert ("坏\ufffd名\ufffd社区", False) in texts
        for name in HIDDEN_FORMULAS:
            assert (name, True) in texts  # stored as text, with the quote prefix
    else:
        assert any("城\ufffd东街道" in text for text, _ in texts)


@pytest.mark.parametrize("layout", ["wide", "long"])
def test_csv_guards_a_formula_behind_an_invisible_character(
    hostile_csv: Path, tmp_path: Path, layout: str
) -> None:
    out = tmp_path / "out.csv"
    _run("check", str(hostile_csv), "--csv-layout", layout, "-o", str(out))
    with out.open(encoding="utf-8-sig", newline="") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    for name in HIDDEN_FORMULAS:
        assert "'" + name in cells
        assert name not in cells
    assert not any(re.match(FORMULA_START, c) for c in cells if not _is_number(c))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_summary_csv_guards_region_names(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        writer.writerow(community("甲社区", area=100, subdistrict="\ufeff=1+1"))
    out = tmp_path / "out.csv"
    _run("summary", str(path), "--by", "subdistrict", "-o", str(out))
    with out.open(encoding="utf-8-sig", newline="") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    assert "'\ufeff=1+1" in cells and "\ufeff=1+1" not in cells


@pytest.mark.parametrize(
    ("args", "suffix"),
    [
        (("check", "-f", "markdown"), "md"),
        (("check", "-f", "html"), "html"),
        (("check", "-f", "junit"), "xml"),
        (("check", "-f", "table", "--all", "--details"), "txt"),
        (("summary", "-f", "markdown", "--by", "subdistrict"), "md"),
        (("summary", "-f", "html", "--by", "subdistrict"), "html"),
        (("summary", "-f", "table", "--by", "subdistrict"), "txt"),
    ],
    ids=lambda v: "-".join(v) if isinstance(v, tuple) else v,
)
def test_text_reports_hold_no_noncharacter(
    hostile_csv: Path, tmp_path: Path, args: tuple[str, ...], suffix: str
) -> None:
    out = tmp_path / f"out.{suffix}"
    _run(args[0], str(hostile_csv), *args[1:], "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert not _BAD.search(text)
    # What was around the characters is still there (the community's, or the
    # sub-district's, name).
    assert ("坏" if args[0] == "check" else "东街道") in text
    if suffix == "xml":
        xml.dom.minidom.parseString(text.encode())  # a CI system can read it


def test_data_formats_keep_the_text_as_it_was(hostile_csv: Path, tmp_path: Path) -> None:
    report = tmp_path / "out.json"
    lines = tmp_path / "out.jsonl"
    table = tmp_path / "out.parquet"
    for out in (report, lines, table):
        _run("check", str(hostile_csv), "-o", str(out))
    names = {r["name"] for r in json.loads(report.read_text(encoding="utf-8"))["records"]}
    assert {NONCHARACTERS, *HIDDEN_FORMULAS} <= names
    rows = [json.loads(line) for line in io.StringIO(lines.read_text(encoding="utf-8"))]
    assert {NONCHARACTERS, *HIDDEN_FORMULAS} <= {r.get("name") for r in rows}
    frame = pl.read_parquet(table)
    assert {NONCHARACTERS, *HIDDEN_FORMULAS} <= set(frame["name"].to_list())
    assert SUBDISTRICT in frame["subdistrict"].to_list()


@pytest.mark.parametrize(
    "args",
    [
        ("check", "{csv}"),
        ("check", "{csv}", "-f", "json"),
        ("check", "{csv}", "-f", "jsonl"),
        ("check", "{csv}", "-f", "csv"),
        ("check", "{csv}", "-f", "csv", "--csv-layout", "long"),
        ("check", "{csv}", "-f", "markdown"),
        ("check", "{csv}", "-f", "html"),
        ("check", "{csv}", "-f", "junit"),
        ("check", "{csv}", "--all", "--details"),
        ("summary", "{csv}"),
        ("summary", "{csv}", "-f", "json"),
        ("summary", "{csv}", "-f", "csv"),
        ("summary", "{csv}", "-f", "markdown"),
        ("summary", "{csv}", "-f", "html"),
        ("rules", "show", "zhejiang-2007", "-f", "json"),
        ("rules", "list"),
    ],
    ids=lambda v: "-".join(a for a in v if a != "{csv}"),
)
def test_a_full_stdout_is_one_line_and_exit_2(
    hostile_csv: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    argv = [a.format(csv=hostile_csv) for a in args]
    with open("/dev/full", "w") as full:
        result = run_cli([*argv, "-q"] if args[0] != "rules" else argv, tmp_path, stdout=full)
    assert_refused(result, "cannot write to standard output: No space left on device")
