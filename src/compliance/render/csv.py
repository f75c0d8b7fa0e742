"""The CSV report: one row per finding, UTF-8 with a BOM so that Excel opens Chinese right.

Headers and outcomes are in the report's language; figures are plain numbers
(no thousands separators) so that a spreadsheet reads them as numbers. Text from
the input that a spreadsheet would take for a formula gets a leading apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from compliance import labels
from compliance.labels import field_label, t
from compliance.model import Finding, RecordResult, Report
from compliance.render.safety import csv_value

if TYPE_CHECKING:
    from typing import TextIO

    from compliance.render import RenderOptions
    from compliance.rules.model import Rule

#: Excel takes a UTF-8 file for the local code page (GBK in China) unless it starts with a BOM.
BOM = "\ufeff"
_IDENTITY = ("id", "name", "city", "district", "subdistrict")


def number(x: float | None) -> float | int | str:
    """A figure for a CSV cell: 350 rather than 350.0, "" for none."""
    if x is None:
        return ""
    return int(x) if float(x).is_integer() else x


def write_rows(out: TextIO, rows: Iterable[Iterable[Any]]) -> None:
    """Write rows as CSV after a BOM, with formula-like text made inert."""
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_value(v) for v in row])


def header(lang: str) -> list[str]:
    return [
        t("file", lang),
        t("row", lang),
        *(field_label(f, lang) for f in _IDENTITY),
        t("rule_id", lang),
        t("ruleset_column", lang),
        t("rule", lang),
        t("outcome", lang),
        t("actual", lang),
        t("required", lang),
        t("gap", lang),
        t("unit", lang),
        t("total", lang),
        t("total_unit", lang),
        t("derivation", lang),
        t("reason", lang),
        t("cell", lang),
        t("notes", lang),
    ]


def finding_row(
    rr: RecordResult, f: Finding, rule: Rule, lang: str, ruleset: str = ""
) -> list[Any]:
    rec = rr.record
    values = rec.values
    return [
        rec.source,
        f"{rec.sheet}!{rec.row}" if rec.sheet else rec.row,
        *("" if values.get(k) is None else str(values.get(k)) for k in _IDENTITY),
        f.rule,
        ruleset,
        rule.title(lang),
        labels.outcome(f.outcome, lang),
        number(f.actual),
        number(f.required),
        number(f.shortfall),
        labels.unit(rule.unit, lang),
        number(f.total),
        labels.unit(rule.total_unit, lang) if f.total is not None else "",
        f.derivation,
        labels.reason(f, lang),
        " ".join(c for c in f.cells if c),
        "; ".join(labels.note(n, lang) for n in f.notes),
    ]


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    """Write one row per (community, rule), in input order."""
    lang = options.lang
    rules = {r.id: r for r in report.rules}

    def rows() -> Iterable[list[Any]]:
        yield header(lang)
        # Then the sub-districts, for rules checked per sub-district.
        for rr in (*report.results, *report.groups):
            for f in rr.findings:
                yield finding_row(rr, f, rules[f.rule], lang, report.ruleset.label)

    write_rows(out, rows())
