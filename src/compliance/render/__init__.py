"""Renderers: one module per output format, all reading the same :class:`Report`.

Each renderer is a function ``render(report, options, out)`` that writes to a
text stream (or a binary one for xlsx); :func:`get_renderer` is the explicit
registry the CLI and the Python API pick from, as :func:`get_summary_renderer`
and :func:`get_progress_renderer` are for ``compliance summary`` and
``compliance progress``. Adding a format touches its module, the :class:`Format`
enum and the registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from typing import Any

    from compliance.attestation import Attestation
    from compliance.progress import Progress
    from compliance.results import Report
    from compliance.summary import Summary


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    JUNIT = "junit"
    CSV = "csv"
    MARKDOWN = "markdown"
    XLSX = "xlsx"
    HTML = "html"
    PARQUET = "parquet"


#: Formats written as bytes to a file (--output is required), not as text.
BINARY_FORMATS: frozenset[Format] = frozenset({Format.XLSX, Format.PARQUET})


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What every renderer may be told."""

    lang: str = "en"
    #: Table: list every community, not only those failing or unknown.
    show_all: bool = False
    #: Table: add the per-finding derivations.
    details: bool = False
    #: Table: list at most this many communities that fall short (None or 0: all).
    limit: int | None = 50
    #: Table: only the per-standard totals and the headline.
    compact: bool = False
    #: CSV: "wide" (a row per community or region) or "long" (a row per finding).
    csv_layout: str = "wide"
    #: Terminal width for the table, None for automatic.
    width: int | None = None
    color: bool = False
    exit_code: int | None = None
    #: JSON: a full object for every finding, passes included (default: passes by id).
    all_findings: bool = False
    #: HTML, Markdown, xlsx: 填表单位, 填表人 and 审核人 for the header.
    attestation: Attestation | None = None


class Renderer(Protocol):
    # ``out`` is a text stream, or a binary file for the formats in BINARY_FORMATS.
    def __call__(self, report: Report, options: RenderOptions, out: Any) -> None: ...


class SummaryRenderer(Protocol):
    """Renders a :class:`~compliance.summary.Summary` (``compliance summary``)."""

    def __call__(
        self, summary: Summary, report: Report, options: RenderOptions, out: Any
    ) -> None: ...


def get_renderer(fmt: Format) -> Renderer:
    """The renderer for a format (imported on demand to keep start-up fast)."""
    render: Renderer
    if fmt is Format.TABLE:
        from compliance.render.table import render
    elif fmt is Format.JSON:
        from compliance.render.json import render
    elif fmt is Format.JSONL:
        from compliance.render.jsonl import render
    elif fmt is Format.JUNIT:
        from compliance.render.junit import render
    elif fmt is Format.CSV:
        from compliance.render.csv import render
    elif fmt is Format.MARKDOWN:
        from compliance.render.markdown import render
    elif fmt is Format.XLSX:
        from compliance.render.xlsx import render
    elif fmt is Format.HTML:
        from compliance.render.html import render
    elif fmt is Format.PARQUET:
        from compliance.render.parquet import render
    else:  # pragma: no cover - every Format member is handled above
        from typing import assert_never

        assert_never(fmt)
    return render


def get_summary_renderer(fmt: Format) -> SummaryRenderer:
    """The summary renderer for a format; formats without one raise UsageError."""
    render: SummaryRenderer
    if fmt is Format.TABLE:
        from compliance.render.summary.table import render
    elif fmt is Format.JSON:
        from compliance.render.summary.json import render
    elif fmt is Format.CSV:
        from compliance.render.summary.csv import render
    elif fmt is Format.MARKDOWN:
        from compliance.render.summary.markdown import render
    elif fmt is Format.XLSX:
        from compliance.render.xlsx import render_summary as render
    elif fmt is Format.HTML:
        from compliance.render.html import render_summary as render
    else:
        from compliance.errors import UsageError

        raise UsageError("summary_format", format=str(fmt), choices=", ".join(SUMMARY_FORMATS))
    return render


#: The formats ``compliance summary`` writes.
SUMMARY_FORMATS: tuple[Format, ...] = (
    Format.TABLE,
    Format.JSON,
    Format.CSV,
    Format.MARKDOWN,
    Format.XLSX,
    Format.HTML,
)


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
    """Renders a :class:`~compliance.progress.Progress` (``compliance progress``)."""

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

        raise UsageError("progress_format", format=str(fmt), choices=", ".join(PROGRESS_FORMATS))
    return render
