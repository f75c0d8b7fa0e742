"""The top of the workbook's first sheet: the title, the banner (what needs
attention first), then the cover block: 填表单位/填表人/审核人 where given, the rule
set, each input by name with its SHA-256, the time with its zone, the tool, the
grouping, the premises unit cost and the interpretation choices."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance import labels
from compliance._version import __version__
from compliance.dates import local_time
from compliance.labels import t
from compliance.render.summary import common
from compliance.render.xlsx import cells, office
from compliance.render.xlsx.words import both

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from compliance.attestation import Attestation
    from compliance.results import Report
    from compliance.summary import Summary


def cover(
    ws: Worksheet, summary: Summary, report: Report, lang: str, attestation: Attestation | None
) -> int:
    """The title, the banner and the cover block; returns the last row written."""
    rs = report.ruleset
    ws["A1"].font = cells.TITLE_FONT
    cells.put(ws, 1, 1, t("summary_heading", lang, ruleset=rs.title(lang)), font=cells.TITLE_FONT)
    row = office.banner(ws, report, lang, 1) + 1
    inputs = [f"{Path(c.source.path).name}  SHA-256 {c.source.sha256}" for c in report.checks]
    lines: list[tuple[str, Any]] = [
        *((both(f"attest_{k}"), v) for k, v in (attestation.items() if attestation else [])),
        (both("cover_ruleset"), f"{rs.title(lang)} · {rs.id} {rs.version}"),
        (both("cover_inputs"), "\n".join(inputs) or "—"),
        (both("cover_run"), local_time(report.started_at)),
        (both("cover_tool"), f"compliance {__version__}"),
        (both("cover_by"), common.level_header(summary.by, lang) if summary.by else "—"),
    ]
    if summary.cost is not None:
        per = f"{labels.number(summary.cost.per_m2)} {labels.unit('yuan', lang)}/{labels.unit('m2', lang)}"
        source = common.cost_source(summary, report, lang)
        lines.append(
            (both("cover_cost"), f"{per}（{source}）" if lang == "zh" else f"{per} ({source})")
        )
    for p in rs.interpretations:
        lines.append((p.label(lang), f"{p.value}: {p.note(lang)}"))
    for label, value in lines:
        row += 1
        cells.put(ws, row, 1, label, font=cells.LABEL_FONT, align=cells.WRAP)
        cells.put(ws, row, 2, value, align=cells.WRAP)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=7)
        text_lines = max(label.count("\n"), str(value).count("\n"), len(str(value)) // 70) + 1
        ws.row_dimensions[row].height = 15 * text_lines + 2
    if rs.illustrative:
        row += 1
        cells.put(ws, row, 1, t("illustrative", lang), font=cells.WARNING_FONT)
    if report.failures:
        row += 1
        names = ", ".join(Path(f.path).name for f in report.failures)
        cells.put(ws, row, 1, f"{t('unreadable', lang)}: {names}", font=cells.WARNING_FONT)
    return row
