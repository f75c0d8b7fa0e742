"""The console the terminal reports print through."""

from __future__ import annotations

import io

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.console import Console

from compliance.render import RenderOptions
from compliance.render.console import print_lines, report_console


def test_text_from_the_input_is_not_markup() -> None:
    out = io.StringIO()
    report_console(out, RenderOptions()).print("[bold]社区 [red]区")
    assert out.getvalue().strip() == "[bold]社区 [red]区"


def test_files_get_a_readable_width(monkeypatch: pytest.MonkeyPatch) -> None:
    # $COLUMNS asks for a width of its own (another test in this process may have set it).
    monkeypatch.delenv("COLUMNS", raising=False)
    assert report_console(io.StringIO(), RenderOptions(), min_width=160).width >= 160
    assert report_console(io.StringIO(), RenderOptions(width=90)).width == 90


#: Words, spaces (runs of them too), and what rich rewrites: emoji codes, controls, joiners.
_WORDS = ["a", "社区", "smile", "≥", "[red]", "·", "x" * 12, "x" * 90, "12.5", "e\u0301", "a\u200b"]
_SPACES = [" ", " ", " ", "   ", "\u3000"]
_REWRITTEN = [":", ":smile:", "\t", "\x1b", "\r", "\u200d", "\ufe0f", "👍"]
_PIECES = st.sampled_from([*_WORDS, *_SPACES, *_REWRITTEN])


@settings(max_examples=400)
# Found by CI: a combining mark (rich measures the cluster), and joiners rich fails on.
@example(lines=["e\u0301   "], width=4, color=False, chunk=1)
@example(lines=["\u200d\u200d社区a"], width=4, color=False, chunk=1)
@given(
    lines=st.lists(st.lists(_PIECES, max_size=30).map("".join), max_size=20),
    width=st.integers(4, 80),
    color=st.booleans(),
    chunk=st.integers(1, 5),
)
def test_lines_print_as_rich_prints_them(
    lines: list[str], width: int, color: bool, chunk: int
) -> None:
    def console(out: io.StringIO) -> Console:
        return report_console(out, RenderOptions(width=width, color=color))

    by_rich, fast = io.StringIO(), io.StringIO()
    rich = console(by_rich)
    try:
        for line in lines:
            rich.print(line)
    except Exception as exc:  # rich itself fails on some lines (joiners at a narrow width)
        with pytest.raises(type(exc)):
            print_lines(console(fast), lines, chunk=chunk)
        return
    print_lines(console(fast), lines, chunk=chunk)
    assert fast.getvalue() == by_rich.getvalue()
