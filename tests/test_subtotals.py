"""Subtotal rows checked against their communities (issue 19, item 4), through the
command line: the JSON report's ``checks`` and the verdict."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from compliance.cli import app
from tests.conftest import HEADERS, WorkbookFactory, community
from tests.reading.builders import messy_workbook

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def report(*args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run("check", *args, "--format", "json", "--as-of", "2008-12-31")
    assert out, err
    return code, json.loads(out)


def subtotal_checks(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in data["checks"] if c["check"] == "subtotal"]


def total_row(label: str, rows: list[list[Any]], **change: float) -> list[Any]:
    """A 合计/小计 row under :data:`HEADERS` summing ``rows``, with some sums changed."""
    out: list[Any] = [label, None, None]
    for i in range(3, len(HEADERS)):
        out.append(sum(r[i] for r in rows))
    columns = {"households": 3, "area": 4, "workers": 5, "monthly": 6, "wage": 7, "pension": 8}
    for key, delta in change.items():
        out[columns[key]] += delta
    out[6] = out[7] = None  # averages are never summed
    return out


def test_the_messy_return_total_row_does_not_add_up(tmp_path: Path) -> None:
    """Its 合计 row (row 6, above the data) repeats the 城东街道 subtotal: 17 workers
    where the four communities have 23. The 城东街道小计 row (row 11) adds up."""
    path = messy_workbook(tmp_path / "messy.xlsx")
    _, data = report(str(path))
    found = subtotal_checks(data)
    assert {c["row"] for c in found} == {6}
    workers = next(c for c in found if c["field"] == "full_time_workers")
    assert workers["cell"] == "社区情况!H6"
    assert workers["cells"] == ["社区情况!H6"]
    assert workers["imbalance"] == -6
    assert workers["severity"] == "advisory"
    assert workers["message_en"] == (
        "Advisory check 'Subtotal equals the sum of its communities' failed: row '合计' gives "
        "full-time workers 17, all 4 communities sum to 23; imbalance −6 (subtotal − sum); "
        "please check or explain (社区情况!H6)"
    )
    assert workers["message_zh"] == (
        "提示性审核“合计/小计等于所含社区之和”未通过：“合计”行的专职社区工作者人数 17 与全部 4 个社区"
        "之和 23 不符，差额 −6（合计 − 之和），请核实或说明（社区情况!H6）"
    )
    # Households add up (7,650); premises cannot be summed (南苑 reads "—", 北山's formula
    # has no saved value), so neither is reported.
    assert "households" not in {c["field"] for c in found}
    assert "premises_area" not in {c["field"] for c in found}
    assert data["inputs"][0]["verdict"]["advisory"] == len(found) == 7


def test_a_subtotal_row_covers_its_block(make_xlsx: WorkbookFactory) -> None:
    east = [community("甲社区"), community("乙社区", households=1800)]
    west = [community("丙社区"), community("丁社区", area=500)]
    rows = [
        *east,
        total_row("小计", east),
        *west,
        total_row("小计", west, area=10),  # 10 m² more than its two communities
        total_row("合计", east + west, area=10),
    ]
    code, data = report(str(make_xlsx(rows)))
    found = subtotal_checks(data)
    assert [(c["row"], c["field"], c["imbalance"]) for c in found] == [
        (7, "premises_area", 10),
        (8, "premises_area", 10),
    ]
    assert "the 2 communities of rows 5–6 sum to 900" in found[0]["message_en"]
    assert "all 4 communities sum to 1,700" in found[1]["message_en"]
    assert code == 0  # advisory: the exit code is unchanged


def test_a_subtotal_that_names_its_region(make_xlsx: WorkbookFactory) -> None:
    a = [community("甲社区"), community("乙社区")]
    b = [community("丙社区", district="金东区"), community("丁社区", district="金东区")]
    rows = [*a, *b, total_row("婺城区合计", a, households=-100), total_row("金东区合计", b)]
    _, data = report(str(make_xlsx(rows)))
    found = subtotal_checks(data)
    assert [(c["row"], c["field"], c["imbalance"]) for c in found] == [(6, "households", -100)]
    assert "the 2 communities of district 婺城区 sum to 3,000" in found[0]["message_en"]


def test_within_the_tolerance_is_rounding(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    rows = [community("甲社区", area=400.26), community("乙社区", area=400.3)]
    path = make_xlsx([*rows, total_row("合计", rows, area=-0.06 + 0.4)])
    _, data = report(str(path))
    assert subtotal_checks(data) == []
    strict = tmp_path / "strict.toml"
    strict.write_text(
        '[ruleset]\nid = "strict"\nversion = "1"\ntitle_zh = "严格"\ntitle_en = "Strict"\n'
        'extends = "zhejiang-2007"\n\n[parameters.subtotal_tolerance]\nvalue = 0\n\n'
        '[parameters.subtotal_check]\nvalue = "blocking"\n',
        encoding="utf-8",
    )
    code, data = report(str(path), "--rules", str(strict))
    found = subtotal_checks(data)
    assert [(c["field"], round(c["imbalance"], 2), c["severity"]) for c in found] == [
        ("premises_area", 0.34, "blocking")
    ]
    assert data["inputs"][0]["verdict"]["status"] == "returned"
    assert data["inputs"][0]["verdict"]["blocking_checks"] == 1
    assert code == 1  # a blocking check fails the run, as documented


def test_the_check_can_be_turned_off(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    rows = [community("甲社区")]
    path = make_xlsx([*rows, total_row("合计", rows, workers=3)])
    off = tmp_path / "off.toml"
    off.write_text(
        '[ruleset]\nid = "off"\nversion = "1"\ntitle_zh = "不核对"\ntitle_en = "Off"\n'
        'extends = "zhejiang-2007"\n\n[parameters.subtotal_check]\nvalue = "off"\n',
        encoding="utf-8",
    )
    _, data = report(str(path))
    assert len(subtotal_checks(data)) == 1
    _, data = report(str(path), "--rules", str(off))
    assert subtotal_checks(data) == []


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("subtotal_tolerance]\nvalue = -1", "parameter subtotal_tolerance = -1: must be a number"),
        (
            'subtotal_tolerance]\nvalue = "a"',
            "parameter subtotal_tolerance = 'a': must be a number",
        ),
    ],
)
def test_a_bad_setting_is_the_rule_sets_error(
    setting: str, message: str, make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[ruleset]\nid = "bad"\nversion = "1"\ntitle_zh = "坏"\ntitle_en = "Bad"\n'
        f'extends = "zhejiang-2007"\n\n[parameters.{setting}\n',
        encoding="utf-8",
    )
    code, _, err = run("check", str(make_xlsx([community()])), "--rules", str(bad))
    assert code == 2
    assert err.startswith("compliance: error: bad 1: " + message)


def test_a_community_without_the_figure_is_not_summed(make_xlsx: WorkbookFactory) -> None:
    rows = [community("甲社区", households=None), community("乙社区")]
    total = total_row("合计", [community("甲社区"), community("乙社区")], workers=1)
    _, data = report(str(make_xlsx([*rows, total])))
    assert [c["field"] for c in subtotal_checks(data)] == ["full_time_workers"]


def test_an_explained_subtotal_no_longer_holds_the_return_back(
    make_xlsx: WorkbookFactory,
) -> None:
    rows = [community("甲社区"), community("乙社区")]
    headers = [*HEADERS, "说明"]
    path = make_xlsx(
        [[*r, None] for r in rows] + [[*total_row("合计", rows, area=50), "含街道自用50平方米"]],
        headers=headers,
    )
    _, data = report(str(path))
    (found,) = subtotal_checks(data)
    assert found["explained"] is True
    assert found["explanation"] == "含街道自用50平方米"
    assert data["inputs"][0]["verdict"]["status"] == "accepted"
    assert data["inputs"][0]["verdict"]["explained"] == 1
