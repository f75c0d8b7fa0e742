"""Progress as CSV: one row per region and a total row, UTF-8 with a BOM.

Shares are percentages with one decimal (74.3), gaps plain numbers; the met
column is 1 (met), 0 (not met) or empty (no baseline gap).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from compliance.render.csv import number, write_rows
from compliance.render.progress import common

if TYPE_CHECKING:
    from typing import TextIO

    from compliance.progress import Progress
    from compliance.render import RenderOptions


def _cell(kind: str, value: Any) -> Any:
    if kind == "share":
        return "" if value is None else round(value * 100, 1)
    if kind == "met":
        return "" if value is None else int(value)
    return number(value)


def render(progress: Progress, options: RenderOptions, out: TextIO) -> None:
    lang = options.lang
    heads = common.headers(progress, lang)
    heads = [
        f"{h} (%)" if kind == "share" else h
        for h, kind in zip(
            heads,
            [""] * (len(heads) - len(common.COLUMNS)) + [k for _, k in common.COLUMNS],
            strict=True,
        )
    ]
    rows: list[list[Any]] = [heads]
    for region in common.rows(progress):
        figures = [
            _cell(kind, v)
            for (_, kind), v in zip(common.COLUMNS, common.values(region), strict=True)
        ]
        rows.append([*common.names(progress, region, lang), *figures])
    write_rows(out, rows)
