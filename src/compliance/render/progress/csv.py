"""Progress as CSV, UTF-8 with a BOM: four tables one under the other, each with its
header row and a blank row between them:

1. one row per region and a total row (shares are percentages with one decimal,
   74.3; gaps plain numbers; the met column is 1, 0 or empty for no baseline gap);
2. per standard, the matched communities that newly comply, newly fail, still
   fail (and of those, improved, worsened, unchanged), still comply, unknown;
3. per matched community and standard, its change and shortfall in each snapshot;
4. the swings (大起大落): field, both cells and the message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from compliance import labels
from compliance.labels import t
from compliance.render.csv import number, write_rows
from compliance.render.progress import common, standards

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
    rows += [[], standards.headers(lang), *standards.rows(progress, lang)]
    rows += [[], standards.community_headers(progress, lang)]
    rows += [
        [*r[:-2], number(r[-2]), number(r[-1])] for r in standards.community_rows(progress, lang)
    ]
    rows += [
        [],
        [
            standards.text("field", lang),
            f"{t('pg_baseline', lang)} {standards.text('cells', lang)}",
            f"{t('pg_current', lang)} {standards.text('cells', lang)}",
            standards.text("message", lang),
        ],
    ]
    rows += [
        [labels.field_label(p.field or "", lang), p.cells[0], p.cells[1], p.message(lang)]
        for p in progress.swings
    ]
    write_rows(out, rows)
