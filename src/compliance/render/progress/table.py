"""Progress as a terminal table: one row per region and a total, then what it means."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from compliance.labels import t
from compliance.render.console import report_console
from compliance.render.progress import common, standards

if TYPE_CHECKING:
    from typing import TextIO

    from rich.console import Console

    from compliance.progress import Progress
    from compliance.render import RenderOptions


#: Swings listed in the terminal; the other formats list every one.
MAX_SWINGS = 20


def _wrap(text: str, width: int) -> str:
    """Break a header into lines of at most ``width`` terminal cells: at spaces in
    English, between characters in Chinese (which take two cells each)."""
    if " " in text or text.isascii():
        # An English word is never cut ("Disappear" / "ed"): the column widens instead.
        return textwrap.fill(text, width, break_long_words=False)
    lines: list[str] = []
    line = ""
    for ch in text:
        if cell_len(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return "\n".join([*lines, line])


def render(progress: Progress, options: RenderOptions, out: TextIO) -> None:
    lang = options.lang
    console = report_console(out, options, min_width=160)
    console.print(Text(common.title(progress, lang), style="bold"))
    console.print(Text(common.snapshots(progress, lang), style="dim"))
    console.print(common.target_line(progress, lang))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    heads = common.headers(progress, lang)
    width = len(heads) - len(common.COLUMNS)
    for i, h in enumerate(heads):
        if i < width:
            table.add_column(h, no_wrap=True)
        else:
            # Narrow figure columns: the header wraps by hand, the figures never do.
            name, _, rest = h.partition(" (")
            head = _wrap(name, 9) + (f"\n({rest}" if rest else "")
            table.add_column(head, justify="right", no_wrap=True)
    for region in common.rows(progress):
        style = "bold" if not region.key else ""
        met = region.met
        cells = common.text_values(region)
        row = [Text(c, style=style) for c in common.names(progress, region, lang)]
        for (key, _), c in zip(common.COLUMNS, cells, strict=True):
            colour = "green" if met else "red" if met is False else ""
            row.append(Text(c, style=f"{style} {colour}".strip() if key == "pg_met" else style))
        table.add_row(*row)
    console.print(table)
    for line in common.notes(progress, lang):
        console.print(line)
    lists = common.listed(progress, lang)
    if lists:
        console.print()
        for line in lists:
            console.print(Text(line, style="dim"))
    _standards(progress, lang, console)


def _standards(progress: Progress, lang: str, console: Console) -> None:
    """Every standard's changes, the interpretation choices and the swings."""
    console.print()
    console.print(Text(standards.text("by_standard", lang), style="bold"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for i, h in enumerate(standards.headers(lang)):
        table.add_column(_wrap(h, 9) if i else h, justify="right" if i else "left", no_wrap=True)
    for row in standards.rows(progress, lang):
        table.add_row(*(str(v) for v in row))
    console.print(table)
    for line in standards.listed(progress, lang):
        console.print(Text(line, style="dim"))
    lines = standards.interpretations(progress, lang)
    if lines:
        console.print()
        console.print(Text(standards.text("interpretations", lang), style="bold"))
        for line in lines:
            console.print(f"  {line}")
    console.print()
    console.print(Text(standards.text("swings", lang), style="bold yellow"))
    console.print(f"  {standards.swing_note(progress, lang)}")
    lines = standards.swing_lines(progress, lang)
    for line in lines[:MAX_SWINGS]:
        console.print(f"  {line}")
    if len(lines) > MAX_SWINGS:
        console.print(f"  {t('more_problems', lang, n=len(lines) - MAX_SWINGS)}")
