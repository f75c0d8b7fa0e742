"""Progress as Markdown, for pasting into a written report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compliance.render.markdown import table
from compliance.render.progress import common, standards
from compliance.render.safety import markdown_text

if TYPE_CHECKING:
    from typing import TextIO

    from compliance.progress import Progress
    from compliance.render import RenderOptions


def render(progress: Progress, options: RenderOptions, out: TextIO) -> None:
    lang = options.lang
    heads = common.headers(progress, lang)
    width = len(heads) - len(common.COLUMNS)
    rows = [
        [*common.names(progress, region, lang), *common.text_values(region)]
        for region in common.rows(progress)
    ]
    out.write(f"# {markdown_text(common.title(progress, lang))}\n\n")
    out.write(f"- {markdown_text(common.snapshots(progress, lang))}\n")
    out.write(f"- {markdown_text(common.target_line(progress, lang))}\n\n")
    out.write(table(heads, rows, right=range(width, len(heads))))
    out.write("\n")
    for line in [*common.notes(progress, lang), *common.listed(progress, lang)]:
        out.write(f"{markdown_text(line)}\n\n")
    out.write(f"## {standards.text('by_standard', lang)}\n\n")
    heads = standards.headers(lang)
    body = [[str(v) for v in row] for row in standards.rows(progress, lang)]
    out.write(table(heads, body, right=range(1, len(heads))))
    out.write("\n")
    for line in standards.listed(progress, lang):
        out.write(f"- {markdown_text(line)}\n")
    lines = standards.interpretations(progress, lang)
    if lines:
        out.write(f"\n## {standards.text('interpretations', lang)}\n\n")
        out.writelines(f"- {markdown_text(line)}\n" for line in lines)
    out.write(f"\n## {standards.text('swings', lang)}\n\n")
    out.write(f"{markdown_text(standards.swing_note(progress, lang))}\n")
    if progress.swings:
        out.write("\n")
        out.writelines(
            f"- {markdown_text(line)}\n" for line in standards.swing_lines(progress, lang)
        )
