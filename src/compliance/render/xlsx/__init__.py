"""The xlsx report: a workbook people can open, forward and print.

Sheets: a summary (cover block, shortfall per standard, notes and native bar
charts of compliance and of the premises gap by region), the shortfall by
region, one row of findings per community, and every data problem and unknown
with its source cell. ``check`` and ``summary`` write the same workbook.

The building blocks (:mod:`~compliance.render.xlsx.cells` for safe cells, number
formats and styles, :mod:`~compliance.render.xlsx.charts` for bar charts,
:mod:`~compliance.render.xlsx.sheets` for the sheets) are meant for other
workbook reports too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from compliance.render import RenderOptions
    from compliance.results import Report
    from compliance.summary import Summary


def render_summary(summary: Summary, report: Report, options: RenderOptions, out: BinaryIO) -> None:
    """Write the workbook for a summary to a binary file."""
    from compliance.render.xlsx.sheets import build_workbook
    from compliance.render.xlsx.splice import save

    wb, streams = build_workbook(summary, report, options.lang, options.attestation)
    save(wb, streams, out)


def render(report: Report, options: RenderOptions, out: BinaryIO) -> None:
    """Write the workbook for a check, grouped by the default region level."""
    from compliance.summary import summarise

    render_summary(summarise(report), report, options, out)
