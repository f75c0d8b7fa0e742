"""Renderers of gap-closure progress (``compliance progress``), one module per format.

Each module has ``render(progress, options, out)``. :mod:`.common` holds the
rows and wording they share; the xlsx workbook reuses the report's xlsx helpers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from compliance.render import Format

if TYPE_CHECKING:
    from compliance.progress import Progress
    from compliance.render import RenderOptions

#: The formats ``compliance progress`` writes (those of ``compliance summary``).
PROGRESS_FORMATS: tuple[Format, ...] = (
    Format.TABLE,
    Format.JSON,
    Format.CSV,
    Format.MARKDOWN,
    Format.XLSX,
    Format.HTML,
)


class ProgressRenderer(Protocol):
    def __call__(self, progress: Progress, options: RenderOptions, out: Any) -> None: ...


def get_progress_renderer(fmt: Format) -> ProgressRenderer:
    """The progress renderer for a format; formats without one raise UsageError."""
    render: ProgressRenderer
    if fmt is Format.TABLE:
        from compliance.render.progress.table import render
    elif fmt is Format.JSON:
        from compliance.render.progress.json import render
    elif fmt is Format.CSV:
        from compliance.render.progress.csv import render
    elif fmt is Format.MARKDOWN:
        from compliance.render.progress.markdown import render
    elif fmt is Format.XLSX:
        from compliance.render.progress.xlsx import render
    elif fmt is Format.HTML:
        from compliance.render.html import render_progress as render
    else:
        from compliance.errors import UsageError

        raise UsageError(f"--format {fmt}: progress is written as {', '.join(PROGRESS_FORMATS)}")
    return render
