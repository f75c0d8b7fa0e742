"""The console the terminal reports print through."""

from __future__ import annotations

import io

import pytest

from compliance.render import RenderOptions
from compliance.render.console import report_console


def test_text_from_the_input_is_not_markup() -> None:
    out = io.StringIO()
    report_console(out, RenderOptions()).print("[bold]社区 [red]区")
    assert out.getvalue().strip() == "[bold]社区 [red]区"


def test_files_get_a_readable_width(monkeypatch: pytest.MonkeyPatch) -> None:
    # $COLUMNS asks for a width of its own (another test in this process may have set it).
    monkeypatch.delenv("COLUMNS", raising=False)
    assert report_console(io.StringIO(), RenderOptions(), min_width=160).width >= 160
    assert report_console(io.StringIO(), RenderOptions(width=90)).width == 90
