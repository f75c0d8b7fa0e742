"""The Parquet report, written a chunk of communities at a time."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from compliance import api
from compliance.render import parquet
from tests.conftest import HEADERS, WorkbookFactory, community


def _inputs(make_xlsx: WorkbookFactory) -> list[Path]:
    rows = [
        [*community(f"社{i}", area=300 + 10 * i, subdistrict=f"街{i % 3}"), i % 2] for i in range(7)
    ]
    first = make_xlsx(rows, [*HEADERS, "街道社区服务中心数"], name="a.xlsx")
    second = make_xlsx(
        [[*community("乙社区", workers="五"), 1]], [*HEADERS, "街道社区服务中心数"], name="b.xlsx"
    )
    return [first, second]


def test_chunks_write_the_rows_of_one_whole_table(
    make_xlsx: WorkbookFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = api.check_files(_inputs(make_xlsx), ruleset="zhejiang-2008")
    whole, chunked = tmp_path / "whole.parquet", tmp_path / "chunked.parquet"
    api.render_report(report, "parquet", whole)
    monkeypatch.setattr(parquet, "CHUNK", 2)
    api.render_report(report, "parquet", chunked)
    a, b = pl.read_parquet(whole), pl.read_parquet(chunked)
    assert a.equals(b)
    assert not report.failures
    rules = len(report.checks[0].table.rules)
    assert a.height == 8 * rules + 4  # communities × rules, and a row per sub-district
    assert a["row"].to_list()[::rules][:8] == [2, 3, 4, 5, 6, 7, 8, 2]
    assert a["source"].to_list()[7 * rules] == str(tmp_path / "b.xlsx")
    assert a.filter(pl.col("level") == "subdistrict")["rule"].unique().to_list() == [
        "service_centre"
    ]
    # The figures of every finding, in community then rule-set order, as the table holds them.
    expected = report.checks[0].table.findings()
    got = a.filter(
        (pl.col("source") == str(tmp_path / "a.xlsx")) & (pl.col("level") == "community")
    )
    assert got["rule"].to_list() == expected["rule"].to_list()
    assert got["derivation"].to_list() == expected["derivation"].to_list()
    assert got["cells"].to_list() == expected["cells"].to_list()


def test_only_unreadable_inputs_give_an_empty_table_with_the_columns(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    report = api.check_files([broken])
    assert not report.checks and report.failures
    out = tmp_path / "out.parquet"
    api.render_report(report, "parquet", out)
    frame = pl.read_parquet(out)
    assert frame.height == 0
    assert frame.schema == parquet._empty().schema
