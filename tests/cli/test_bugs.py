"""Bugs of issue 11 ("Why"): a `*` waiver, dates, the closest-header suggestion,
`rules validate` line numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.cli import app
from compliance.cli.options import as_of_date
from compliance.dates import date_from_text
from compliance.errors import UsageError
from tests.conftest import HEADERS, WorkbookFactory, community

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_a_star_waiver_names_the_community_once(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    # 甲 fails staffing and pay (premises is not yet due): one waiver, rule = "*".
    path = make_xlsx([community("甲社区", area=300, households=2150, workers=5, monthly=1000)])
    waivers = tmp_path / "w.toml"
    waivers.write_text(
        '[[waivers]]\ncommunity = "甲社区"\nrule = "*"\nreason = "新建社区"\n'
        'approved_by = "婺城区民政局"\nexpires = 2030-12-31\n',
        encoding="utf-8",
    )
    code, out, err = run("check", str(path), "--waivers", str(waivers), "--as-of", "2008/12/31")
    assert code == 0, err
    line = next(ln for ln in out.splitlines() if "新建社区" in ln)
    assert line.count("甲社区") == 1
    assert "甲社区 (Sheet1!2) · * (staffing, pay): applied" in line


@pytest.mark.parametrize(
    "text", ["2008-01-01", "2008/01/01", "2008.1.1", "2008年1月1日", "２００８－０１－０１"]
)
def test_dates_are_read_in_the_same_forms_everywhere(text: str) -> None:
    assert date_from_text(text) == dt.date(2008, 1, 1)
    assert as_of_date(text) == dt.date(2008, 1, 1)


def test_as_of_also_takes_a_month_or_a_year_but_not_nonsense() -> None:
    assert as_of_date("2008-12") == dt.date(2008, 12, 1)
    assert as_of_date("2008/12") == dt.date(2008, 12, 1)
    assert as_of_date("2008") == dt.date(2008, 1, 1)
    assert date_from_text("2008-12") is None  # a waiver expires on a day
    for bad in ("2008-13-01", "soon", "08/01/01"):
        with pytest.raises(UsageError, match="not a date"):
            as_of_date(bad)


def test_as_of_with_slashes_through_the_cli(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区", area=300)])
    code, _, err = run("check", str(path), "--as-of", "2008/01/01", "-q")
    assert code == 0, err  # premises is due in 2010-04: not yet due on 2008-01-01
    code, _, err = run("check", str(path), "--as-of", "2010年5月1日", "-q")
    assert code == 1, err


def test_a_rule_id_given_to_column_names_the_field(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区")])
    code, _, err = run("check", str(path), "-c", "premises=I")
    assert code == 2
    assert "premises is a rule, not a field; it reads premises_area" in err
    assert "--column premises_area=I" in err
    assert "did you mean" not in err  # `I` is a column letter, not a misspelt `id`


def test_a_misspelt_field_suggests_from_the_word_not_the_letter(
    make_xlsx: WorkbookFactory,
) -> None:
    path = make_xlsx([community("甲社区")])
    code, _, err = run("check", str(path), "-c", "premses_area=I")
    assert code == 2
    assert "did you mean premises_area?" in err


def test_a_renamed_column_gets_the_closest_header(make_xlsx: WorkbookFactory) -> None:
    headers = ["办公及服务用房" if h == "建筑面积(m2)" else h for h in HEADERS]
    path = make_xlsx([community("甲社区")], headers)
    code, _, err = run("check", str(path), "--lang", "en")
    assert code == 2
    assert "perhaps --column '办公及服务用房=premises_area'" in err
