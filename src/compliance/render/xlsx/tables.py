"""The two long sheets of the xlsx report: one row of findings per community, and
every data problem and unknown with its source cell.

Their rows are encoded by :mod:`compliance.render.xlsx.stream` rather than built
cell by cell; openpyxl writes only their headers, fills, filters and print setup.
Only what a row shows is visited: a community's findings, and for the problems
sheet the unknown findings and the data problems.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from compliance import labels
from compliance.labels import field_label, t
from compliance.model import Outcome
from compliance.render.common import row_names
from compliance.render.xlsx import cells, stream
from compliance.render.xlsx.stream import Rows, encode, encode_chunks
from compliance.render.xlsx.words import both, sheet_title
from compliance.results import CheckResult, Report

if TYPE_CHECKING:
    import polars as pl

_IDENTITY = ("id", "name", "city", "district", "subdistrict")


def _outcome_fills(ws: Worksheet, ref: str, lang: str) -> None:
    for outcome, fill, font in (
        (Outcome.PASS, cells.PASS_FILL, cells.PASS_FONT),
        (Outcome.FAIL, cells.FAIL_FILL, cells.FAIL_FONT),
        (Outcome.UNKNOWN, cells.UNKNOWN_FILL, cells.UNKNOWN_FONT),
    ):
        text = labels.outcome(outcome, lang).replace('"', '""')
        ws.conditional_formatting.add(
            ref, CellIsRule(operator="equal", formula=[f'"{text}"'], fill=fill, font=font)
        )


def _record_frame(check: CheckResult) -> pl.DataFrame:
    """The check's communities with ``_ref`` ("社区情况!12", as Record.ref) and
    ``_name`` (as Record.name)."""
    import polars as pl

    src = check.source
    sheet = "" if src.format.startswith("csv") else src.sheet
    row = pl.col("_row").cast(pl.String)
    return check.table.records.with_columns(
        (pl.lit(f"{sheet}!") + row if sheet else pl.lit("row ") + row).alias("_ref"),
        pl.coalesce(
            pl.when(pl.col("name") != "").then(pl.col("name")),
            pl.when(pl.col("id") != "").then(pl.col("id")),
            pl.lit("#") + row,
        ).alias("_name"),
    )


def _finding_chunks(
    report: Report, lang: str, multi: bool, rules: int
) -> Iterator[list[list[Any]]]:
    """The findings sheet's data, read from the findings tables, a chunk of
    :data:`~compliance.render.xlsx.stream.CHUNK` communities at a time, column by
    column (one list per column)."""
    import polars as pl

    words = {o.value: labels.outcome(o, lang) for o in Outcome}
    ids = [r.id for r in report.rules if r.level == "community"][:rules]
    for check in report.checks:
        table = check.table
        frame = _record_frame(check).with_columns(table.worst().alias("_worst"))
        per_rule = table.outcomes.partition_by("rule", as_dict=True, include_key=False)
        for i, rid in enumerate(ids):
            part = per_rule.pop((rid,), None)
            o, g = f"_o{i}", f"_g{i}"
            if part is None:
                frame = frame.with_columns(pl.lit(None, pl.String).alias(o), pl.lit(None).alias(g))
                continue
            part = part.select("_rec", pl.col("outcome").alias(o), pl.col("shortfall").alias(g))
            frame = frame.join(part, on="_rec", how="left", maintain_order="left")
        del per_rule
        name = check.source.path.rsplit("/", 1)[-1]
        for at in range(0, frame.height, stream.CHUNK):
            part = frame.slice(at, stream.CHUNK)
            got: list[list[Any]] = []
            if multi:
                got.append([name] * part.height)
            # The sheet row as a number (the sheet is named on the cover): "社区情况!12"
            # would read as a cell without its column.
            got.append(part["_row"].to_list())
            got += [part[k].to_list() for k in _IDENTITY]
            got.append([words[w] for w in part["_worst"].to_list()])
            for i in range(len(ids)):
                got.append([words.get(v, "") if v else None for v in part[f"_o{i}"].to_list()])
                got.append(part[f"_g{i}"].to_list())
            yield got


def findings_sheet(wb: Workbook, report: Report, lang: str) -> Rows:
    """One row per community: where it is, its worst outcome, then an outcome and a
    shortfall column per standard. Outcomes are filled green, red or yellow."""
    ws = wb.create_sheet(sheet_title("sheet_findings"))
    multi = len(report.checks) > 1
    headers = [both("file")] if multi else []
    headers.append(both("row"))
    headers += [f"{field_label(f, 'zh')}\n{field_label(f, 'en')}" for f in _IDENTITY]
    headers.append(both("outcome"))
    fixed = len(headers)
    formats: list[str | None] = [None] * fixed
    outcome_cols = [fixed]
    # Rules checked per sub-district have no cell in a community's row.
    for rule in (r for r in report.rules if r.level == "community"):
        headers.append(f"{rule.short_zh} {t('outcome', 'zh')}\n{rule.short('en')} outcome")
        formats.append(None)
        outcome_cols.append(len(headers))
        headers.append(
            f"{rule.short_zh} {t('gap', 'zh')}（{labels.unit(rule.unit, 'zh')}）\n"
            f"{rule.short('en')} shortfall ({labels.unit(rule.unit, 'en')})"
        )
        formats.append(cells.number_format(rule.unit))
    cells.header_row(ws, 1, headers)
    rules = (len(headers) - fixed) // 2
    rows = encode_chunks(ws, _finding_chunks(report, lang, multi, rules), formats)
    r = max(rows.last_row, 1)
    cells.finish_table(ws, 1, r, len(headers), freeze_columns=fixed - 4)
    for col in outcome_cols:
        letter = get_column_letter(col)
        _outcome_fills(ws, f"{letter}2:{letter}{max(r, 2)}", lang)
    cells.fit_columns(ws, minimum=10, maximum=30, widths=rows.widths)
    cells.print_table(ws, title_columns=fixed - 4)
    return rows


def _problem_rows(report: Report, lang: str) -> Iterator[list[Any]]:
    import polars as pl

    rules = {r.id: r for r in report.rules}
    unknown = t("unknown", lang)
    for check in report.checks:
        names = row_names(check)
        items: list[tuple[int, list[Any]]] = []
        frame = _record_frame(check)
        rows = frame["_row"].to_list()
        refs = frame["_ref"].to_list()
        shown = frame["_name"].to_list()
        unknowns = check.table.findings(pl.col("outcome") == "unknown")
        for f in unknowns.iter_rows(named=True):
            rec = f["_rec"]
            rule = rules[f["rule"]]
            fields = f["missing"] or rule.fields
            items.append(
                (
                    rows[rec],
                    [
                        check.source.path,
                        ", ".join(c for c in f["cells"] if c) or refs[rec],
                        shown[rec],
                        rule.short(lang),
                        "、".join(field_label(x, lang) for x in fields),
                        unknown,
                        labels.reason_text(
                            f["reason"], f["derivation"], f["cells"], f["notes"], f["missing"], lang
                        ),
                        None,
                    ],
                )
            )
        for p in check.problems:
            items.append(
                (
                    p.row or 0,
                    [
                        check.source.path,
                        ", ".join(p.cells) or p.cell,
                        names.get(p.row or -1, ""),
                        "",
                        field_label(p.field, lang) if p.field else "",
                        t("review" if p.code == "review" else "data_problem", lang),
                        p.message(lang),
                        p.raw,
                    ],
                )
            )
        # Cell by cell down the sheet; a record's unknowns after the problem that caused them.
        items.sort(key=lambda item: item[0])
        for _, row in items:
            yield row
    for failure in report.failures:
        yield [failure.path, "", "", "", "", t("unreadable", lang), failure.text(lang), None]


def problems_sheet(wb: Workbook, report: Report, lang: str) -> Rows:
    """Every unknown finding and every data problem, with its source cell."""
    ws = wb.create_sheet(sheet_title("sheet_problems"))
    keys = ("file", "cell", "community", "rule", "field", "kind", "problem", "raw")
    cells.header_row(ws, 1, [both(k) for k in keys])
    rows = encode(ws, _problem_rows(report, lang), [None] * len(keys))
    cells.finish_table(ws, 1, max(rows.last_row, 1), len(keys), freeze_columns=2)
    cells.fit_columns(ws, maximum=60, widths=rows.widths)
    cells.print_table(ws, title_columns=2)
    return rows
