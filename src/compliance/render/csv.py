"""The CSV report, UTF-8 with a BOM so that Excel opens Chinese right.

Two layouts. ``wide`` (the default, for people in Excel or WPS): one row per
community, with a group of columns per standard (outcome, actual, required,
shortfall). ``long`` (for machines): one row per (community, rule), with the
derivation, reason, cells and notes.

Headers and outcomes are in the report's language; figures are plain numbers
(no thousands separators) so that a spreadsheet reads them as numbers. Text from
the input that a spreadsheet would take for a formula gets a leading apostrophe.

Community codes in the wide layout. A 12-digit code such as 330702001001 opened
from a CSV becomes the number 3.30702E+11 in Excel and WPS (and loses digits past
the 15th, and leading zeros), and a CSV cannot say "this is text". What both
programs keep as text, showing exactly the digits, is the formula ``="330702001001"``;
saving the sheet again writes the plain code. A leading tab or apostrophe is not
an answer: Excel shows the apostrophe of a CSV cell and keeps the tab inside the
value (and both are injection triggers). So the wide layout writes a code that is
all digits as ``="…"``. This is the only formula we write, built by us from a code
checked to be digits only, so it cannot carry a payload; every text from the input
still goes through the injection guard (render/safety.py). The long layout, for
programs, writes codes as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from compliance import labels
from compliance.labels import field_label, t
from compliance.model import Finding, RecordResult
from compliance.render.csv_cells import BOM, number, write_frame, write_rows
from compliance.render.csv_wide import wide_frame, wide_header, wide_row, wide_rows
from compliance.results import Report

if TYPE_CHECKING:
    from typing import TextIO

    from compliance.render import RenderOptions
    from compliance.rules.model import Rule

__all__ = [
    "BOM",
    "finding_row",
    "header",
    "number",
    "render",
    "render_long",
    "wide_frame",
    "wide_header",
    "wide_row",
    "wide_rows",
    "write_frame",
    "write_rows",
]
_IDENTITY = ("id", "name", "city", "district", "subdistrict")


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
    """The wide layout (one row per community), or the long one."""
    if options.csv_layout == "long":
        render_long(report, options, out)
        return
    lang = options.lang
    label = report.ruleset.label

    write_rows(out, [wide_header(report, lang)])
    for check in report.checks:
        write_frame(out, wide_frame(check, report.rules, lang, label))
    # Sub-districts follow, for rules checked per sub-district.
    write_rows(out, (wide_row(rr, report.rules, lang, label) for rr in report.groups), bom=False)


def render_long(report: Report, options: RenderOptions, out: TextIO) -> None:
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
