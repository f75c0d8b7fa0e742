"""The terminal table: fits the width, lists the worst first, streams --all (issue 11, item 3)."""

from __future__ import annotations

import io
import re

import pytest
from rich.cells import cell_len
from rich.table import Table
from typer.testing import CliRunner

from compliance import api
from compliance.cli import app
from compliance.labels import quantity, t
from compliance.render import RenderOptions
from compliance.render import table as table_module
from compliance.render.table_layout import Column, blocks, wrap
from compliance.results import Report
from tests.conftest import SAMPLE, WorkbookFactory, community
from tests.findings import communities

runner = CliRunner()
RULESET = api.load_ruleset("zhejiang-2007")


def run(*args: str, columns: int = 80) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "-q"], env={"COLUMNS": str(columns)})
    return result.exit_code, result.stdout


def header_words(out: str) -> list[str]:
    """The words of the table's header lines (those just above a ─ rule)."""
    lines = out.splitlines()
    words = []
    for i, line in enumerate(lines):
        if line.startswith("─") and i >= 2 and not lines[i - 1].startswith(" 标准"):
            words += lines[i - 2].split() + lines[i - 1].split()
    return words


@pytest.mark.parametrize(("lang", "columns"), [("zh", 80), ("en", 80), ("zh", 120), ("en", 120)])
def test_every_standard_shows_and_no_line_is_wider_than_the_terminal(
    lang: str, columns: int
) -> None:
    code, out = run("check", str(SAMPLE), "--lang", lang, "--details", columns=columns)
    assert code == 1
    widest = max(cell_len(line) for line in out.splitlines())
    assert widest <= columns
    words = header_words(out)
    for rule in RULESET.rules:
        # Each standard's label is one whole header word, in exactly one block.
        assert words.count(rule.short(lang)) == 1, (rule.id, words)
    # Every standard also has its line in the totals.
    for rule in RULESET.rules:
        assert rule.title(lang)[:6] in out


def test_english_fits_in_one_block_at_120_columns() -> None:
    _, out = run("check", str(SAMPLE), "--lang", "en", columns=120)
    rules = [line for line in out.splitlines() if line.startswith("───")]
    assert len(rules) == 2  # the table's and the totals' header rules: one block
    assert "Premises" in out.split("\n─")[0].splitlines()[-2]


def test_at_80_columns_the_standards_go_into_two_even_blocks() -> None:
    # Eight communities from several districts: the district column is needed.
    _, out = run("check", str(SAMPLE), "--lang", "zh", "--limit", "8")
    table_rules = [line for line in out.splitlines() if re.fullmatch("─+", line)]
    assert len(table_rules) == 3  # two blocks, then the totals
    # The same communities in both blocks, in the same order.
    first, second = out.split(table_rules[0], 1)[1], out.split(table_rules[1], 1)[1]
    names = [line.split()[0] for line in first.splitlines()[1:9]]
    assert names == [line.split()[0] for line in second.splitlines()[1:9]]
    assert len(set(names)) == 8


def test_blocks_keep_every_column() -> None:
    ident = [Column(("社区",), 10), Column(("行",), 3)]
    rules = [Column((f"r{i}", "人"), 6, right=True) for i in range(9)]
    for width in (30, 50, 80, 200):
        parts = blocks(ident, rules, width)
        assert sorted(i for p in parts for i in p) == list(range(9))
    assert blocks(ident, rules, 200) == [list(range(9))]
    assert [len(p) for p in blocks(ident, rules, 50)] == [5, 4]  # even, not 6 + 3


def test_the_worst_come_first_up_to_the_limit() -> None:
    code, out = run("check", str(SAMPLE), "--lang", "en", "--limit", "3", columns=200)
    assert code == 1
    body = out.split("\n─", 1)[1].splitlines()[1:4]
    fails = [line.count("✗") for line in body]
    assert fails == sorted(fails, reverse=True) and fails[0] == 9  # 清风社区 fails all nine
    assert body[0].split()[0] == "清风社区"
    assert "showing the 3 communities that fall short or are unknown (worst first), of 200" in out
    assert "147 more communities fall short or are unknown: --limit 0 lists them all" in out
    _, out = run("check", str(SAMPLE), "--lang", "en", "--limit", "0", columns=200)
    assert "more communities" not in out
    assert "showing the 150 communities" in out


def test_compact_prints_only_the_totals_and_the_headline() -> None:
    code, out = run("check", str(SAMPLE), "--lang", "en", "--compact", columns=160)
    assert code == 1
    assert "清风社区" not in out and "Interpretation choices" not in out
    assert "Results by standard" in out
    # The headline, then the verdict on the return (issue 19).
    assert out.rstrip().endswith(
        "200 communities: 50 pass every standard, 146 fail at least one, "
        "4 have unknowns but no failure\n\nVerdict per return\n"
        "  jinhua-2007.xlsx: returned for correction (1 needed cell unreadable, 7 needed cells "
        "empty, 6 advisory items to explain)"
    )


def test_all_is_streamed_not_one_rich_table(monkeypatch: pytest.MonkeyPatch) -> None:
    result = api.check(SAMPLE)
    report = Report(ruleset=result.ruleset, rules=result.rules, checks=(result,))
    rows_added = []
    real = Table.add_row

    def counting(self: object, *cells: object, **kw: object) -> None:
        rows_added.append(1)
        real(self, *cells, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Table, "add_row", counting)
    buffer = io.StringIO()
    table_module.render(report, RenderOptions(show_all=True, width=200), buffer)
    text = buffer.getvalue()
    assert len(rows_added) == len(RULESET.rules)  # only the totals table is a rich Table
    for c in communities(report):
        assert c.name in text


def test_english_plurals(make_xlsx: WorkbookFactory) -> None:
    assert quantity(1, "workers", "en") == "1 worker"
    assert quantity(2, "workers", "en") == "2 workers"
    assert quantity(1, "workers", "zh") == "1 人"
    assert quantity(50.5, "m2", "en", total=True) == "50.50 m²"
    assert t("unreadable_count", "en", n=1) == "; 1 input could not be read"
    assert t("unreadable_count", "en", n=2) == "; 2 inputs could not be read"
    assert t("overall", "en", total=1, passed=1, failed=0, unknown=0) == (
        "1 community: 1 passes every standard, 0 fail at least one, 0 have unknowns but no failure"
    )
    path = make_xlsx([community("甲社区", area=349)])
    result = runner.invoke(app, ["check", str(path), "--lang", "en"], env={"COLUMNS": "120"})
    assert (
        "showing the 1 community that falls short or is unknown (worst first), of 1"
        in result.stdout
    )
    assert "1 community: 0 pass every standard, 1 fails at least one" in result.stderr


def test_wrap_breaks_between_words_and_characters_never_inside_a_number() -> None:
    assert wrap("专职社区工作者不少于5人，2000户以上按每400户配备1人", 24) == [
        "专职社区工作者不少于5",
        "人，2000户以上按每400户",
        "配备1人",
    ]
    assert wrap("Work-and-service premises of at least 350 m²", 30) == [
        "Work-and-service premises of",
        "at least 350 m²",
    ]
    for width in range(6, 40):
        for line in wrap("社区工作者年收入不低于当地上一年职工平均工资 26,647 元", width):
            assert cell_len(line) <= width


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_totals_fit_80_columns_without_cutting_a_figure(lang: str) -> None:
    _, out = run("check", str(SAMPLE), "--lang", lang, "--compact")
    assert "…" not in out
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    assert "6,451.51" in out and "570,710" in out
