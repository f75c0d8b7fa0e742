"""Renderers: one module per output format, all reading the same :class:`Report`.

Each text renderer is a function ``render(report, options) -> str`` (or a
writer for streaming formats); :data:`RENDERERS` is the explicit registry the
CLI and the Python API pick from. Adding a format touches its module, the
:class:`Format` enum and the registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from typing import TextIO

    from compliance.model import Report


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What every renderer may be told."""

    lang: str = "en"
    #: Table: list every community, not only those failing or unknown.
    show_all: bool = False
    #: Table: add the per-finding derivations.
    details: bool = False
    #: Terminal width for the table, None for automatic.
    width: int | None = None
    color: bool = False
    exit_code: int | None = None


class Renderer(Protocol):
    def __call__(self, report: Report, options: RenderOptions, out: TextIO) -> None: ...


def get_renderer(fmt: Format) -> Renderer:
    """The renderer for a format (imported on demand to keep start-up fast)."""
    if fmt is Format.TABLE:
        from compliance.render.table import render
    elif fmt is Format.JSON:
        from compliance.render.json import render
    else:  # pragma: no cover - every Format member is handled above
        from typing import assert_never

        assert_never(fmt)
    return render
