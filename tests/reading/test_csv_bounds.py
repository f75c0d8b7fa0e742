"""CSV input: memory, width and quotes bounded while it is read; the encoding stated."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from compliance.errors import InputError
from compliance.reading import read_records
from compliance.reading.csvfile import read_csv
from compliance.reading.guards import Limits
from tests.conftest import HEADERS, community


def _csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    text = "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def test_the_encoding_is_stated_in_the_notes(tmp_path: Path) -> None:
    data = read_records(_csv(tmp_path / "a.csv", [HEADERS, community("甲社区")]))
    assert "the CSV file was decoded as UTF-8" in data.source.notes_en
    gbk = read_records(_csv(tmp_path / "g.csv", [HEADERS, community("乙社区")], "gbk"))
    assert "the CSV file was decoded as GB18030 (GBK)" in gbk.source.notes_en
    assert not [n for n in gbk.source.notes_en if "Western" in n]
    assert gbk.records[0].values["name"] == "乙社区"


def test_a_western_file_decoded_as_gbk_is_flagged(tmp_path: Path) -> None:
    rows = [
        ["name", "city", "households", "population", "Année"],
        ["Saint-Rémy", "Nîmes", 10, 20, 2007],
    ]
    data = read_records(_csv(tmp_path / "w.csv", rows, "cp1252"))
    (note,) = [n for n in data.source.notes_en if "Western" in n]
    assert "'Ann閑' does not look like Chinese" in note and "'Année' in Windows-1252" in note
    assert any("Ann閑" in n and "UTF-8" in n for n in data.source.notes_zh)


def test_an_unclosed_quote_is_reported_not_swallowed(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    body = [",".join(HEADERS)] + [",".join(map(str, community(f"社区{i}"))) for i in range(5)]
    body[2] = body[2].replace("社区1", '"社区1', 1)
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="quote opened on line 3 is never closed") as info:
        read_records(path)
    assert info.value.where == str(path)


def test_a_closed_multi_line_quote_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    rows = [",".join(HEADERS), ",".join(map(str, community("甲社区")))]
    rows.append(",".join(map(str, community("乙社区"))).replace("乙社区", '"乙\n社区"', 1))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    data = read_records(path)
    assert [r.values["name"] for r in data.records] == ["甲社区", "乙 社区"]


def test_a_row_of_a_million_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(b"," * 1_000_000 + b"\n")
    with pytest.raises(InputError, match="has 1,000,001 columns, more than the 16,384"):
        read_records(path)


def test_memory_stays_bounded_while_a_large_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    line = (",".join(["1234567890"] * 10) + "\n").encode()
    with path.open("wb") as fh:
        for _ in range(200):
            fh.write(line * 1000)  # 22 MB in all
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="cells"):
            read_csv(path, Limits(max_cells=100_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Reading the file whole would hold it at least twice (bytes and text).
    assert peak < path.stat().st_size / 2


def test_binary_content_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(",".join(HEADERS).encode() + b"\n" + b"a,\x00b\n")
    with pytest.raises(InputError, match="binary content"):
        read_records(path)
