"""Column mapping: --column either way round, mapping files, helpful errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.catalogue import default_catalogue
from compliance.cli import app
from compliance.errors import InputError, UsageError
from compliance.reading import load_mapping, read_records
from tests.conftest import HEADERS, WorkbookFactory, community

ODD = ["单位", "户数合计", "用房面积（含租用）", "专职", "备注"]


def _odd(make_xlsx: WorkbookFactory) -> Path:
    return make_xlsx([["城东社区", 1500, 420, 6, ""]], ODD, title="某区统计表")


def test_header_to_field_and_field_to_header(make_xlsx: WorkbookFactory) -> None:
    path = _odd(make_xlsx)
    for columns in (
        {"用房面积（含租用）": "premises_area", "单位": "name"},
        {"premises_area": "用房面积（含租用）", "name": "A"},
        {"premises_area": "C", "name": "单位"},
    ):
        data = read_records(path, columns=columns)
        assert data.records[0].values["premises_area"] == 420
        assert data.records[0].values["name"] == "城东社区"
        assert data.source.columns["premises_area"][0] == "C"
        assert data.records[0].cells["premises_area"] == "Sheet1!C3"


def test_mapping_replaces_an_automatic_match(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("A社区", area=400, households=1500)])
    data = read_records(path, columns={"premises_area": "D"})
    assert data.records[0].values["premises_area"] == 1500
    assert "households" not in data.source.columns


def test_unknown_field_suggests_the_closest(make_xlsx: WorkbookFactory) -> None:
    with pytest.raises(UsageError, match="did you mean premises_area"):
        read_records(_odd(make_xlsx), columns={"用房面积（含租用）": "premises_aera"})


def test_unknown_header_lists_headers_and_the_closest(make_xlsx: WorkbookFactory) -> None:
    with pytest.raises(InputError) as info:
        read_records(_odd(make_xlsx), columns={"用房面积": "premises_area"})
    message = str(info.value)
    assert "no header '用房面积' in row 2" in message
    assert "closest: 用房面积(含租用)" in message  # as normalised (NFKC)


def test_header_row_when_nothing_is_recognised(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([["x", "y"], ["城东社区", 420]], ["甲", "乙"])
    data = read_records(path, columns={"A": "name", "B": "premises_area"}, header_row=2)
    assert [r.values["name"] for r in data.records] == ["城东社区"]
    assert data.source.header_rows == (2,)


def test_mapping_file(tmp_path: Path, make_xlsx: WorkbookFactory) -> None:
    path = _odd(make_xlsx)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '# 某区的表头\nsheet = "Sheet1"\nheader_row = 2\n\n[columns]\n'
        '"单位" = "name"\n"用房面积（含租用）" = "premises_area"\n"D" = "full_time_workers"\n',
        encoding="utf-8",
    )
    m = load_mapping(mapping, default_catalogue())
    assert m.columns == {
        "name": "单位",
        "premises_area": "用房面积（含租用）",
        "full_time_workers": "D",
    }
    assert (m.sheet, m.header_row) == ("Sheet1", 2)
    data = read_records(path, columns=m.columns, header_row=m.header_row)
    assert data.records[0].values["full_time_workers"] == 6


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("[columns\n", "not valid TOML"),
        ("colums = {}\n", "unknown key"),
        ('[columns]\n"单位" = 3\n', "must map header text"),
        ("header_row = 0\n", "header_row must be a row number"),
        ('[columns]\n"单位" = "nmae"\n', "did you mean name"),
    ],
)
def test_mapping_file_errors(tmp_path: Path, text: str, pattern: str) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=pattern) as info:
        load_mapping(mapping, default_catalogue())
    assert info.value.where == str(mapping)


def test_cli_mapping_and_column(tmp_path: Path, make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([["城东社区", 1500, 420, 6, ""]], ODD)
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\n"单位" = "name"\n"户数合计" = "households"\n', encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["check", str(path), "-m", str(mapping), "--column", "用房面积（含租用）=premises_area",
         "--select", "premises", "--format", "json", "-q"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '"premises_area": {"column": "C"' in result.output.replace("\n", "").replace(
        "  ", ""
    ) or ('"C"' in result.output)


def test_cli_missing_column_suggests_a_header(make_xlsx: WorkbookFactory) -> None:
    headers = [("用房面积合计" if h == "建筑面积(m2)" else h) for h in HEADERS]
    path = make_xlsx([community("A社区")], headers)
    result = CliRunner().invoke(app, ["check", str(path), "--select", "premises", "-q"])
    assert result.exit_code == 2
    assert "no column for premises_area (工作服务用房面积)" in result.output
    assert "perhaps --column '用房面积合计=premises_area'" in result.output
