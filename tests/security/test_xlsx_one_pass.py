"""The one-pass .xlsx reader against each class of trick of issue 17, through the CLI.

Each hostile variant must end in one line and exit 2; each legitimate one must be
read, with the values an XML parser gives. The sheets are written byte for byte.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from compliance.cli import app
from compliance.reading.grid import column_letter
from tests.conftest import HEADERS, community
from tests.reading.builders import SST, raw_xlsx, sheet

#: Every test here runs on the native tokeniser and on the pure reader.
pytestmark = pytest.mark.usefixtures("xlsx_reader")

runner = CliRunner()


def _cell(ref: str, value: Any) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def _row(r: int, values: list[Any]) -> str:
    cells = "".join(_cell(f"{column_letter(c)}{r}", v) for c, v in enumerate(values))
    return f'<row r="{r}">{cells}</row>'


def _body(*names: str) -> str:
    rows = [_row(1, list(HEADERS))]
    rows += [_row(r, community(n)) for r, n in enumerate(names, start=2)]
    return "".join(rows)


def _check(path: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["check", str(path), "--lang", "en", "--format", "json", "--all", *args], env={}
    )
    return result.exit_code, result.stdout, result.stderr


def _names(out: str) -> list[str]:
    """The communities of the JSON report, in sheet order."""
    return [r["name"] for r in json.loads(out)["records"]]


def _refused(path: Path, pattern: str, *args: str) -> None:
    code, out, err = _check(path, *args)
    lines = [x for x in err.splitlines() if x.strip()]
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("compliance: error: "), lines
    assert re.search(pattern, lines[0]), lines[0]
    assert out == ""


def _read(path: Path) -> list[str]:
    code, out, err = _check(path)
    assert code in (0, 1), err
    return _names(out)


def test_the_plain_fixture_is_read(tmp_path: Path) -> None:
    assert _read(raw_xlsx(tmp_path / "ok.xlsx", sheet(_body("甲社区", "乙社区")))) == [
        "甲社区",
        "乙社区",
    ]


@pytest.mark.parametrize(
    "tag",
    [
        '<c a=">" r="CV1000000"><v>1</v></c>',
        "<c a='>' r='CV1000000'><v>1</v></c>",
        '<c a="x>y" b=\'>\' r="XFD9999"><v>1</v></c>',
        '<x:c xmlns:x="urn:x" a=">" r="CV1000000"><x:v>1</x:v></x:c>',
    ],
)
def test_a_quoted_angle_bracket_does_not_hide_a_far_cell(tmp_path: Path, tag: str) -> None:
    body = _body("甲社区").replace("</row>", tag + "</row>", 1)
    _refused(raw_xlsx(tmp_path / "far.xlsx", sheet(body, "A1:N2")), r"refusing a sheet of")


@pytest.mark.parametrize(
    "text",
    ['<c r="XFD1048576"><v>1</v></c>', '<row r="1048576"><c r="XFD1048576">', "]]&gt;&amp;"],
)
def test_cdata_text_that_looks_like_cells_is_text(tmp_path: Path, text: str) -> None:
    cdata = f'<c r="A3" t="inlineStr"><is><t><![CDATA[{text}]]></t></is></c>'
    body = _body("甲社区", "乙社区").replace(
        '<c r="A3" t="inlineStr"><is><t>乙社区</t></is></c>', cdata
    )
    names = _read(raw_xlsx(tmp_path / "cdata.xlsx", sheet(body)))
    assert names == ["甲社区", text]


@pytest.mark.parametrize(
    "count", ["0000000000000000000004000000000", "04000000000", "0" * 40 + "4000000000"]
)
def test_a_shared_strings_count_padded_with_zeros_is_read_as_a_number(
    tmp_path: Path, count: str
) -> None:
    sst = SST.replace('uniqueCount="2"', f'uniqueCount="{count}"')
    path = raw_xlsx(tmp_path / "sst.xlsx", sheet(_body("甲社区")), sst=sst)
    _refused(path, "claims 4,000,000,000 strings")


def test_a_zero_padded_count_that_is_true_is_read(tmp_path: Path) -> None:
    sst = SST.replace('uniqueCount="2"', 'uniqueCount="0000002"')
    assert _read(raw_xlsx(tmp_path / "sst.xlsx", sheet(_body("甲社区")), sst=sst)) == ["甲社区"]


@pytest.mark.parametrize(
    "hidden",
    [
        '<!-- <c r="XFD1048576"><v>1</v></c> -->',
        '<!--<row r="1048576">--><!-- a > b -->',
        '<?foo <c r="XFD1048576"><v>1</v></c> ?>',
        "<?x ?><!---->",
    ],
)
def test_comments_and_instructions_hold_no_cells(tmp_path: Path, hidden: str) -> None:
    body = _body("甲社区", "乙社区").replace('<row r="3">', hidden + '<row r="3">')
    body = body.replace("</t></is></c>", "</t></is>" + hidden + "</c>", 3)
    assert _read(raw_xlsx(tmp_path / "c.xlsx", sheet(body))) == ["甲社区", "乙社区"]


def test_predefined_and_character_entities_are_text(tmp_path: Path) -> None:
    body = _body("甲社区", "乙社区").replace("乙社区", "乙&amp;丙&#31038;&#x533A;&lt;1&gt;")
    assert _read(raw_xlsx(tmp_path / "e.xlsx", sheet(body))) == ["甲社区", "乙&丙社区<1>"]


@pytest.mark.parametrize(
    "prolog",
    [
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "乙社区">]>',
        "",
    ],
)
def test_undefined_entities_and_document_types_are_refused(tmp_path: Path, prolog: str) -> None:
    body = _body("甲社区", "乙社区").replace("乙社区", "&e;")
    xml = prolog + sheet(body).split("?>", 1)[1] if prolog else sheet(body)
    _refused(raw_xlsx(tmp_path / "e.xlsx", xml), "XML is damaged or unsafe")


def test_inline_and_rich_text_strings(tmp_path: Path) -> None:
    rich = (
        '<c r="A3" t="inlineStr"><is><r><rPr><b/></rPr><t>乙</t></r>'
        '<r><t xml:space="preserve">社区</t></r><rPh sb="0" eb="1"><t>YI</t></rPh></is></c>'
    )
    body = _body("甲社区", "乙社区").replace(
        '<c r="A3" t="inlineStr"><is><t>乙社区</t></is></c>', rich
    )
    sst = SST.replace(
        "<si><t>社区名称</t></si>",
        "<si><r><t>社区</t></r><r><rPr><i/></rPr><t>名称</t></r><rPh><t>SHE</t></rPh></si>",
    )
    body = body.replace(
        '<c r="A1" t="inlineStr"><is><t>社区名称</t></is></c>', '<c r="A1" t="s"><v>0</v></c>'
    )
    assert _read(raw_xlsx(tmp_path / "rich.xlsx", sheet(body), sst=sst)) == ["甲社区", "乙社区"]


def test_cells_and_rows_without_references_are_placed_as_calamine_places_them(
    tmp_path: Path,
) -> None:
    body = _body("甲社区", "乙社区", "丙社区")
    # Row 3 loses its reference (it follows row 2); its cells lose theirs (each follows
    # the one before); an empty <c/> takes no place.
    row3 = _row(3, community("乙社区"))
    plain3 = re.sub(r' r="[A-Z]+3"', "", row3).replace('<row r="3">', "<row>")
    plain3 = plain3.replace("<c>", "<c/><c>", 1)
    body = body.replace(row3, plain3)
    assert _read(raw_xlsx(tmp_path / "nor.xlsx", sheet(body))) == ["甲社区", "乙社区", "丙社区"]


def test_cells_without_references_cannot_reach_past_the_limit(tmp_path: Path) -> None:
    wide = "<row>" + "<c><v>1</v></c>" * 300 + "</row>"
    body = _body("甲社区") + wide * 400
    path = raw_xlsx(tmp_path / "wide.xlsx", sheet(body))
    # Refused when the block that holds them is tokenised, before the sheet is read on.
    _refused(path, r"refusing a sheet of [\d,]+ rows × 300 columns", "--max-cells", "100000")
