"""The rich console every terminal report prints through."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    from typing import TextIO

    from compliance.render import RenderOptions


def report_console(out: TextIO, options: RenderOptions, min_width: int = 120) -> Console:
    """A console writing to ``out``.

    Markup is off: community and region names come from the input, and a name
    like "[red]" must print as written. Written to a file or a pipe, the report
    gets at least ``min_width`` columns, so wide tables don't fold into columns
    of one character, unless $COLUMNS asks for a width.
    """
    console = Console(
        file=out,
        width=options.width,
        force_terminal=options.color,
        no_color=not options.color,
        highlight=False,
        soft_wrap=False,
        markup=False,
    )
    if options.width is None and not options.color and not os.environ.get("COLUMNS"):
        console.width = max(console.width, min_width)
    return console
