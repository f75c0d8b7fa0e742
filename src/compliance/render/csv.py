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

import csv
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from compliance import labels
from compliance.labels import field_label, t
from compliance.model import CheckResult, Finding, Outcome, RecordResult, Report
from compliance.render.safety import csv_value

if TYPE_CHECKING:
    from typing import TextIO

    import polars as pl

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


class TextCode(str):
    """A code made only of digits, written so that Excel and WPS keep it as text."""

    __slots__ = ()

    @property
    def cell(self) -> str:
        return f'="{self}"'


_DIGITS = re.compile(r"[0-9]+")


def code_cell(value: object) -> object:
    """A community code for the wide layout: digits as :class:`TextCode`; anything
    else as given (and then through the injection guard)."""
    text = "" if value is None else str(value)
    return TextCode(text) if _DIGITS.fullmatch(text) else text


def _cell(v: object) -> object:
    return v.cell if isinstance(v, TextCode) else csv_value(v)


def write_rows(out: TextIO, rows: Iterable[Iterable[Any]], *, bom: bool = True) -> None:
    """Write rows as CSV (after a BOM unless ``bom`` is false), with formula-like
    text made inert."""
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(v) for v in row])


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


#: Per standard in the wide layout: outcome, actual, required, shortfall.
_GROUP = ("outcome", "actual", "required", "gap")


def wide_header(report: Report, lang: str) -> list[str]:
    cols = [
        t("file", lang),
        t("row", lang),
        *(field_label(f, lang) for f in _IDENTITY),
        t("result", lang),
    ]
    for r in report.rules:
        name = r.short(lang)
        unit = labels.unit(r.unit, lang)
        for key in _GROUP:
            label = f"{name} {t(key, lang)}"
            cols.append(f"{label} ({unit})" if unit and key != "outcome" else label)
    cols.append(t("ruleset_column", lang))
    return cols


def wide_row(rr: RecordResult, rules: Iterable[Rule], lang: str, ruleset: str) -> list[Any]:
    rec = rr.record
    values = rec.values
    row: list[Any] = [
        rec.source,
        f"{rec.sheet}!{rec.row}" if rec.sheet else rec.row,
        code_cell(values.get("id")),
        *("" if values.get(k) is None else str(values.get(k)) for k in _IDENTITY[1:]),
        labels.outcome(rr.worst, lang),
    ]
    for r in rules:
        f = rr.finding(r.id)
        if f is None:
            row += [""] * len(_GROUP)
            continue
        row += [labels.outcome(f.outcome, lang), number(f.actual), number(f.required)]
        row.append(number(f.shortfall))
    row.append(ruleset)
    return row


def wide_rows_source(
    check: CheckResult, rules: Iterable[Rule]
) -> tuple[pl.DataFrame, list[tuple[str, str, str, str]]]:
    """The check's communities with their worst outcome (``_worst``) and, per rule,
    the names of its outcome, actual, required and shortfall columns."""
    import polars as pl

    table = check.table
    wide = table.records.with_columns(table.worst().alias("_worst"))
    per_rule = table.outcomes.partition_by("rule", as_dict=True, include_key=False)
    figures = ("outcome", "actual", "required", "shortfall")
    names: list[tuple[str, str, str, str]] = []
    for i, r in enumerate(rules):
        part = per_rule.get((r.id,))
        cols = tuple(f"{k}{i}" for k in figures)
        names.append(cols)  # type: ignore[arg-type]
        if part is None:
            wide = wide.with_columns(
                pl.lit(None, pl.String if c.startswith("outcome") else pl.Float64).alias(c)
                for c in cols
            )
            continue
        part = part.select(
            "_rec", *(pl.col(k).alias(c) for k, c in zip(figures, cols, strict=True))
        )
        wide = wide.join(part, on="_rec", how="left", maintain_order="left")
    return wide, names


def wide_rows(
    check: CheckResult, rules: Iterable[Rule], lang: str, ruleset: str
) -> Iterator[list[Any]]:
    """:func:`wide_row` for every community of ``check``, read from its findings
    table (no record objects)."""
    import polars as pl

    src = check.source
    path = src.path
    sheet = "" if src.format.startswith("csv") else src.sheet
    wide, names = wide_rows_source(check, rules)
    said = {o.value: labels.outcome(o, lang) for o in Outcome}
    flat = [c for group in names for c in group]
    for rec_row, ident, worst, *found in wide.select(
        "_row", pl.concat_list(_IDENTITY).alias("_ident"), "_worst", *flat
    ).iter_rows():
        row: list[Any] = [
            path,
            f"{sheet}!{rec_row}" if sheet else rec_row,
            code_cell(ident[0]),
            *("" if v is None else v for v in ident[1:]),
            said[worst],
        ]
        for at in range(0, len(found), 4):
            outcome, actual, required, shortfall = found[at : at + 4]
            if outcome is None:
                row += [""] * len(_GROUP)
            else:
                row += [said[outcome], number(actual), number(required), number(shortfall)]
        row.append(ruleset)
        yield row


def _cells(series: pl.Series) -> pl.Series:
    """Each value of a text column as :func:`write_rows` writes it (made inert),
    worked out once per distinct value."""
    import polars as pl

    named = {v: str(_cell(v)) for v in series.unique().to_list() if v is not None}
    return series.replace_strict(named, default=None, return_dtype=pl.String)


def _figures(series: pl.Series) -> pl.Series:
    """A figure column as :func:`number` writes it: whole numbers without ".0"."""
    import polars as pl

    x = series.cast(pl.Float64)
    whole = x.is_finite() & (x == x.floor()) & (x.abs() < 2.0**53)
    ints = pl.select(pl.when(whole).then(x.cast(pl.Int64, strict=False))).to_series()
    fractions = x.filter(x.is_not_null() & ~whole.fill_null(False)).unique().to_list()
    texts = {v: str(number(v)) for v in fractions}
    other = x.replace_strict(texts, default=None, return_dtype=pl.String)
    return pl.select(pl.coalesce(ints.cast(pl.String), other)).to_series()


def wide_frame(check: CheckResult, rules: Iterable[Rule], lang: str, ruleset: str) -> pl.DataFrame:
    """The rows of :func:`wide_rows` as text columns, ready for :func:`write_frame`."""
    import polars as pl

    frame, names = wide_rows_source(check, rules)
    said = {o.value: str(_cell(labels.outcome(o, lang))) for o in Outcome}
    src = check.source
    sheet = "" if src.format.startswith("csv") else src.sheet
    row = frame["_row"].cast(pl.String)
    where = pl.select(pl.lit(f"{sheet}!") + row).to_series() if sheet else row
    ids = frame["id"]
    codes = {
        v: (TextCode(v).cell if _DIGITS.fullmatch(v) else str(csv_value(v)))
        for v in ids.unique().to_list()
        if v is not None
    }
    out: list[pl.Series] = [
        pl.Series("file", [str(_cell(src.path))] * frame.height, dtype=pl.String),
        _cells(where).alias("row"),
        ids.replace_strict(codes, default=None, return_dtype=pl.String).alias("id"),
        *(_cells(frame[k]).alias(k) for k in _IDENTITY[1:]),
        frame["_worst"].replace_strict(said, return_dtype=pl.String).alias("_worst"),
    ]
    for i, (outcome, actual, required, shortfall) in enumerate(names):
        out.append(
            frame[outcome].replace_strict(said, default=None, return_dtype=pl.String).alias(f"o{i}")
        )
        out += [_figures(frame[c]).alias(f"{c}") for c in (actual, required, shortfall)]
    out.append(pl.Series("ruleset", [str(_cell(ruleset))] * frame.height, dtype=pl.String))
    return pl.DataFrame(out)


def write_frame(out: TextIO, frame: pl.DataFrame) -> None:
    """Write text columns as CSV rows, quoted as :func:`write_rows` quotes them."""
    for at in range(0, frame.height, 50_000):
        text = frame.slice(at, 50_000).write_csv(
            include_header=False, line_terminator="\r\n", quote_style="necessary"
        )
        out.write(text)


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
