"""A verdict per return (issue 19, item 1): accepted, accepted with notes, returned.
Asserted through the command line: the JSON report's ``verdict`` keys and the table's
verdict lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from compliance.cli import app
from tests.conftest import WorkbookFactory, community

runner = CliRunner()
ZERO = {
    "readable": True,
    "blocking_checks": 0,
    "unreadable_cells": 0,
    "missing_cells": 0,
    "uncomputable": 0,
    "advisory": 0,
    "explained": 0,
    "notes": 0,
    "unsourced": 0,
}


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def report(*args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run("check", *args, "--format", "json", "--as-of", "2008-12-31")
    assert out, err
    return code, json.loads(out)


def verdict(*args: str) -> tuple[int, dict[str, Any]]:
    code, data = report(*args)
    assert len(data["inputs"]) == 1
    return code, data["inputs"][0]["verdict"]


def test_a_clean_return_is_accepted(make_xlsx: WorkbookFactory) -> None:
    code, v = verdict(str(make_xlsx([community("甲社区"), community("乙社区")])))
    assert code == 0
    assert v == {"status": "accepted", **ZERO}


def test_the_verdict_judges_the_data_not_the_communities(make_xlsx: WorkbookFactory) -> None:
    """Every community falls short of the staffing standard: the return is still clean."""
    rows = [community(n, households=2150, workers=5, insured=(5,) * 6) for n in ("甲", "乙")]
    path = make_xlsx(rows)
    code, v = verdict(str(path))
    assert code == 1  # the exit code is about the communities, as documented
    assert v == {"status": "accepted", **ZERO}


def test_an_advisory_check_gives_notes(make_xlsx: WorkbookFactory) -> None:
    # 7 pension-insured but 6 full-time workers: 提示性审核.
    path = make_xlsx([community("甲社区", insured=(7, 6, 6, 6, 6, 6))])
    code, v = verdict(str(path))
    assert code == 0
    assert v == {"status": "accepted_with_notes", **ZERO, "advisory": 1}


def test_a_blocking_check_returns_the_file(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区", households=0)])
    code, v = verdict(str(path))
    assert code == 1
    assert v["status"] == "returned"
    assert v["blocking_checks"] == 1


def test_an_unreadable_needed_cell_returns_the_file(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区", insured=("待核实", 6, 6, 6, 6, 6))])
    _, v = verdict(str(path))
    assert v == {"status": "returned", **ZERO, "unreadable_cells": 1}


def test_an_empty_needed_cell_returns_the_file(make_xlsx: WorkbookFactory) -> None:
    # The workers cell is empty: staffing, pay and the six insurances are unknown;
    # one cell to fill in.
    path = make_xlsx([community("甲社区", workers=None)])
    _, v = verdict(str(path))
    assert v == {"status": "returned", **ZERO, "missing_cells": 1}


def test_a_missing_reference_wage_is_not_the_returns_fault(make_xlsx: WorkbookFactory) -> None:
    # 义乌市 has no sourced wage: pay is unknown for both communities, but the return is clean.
    rows = [community(n, district="义乌市", wage=None) for n in ("甲社区", "乙社区")]
    _, v = verdict(str(make_xlsx(rows)))
    assert v == {"status": "accepted", **ZERO, "unsourced": 2}


def test_a_repeated_row_is_a_note(make_xlsx: WorkbookFactory) -> None:
    _, v = verdict(str(make_xlsx([community("甲社区"), community("甲社区")])))
    assert v == {"status": "accepted_with_notes", **ZERO, "notes": 1}


def test_an_unreadable_input_is_returned(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    good = make_xlsx([community("甲社区")])
    code, data = report(str(good), str(tmp_path / "缺失.xlsx"))
    assert code == 2
    assert data["inputs"][0]["verdict"]["status"] == "accepted"
    gone = data["unreadable"][0]["verdict"]
    assert gone == {"status": "returned", **ZERO, "readable": False}


def test_the_table_gives_one_verdict_line_per_input(
    make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    clean = make_xlsx([community("甲社区")], name="婺城区.xlsx")
    noted = make_xlsx([community("乙社区", insured=(7, 7, 6, 6, 6, 6))], name="金东区.xlsx")
    empty = make_xlsx([community("丙社区", area=None, workers=None)], name="兰溪市.xlsx")
    args = [str(clean), str(noted), str(empty), str(tmp_path / "义乌市.xlsx")]
    code, out, _ = run("check", *args, "--lang", "zh", "--as-of", "2008-12-31")
    assert code == 2
    block = out.split("审核结论\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert block == [
        "  婺城区.xlsx：审核通过",
        "  金东区.xlsx：通过，附说明事项（2 项提示性审核待说明）",
        "  兰溪市.xlsx：退回修改（2 个所需单元格为空）",
        "  义乌市.xlsx：退回修改（文件无法读取）",
    ]
    code, out, _ = run("check", *args, "--lang", "en", "--compact", "--as-of", "2008-12-31")
    block = out.split("Verdict per return\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert block == [
        "  婺城区.xlsx: accepted",
        "  金东区.xlsx: accepted with notes (2 advisory items to explain)",
        "  兰溪市.xlsx: returned for correction (2 needed cells empty)",
        "  义乌市.xlsx: returned for correction (the file could not be read)",
    ]


def test_the_verdict_is_in_the_api(make_xlsx: WorkbookFactory) -> None:
    from compliance import api
    from compliance.verdict import Status, verdict_of

    check = api.check(make_xlsx([community("甲社区", insured=(7, 6, 6, 6, 6, 6))]))
    assert verdict_of(check).status is Status.ACCEPTED_WITH_NOTES
    assert check.verdict is not None and check.verdict.advisory == 1
