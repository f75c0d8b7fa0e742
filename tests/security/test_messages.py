"""What reaches a terminal or Markdown from the data: no escape sequences, no bidi controls,
and error lines that stay one short printable line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.cli import app
from tests.conftest import HEADERS, community
from tests.reading.builders import raw_xlsx, sheet

HOSTILE_NAME = "城东\x1b[2J\x1b]0;pwned\x07社区\u202eslx.exe"
UNSAFE = ("\x1b", "\x07", "\u202e")


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_escape_and_bidi_characters_never_reach_the_output(tmp_path: Path, fmt: str) -> None:
    # CSV, because an .xlsx cannot even hold ESC; a CSV export can.
    rows = [HEADERS, community(HOSTILE_NAME, area=100, subdistrict="街\u202e道"), community("西门")]
    path = tmp_path / "escapes.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    result = CliRunner().invoke(app, ["check", str(path), "--format", fmt, "--all", "-d", "-q"])
    assert result.exit_code == 1, result.output
    assert "城东" in result.output and "社区" in result.output
    for ch in UNSAFE:
        assert ch not in result.output, (fmt, ch)


def test_a_huge_cell_is_echoed_short(tmp_path: Path) -> None:
    # A 31 MB header cell: calamine reads it; no error line may carry it whole.
    body = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>' + "社" * 31_000_000 + "</t></is></c></row>"
        '<row r="2"><c r="A2"><v>1</v></c></row>'
    )
    path = raw_xlsx(tmp_path / "huge.xlsx", sheet(body))
    result = CliRunner().invoke(app, ["check", str(path), "-q"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) < 500, lines[0][:600]


def test_a_file_name_with_a_newline_and_escapes_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "报表\n第二行\x1b[31m.xlsx"
    path.write_bytes(b"\x00\x01 not a workbook")
    result = CliRunner().invoke(app, ["check", str(path), "-q"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "\\n第二行\\x1b[31m" in lines[0]
