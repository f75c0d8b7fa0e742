"""The linear scanners and bounded parsers behind the guards, unit by unit."""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.errors import RuleSetError, UsageError
from compliance.reading import guards, ods_extent, parts, xlsx_cells, xlsx_tags
from compliance.reading.grid import column_letter
from compliance.rules.expressions import ExpressionError, compile_expression
from compliance.safetext import echo, for_display, one_line
from compliance.tomlsafe import MAX_DEPTH, load_toml, too_deep
from tests.expressions import value
from tests.reading.builders import sheet

#: Every test here runs on the native tokeniser and on the pure reader.
pytestmark = pytest.mark.usefixtures("xlsx_reader")


def _zip(members: dict[str, bytes | str]) -> zipfile.ZipFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, body in members.items():
            z.writestr(n, body)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


CELLS = st.lists(
    st.tuples(st.integers(1, 3000), st.integers(1, 800), st.booleans()), min_size=1, max_size=60
)


@settings(max_examples=60, deadline=None)
@given(cells=CELLS, dimension=st.booleans())
def test_the_reader_bounds_exactly_the_cells_it_tokenises(
    cells: list[tuple[int, int, bool]], dimension: bool
) -> None:
    body = "".join(
        f'<row r="{r}"><c r="{column_letter(c - 1)}{r}"'
        + (' s="1"/>' if empty else "><v>1</v></c>")
        + "</row>"
        for r, c, empty in cells
    )
    dim = "A1:B2" if dimension else None
    zf = _zip({"s.xml": sheet(body, dim)})
    read = xlsx_cells.read_cells(zf, "s.xml", max_cells=10**9)
    full = [(r, c) for r, c, empty in cells if not empty]
    # Empty styled cells take no place; every other cell counts, whatever the dimension says.
    assert (read.rows, read.cols) == (
        (max(r for r, _ in full), max(c for _, c in full)) if full else (0, 0)
    )
    assert sorted(zip(read.cells["row"], read.cells["col"], strict=True)) == sorted(
        (r - 1, c - 1) for r, c in full
    )
    small = max(read.rows * read.cols - 1, 0)
    if full and small:
        with pytest.raises(xlsx_tags.TooLarge):
            xlsx_cells.read_cells(zf, "s.xml", max_cells=small)


def test_unclosed_tags_end_the_scan() -> None:
    data = b'<sheets><sheet name="a" r:id="rId1"/>' + b"<sheet " * 60_000
    assert list(parts.iter_tags(data, b"sheet")) == [{"name": "a", "id": "rId1"}]


def test_a_tag_in_a_comment_is_not_a_tag() -> None:
    data = b'<!-- <sheet name="decoy" r:id="rId9"/> --><x:sheet name="real" r:id="rId1"/>'
    assert list(parts.iter_tags(data, b"sheet")) == [{"name": "real", "id": "rId1"}]


def test_an_attribute_run_without_quotes_is_linear() -> None:
    # A tag of one long name: each attempt starts only at a name's beginning.
    assert list(parts.iter_tags(b"<sheet " + b"a" * 60_000 + b">", b"sheet")) == [{}]


def test_shared_strings_root_is_found_after_any_prolog() -> None:
    zf = _zip({"xl/sharedStrings.xml": '<?xml version="1.0"?><!--' + "x" * 5_000_000
               + '--><!DOCTYPE x [<!ENTITY a "<sst uniqueCount=\'1\'>">]>'
               + '<sst count="9" uniqueCount="4000000000"><si><t>a</t></si></sst>'})  # fmt: skip
    with pytest.raises(Exception, match="claims 4,000,000,000 strings"):
        guards.check_shared_strings(zf, guards.Limits(), "w")


def test_ods_repeats_count_only_up_to_the_last_content() -> None:
    cell = '<table:table-cell office:value-type="float" office:value="1"/>'
    empty = '<table:table-cell table:number-columns-repeated="1000"/>'
    content = (
        '<office:document-content><table:table table:name="a">'
        f'<table:table-row table:number-rows-repeated="3">{cell}{cell}{empty}</table:table-row>'
        f'<table:table-row table:number-rows-repeated="1048573">{empty}</table:table-row>'
        '</table:table><table:table table:name="b">'
        '<table:table-row table:number-rows-repeated="5000">'
        '<table:table-cell table:number-columns-repeated="16000" office:value-type="float"'
        ' office:value="1"/></table:table-row></table:table></office:document-content>'
    )
    ext = ods_extent.scan_content(_zip({"content.xml": content}))
    assert (ext.rows, ext.cols, ext.total_cells) == (5000, 16000, 3 * 2 + 5000 * 16000)


@pytest.mark.parametrize(
    "text",
    ["x = " + "[" * 5000, "x = " + "{a=" * 3000, "x = " + "[" * (MAX_DEPTH + 1) + "]" * 40],
)
def test_deep_toml_is_refused_before_parsing(tmp_path: Path, text: str) -> None:
    assert too_deep(text)
    path = tmp_path / "deep.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match="nested more than"):
        load_toml(path, max_bytes=10**6, error=UsageError, what="mapping file")


def test_brackets_in_strings_and_comments_are_not_nesting() -> None:
    text = 'a = "' + "[" * 100 + '"\n# ' + "{" * 100 + "\nb = '''" + "[" * 100 + "'''\nc = [[1]]\n"
    assert not too_deep(text)


def test_toml_loader_refuses_a_large_or_special_file(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_text("a = 1\n" * 1000, encoding="utf-8")
    with pytest.raises(RuleSetError, match="larger than 100 bytes"):
        load_toml(big, max_bytes=100, error=RuleSetError, what="what_rule_file")
    with pytest.raises(RuleSetError, match="not a regular file"):
        load_toml(Path("/dev/null"), max_bytes=100, error=RuleSetError, what="what_rule_file")


@pytest.mark.parametrize(
    ("source", "pattern"),
    [
        ("-" * 399 + "x", "nested more than"),
        ("(x + " * 70 + "1" + ")" * 70, "nested more than"),
        ("9" * 400 + " * x", "out of range"),
    ],
)
def test_expressions_are_bounded(source: str, pattern: str) -> None:
    with pytest.raises(ExpressionError, match=pattern):
        compile_expression(source, {"x": "number"})


def test_a_huge_integer_product_is_an_evaluation_error_not_an_overflow() -> None:
    from compliance.rules.expressions import EvaluationError

    e = compile_expression(" * ".join(["999999999999999"] * 30), {})
    from compliance.rules.constants import constant_value

    # Folded when a rule file is loaded: refused, not an overflow.
    with pytest.raises(EvaluationError):
        constant_value(e.tree)
    # The engine computes in IEEE floats: out of range is infinity, never an exception.
    assert value(e, {}) == math.inf


def test_messages_are_one_printable_line() -> None:
    line = one_line("/tmp/a\nb\x1b[31m\u202e.xlsx: " + "x" * 31_000_000 + " is wrong")
    assert line.isprintable() and len(line) < 450 and line.endswith("is wrong")
    assert "\\n" in line and "\\x1b" in line and "\\u202e" in line
    assert len(echo("社" * 10_000)) < 260


def test_display_text_loses_controls_and_bidi() -> None:
    assert for_display("城东\x1b[2J社区\u202e\u2066") == "城东[2J社区"
    assert for_display("a\tb\nc") == "a b c"
    assert for_display("普通社区") == "普通社区"
