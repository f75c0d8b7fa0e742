"""`check` and `summary` read their inputs the same way (cli/inputs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.cli import app
from tests.conftest import HEADERS, WorkbookFactory, community

runner = CliRunner()


@pytest.fixture
def odd_header(make_xlsx: WorkbookFactory) -> Path:
    """A workbook whose premises column has a header the catalogue does not know."""
    headers = ["用房面积合计（含租用）" if h == "建筑面积(m2)" else h for h in HEADERS]
    return make_xlsx([community("甲社区", area=300), community("乙社区")], headers)


@pytest.mark.parametrize("command", ["check", "summary"])
def test_unknown_header_needs_a_mapping(command: str, odd_header: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, [command, str(odd_header), "--lang", "en"])
    assert result.exit_code == 2
    assert "premises_area" in result.stderr
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"用房面积合计（含租用）" = "premises_area"\n', encoding="utf-8")
    for extra in (
        ["--mapping", str(mapping)],
        ["--column", "用房面积合计（含租用）=premises_area"],
    ):
        result = runner.invoke(app, [command, str(odd_header), "--lang", "en", *extra])
        assert result.exit_code == 1, result.stderr
        assert "50" in result.stdout  # 甲社区 is 50 m² short


@pytest.mark.parametrize("command", ["check", "summary"])
def test_bad_column_option_is_a_usage_error(command: str, odd_header: Path) -> None:
    result = runner.invoke(app, [command, str(odd_header), "--column", "nonsense"])
    assert result.exit_code == 2
    assert "expected FIELD=COLUMN" in result.stderr


def test_check_and_summary_share_every_option() -> None:
    from dataclasses import fields

    from compliance.cli.inputs import CheckArgs

    flags = {
        "check": runner.invoke(app, ["check", "--help"], env={"COLUMNS": "200"}).stdout,
        "summary": runner.invoke(app, ["summary", "--help"], env={"COLUMNS": "200"}).stdout,
    }
    for f in fields(CheckArgs):
        flag = "--" + f.name.replace("_", "-")
        for command, text in flags.items():
            assert flag in text, (command, flag)
