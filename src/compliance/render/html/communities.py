"""The communities that fall short, each with its shortfalls and their cells, and
the data problems. Only those rows are visited and written: grouped by district,
worst first, each district in full up to a limit and then by name and row, so
that every community that falls short is on the page and a page of 100,000
communities stays readable."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from compliance import labels
from compliance.labels import field_label, t
from compliance.model import Outcome
from compliance.record_values import field_values
from compliance.render import rows as found
from compliance.render.common import attention_ordered, row_names
from compliance.render.html import document
from compliance.render.html.text import esc, h
from compliance.render.shortfall import shortfall_words
from compliance.results import Report
from compliance.rules.model import Rule

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    import polars as pl

#: Data problems listed on the page; the rest are counted.
LIMIT = 500

_CLASS = {"fail": "fail", "unknown": "unknown"}


def _finding(f: Mapping[str, Any], rule: Rule, households: Any, lang: str) -> str:
    text = shortfall_words(f, rule, households, lang=lang)
    outcome = Outcome(f["outcome"])
    if outcome in (Outcome.NOT_YET_DUE, Outcome.WAIVED):
        text = (
            f"{labels.outcome(outcome, lang)}：{text}"
            if lang == "zh"
            else f"{labels.outcome(outcome, lang)}: {text}"
        )
    # An unknown's reason already names its cells.
    shown = () if outcome is Outcome.UNKNOWN else f["cells"]
    cells = " ".join(f'<span class="cell">{esc(c)}</span>' for c in shown if c)
    cls = _CLASS.get(f["outcome"], "mut")
    return f'<li><b>{esc(rule.short(lang))}</b> <span class="{cls}">{esc(text)}</span> {cells}</li>'


#: Communities listed in full per district; the rest of a district are named below it.
PER_DISTRICT = 200


def _by_district(report: Report) -> pl.DataFrame:
    """Every community needing attention with its district (``_check``, ``_rec``,
    ``fails``, ``unknowns``, ``district``), districts with the most failing
    communities first, worst first within each (then input order)."""
    import polars as pl

    parts = []
    for i, c in enumerate(report.checks):
        records = c.table.records
        district = (
            records.select("_rec", pl.col("district").cast(pl.String))
            if "district" in records.columns
            else records.select("_rec", pl.lit(None, dtype=pl.String).alias("district"))
        )
        parts.append(
            c.table.attention()
            .join(district, on="_rec", how="left")
            .with_columns(pl.lit(i, dtype=pl.UInt32).alias("_check"))
            .select(
                pl.col("_check"),
                pl.col("_rec").cast(pl.UInt32),
                pl.col("fails").cast(pl.UInt32),
                pl.col("unknowns").cast(pl.UInt32),
                pl.col("district").fill_null(""),
            )
        )
    if not parts:
        return pl.DataFrame(
            schema={
                "_check": pl.UInt32,
                "_rec": pl.UInt32,
                "fails": pl.UInt32,
                "unknowns": pl.UInt32,
                "district": pl.String,
            }
        )
    frame = pl.concat(parts)
    failing = frame.group_by("district").agg(
        (pl.col("fails") > 0).sum().alias("_d_fail"), pl.len().alias("_d_all")
    )
    return (
        frame.join(failing, on="district", how="left")
        .sort(
            ["_d_fail", "_d_all", "district", "fails", "unknowns", "_check", "_rec"],
            descending=[True, True, False, True, True, False, False],
        )
        .drop("_d_fail", "_d_all")
    )


def _rows_html(
    parts: Sequence[found.Part], keys: pl.DataFrame, rules: dict[str, Rule], lang: str, multi: bool
) -> list[str]:
    """A table row per community ``keys`` names, with its findings that need attention."""
    import polars as pl

    out: list[str] = []
    for frame in found.shown(parts, keys, pl.col("outcome").is_in(found.SHOWN)):
        households: dict[tuple[int, int], Any] = {}
        if any("households" in rules[r].fields for r in frame["rule"].unique().to_list()):
            for i, p in enumerate(parts):
                recs = frame.filter(pl.col("_part") == i)["_rec"].unique(maintain_order=True)
                got = field_values(p.table, ["households"], recs.to_list())
                for rec, (values, _) in zip(recs.to_list(), got, strict=True):
                    households[(i, rec)] = values["households"]
        for _, rows in frame.group_by(["_part", "_rec"], maintain_order=True):
            first = rows.row(0, named=True)
            key = (first["_part"], first["_rec"])
            items = "".join(
                _finding(f, rules[f["rule"]], households.get(key), lang)
                for f in rows.iter_rows(named=True)
            )
            where = labels.row_label(first["sheet"], first["_row"], lang)
            sub = first["subdistrict"] or ""
            cells = [esc(first["display"]), esc(sub), esc(where), f'<ul class="gaps">{items}</ul>']
            if multi:
                cells.insert(0, esc(first["source"].rsplit("/", 1)[-1]))
            out.append(document.row(cells))
    return out


def short_list(report: Report, lang: str, per_district: int = PER_DISTRICT) -> str:
    """The communities that fall short or are unknown, grouped by district (the
    districts with the most failing communities first, a contents list linking to
    each), worst first within a district. A district with more than
    ``per_district`` lists the rest by name and row, so that every community that
    falls short can be found on the page."""
    import polars as pl

    rules = {r.id: r for r in report.rules}
    multi = len(report.checks) > 1
    head = [h("community", lang), h("subdistrict", lang), h("row", lang), h("shortfalls", lang)]
    if multi:
        head.insert(0, h("file", lang))
    frame = _by_district(report)
    parts = found.communities(report)
    group_parts = found.subdistricts(report)
    groups = found.in_order(group_parts, worst_first=True).join(
        attention_ordered(group_parts), on=["_part", "_rec"], how="semi", maintain_order="left"
    )
    if not frame.height and not groups.height:
        return document.titled("short", "short_list", lang, f"<p>{h('none_short', lang)}</p>")
    districts = frame.group_by("district", maintain_order=True).agg(
        pl.len().alias("n"), (pl.col("fails") > 0).sum().alias("failing")
    )
    toc: list[str] = []
    blocks: list[str] = []
    for i, (district, n, failing) in enumerate(districts.iter_rows()):
        anchor = f"d{i + 1}"
        name = district or t("coverage_no_district", lang)
        counts = h("toc_counts", lang, n=f"{n:,}", failing=f"{failing:,}")
        toc.append(
            f'<li><a href="#{anchor}">{esc(name)}</a> <span class="mut">{counts}</span></li>'
        )
        rows = frame.filter(pl.col("district") == district)
        shown = rows.head(per_district)
        keys = shown.select(pl.col("_check").alias("_part"), "_rec")
        body = _rows_html(parts, keys, rules, lang, multi)
        block = f'<h3 id="{anchor}">{esc(name)} <span class="mut">{counts}</span></h3>'
        block += document.table(head, body)
        if rows.height > per_district:
            block += _rest(report, rows.slice(per_district), lang)
        blocks.append(block)
    if groups.height:
        anchor = "subdistricts"
        toc.append(f'<li><a href="#{anchor}">{h("subdistrict_results", lang)}</a></li>')
        body = _rows_html(group_parts, groups, rules, lang, multi)
        blocks.append(
            f'<h3 id="{anchor}">{h("subdistrict_results", lang)}</h3>' + document.table(head, body)
        )
    contents = f'<nav class="toc"><b>{h("toc", lang)}</b><ol>{"".join(toc)}</ol></nav>'
    return document.titled("short", "short_list", lang, contents + "".join(blocks))


def _rest(report: Report, rest: pl.DataFrame, lang: str) -> str:
    """The communities of a district past the full list: by name and row, each with
    its counts, so that none is out of reach."""
    sep = "、" if lang == "zh" else ", "
    names = []
    for ci, rec, fails, unknowns in rest.select("_check", "_rec", "fails", "unknowns").iter_rows():
        check = report.checks[ci]
        records = check.table.records
        name = records["name"][rec] or ""
        row = records["_row"][rec]
        where = labels.row_label(check.source.sheet, row, lang)
        names.append(
            f"{name}（{where}，✗{fails} ?{unknowns}）"
            if lang == "zh"
            else f"{name} ({where}, ✗{fails} ?{unknowns})"
        )
    return (
        f'<p class="mut">{h("rest_listed", lang, n=f"{rest.height:,}")}</p>'
        f'<p class="rest">{esc(sep.join(names))}</p>'
    )


def problems(report: Report, lang: str, limit: int = LIMIT) -> str:
    """The data problems of every input, and the inputs that could not be read."""
    multi = len(report.checks) > 1
    head = [
        h("cell", lang),
        h("community", lang),
        h("field", lang),
        h("problem", lang),
        h("raw", lang),
    ]
    if multi:
        head.insert(0, h("file", lang))
    body: list[str] = []
    more = 0
    # An input that could not be read comes first: the figures above leave it out.
    for failure in report.failures:
        cells = ["", "", "", esc(f"{labels.t('unreadable', lang)}: {failure.text(lang)}"), ""]
        if multi:
            cells.insert(0, esc(Path(failure.path).name))
        else:
            cells[0] = esc(Path(failure.path).name)
        body.append(document.row(cells))
    for check in report.checks:
        if not check.problems:
            continue
        names = row_names(check)
        for p in sorted(check.problems, key=lambda p: p.row or 0):
            if len(body) >= limit:
                more += 1
                continue
            cells = [
                f'<span class="cell">{esc(p.cell)}</span>',
                esc(names.get(p.row or -1, "")),
                esc(field_label(p.field, lang) if p.field else ""),
                esc(p.message(lang)),
                f"<code>{esc(p.raw)}</code>" if p.raw else "",
            ]
            if multi:
                cells.insert(0, esc(check.source.path.rsplit("/", 1)[-1]))
            body.append(document.row(cells))
    unknown = sum(c.unknown for c in report.counts())
    note = ""
    if unknown:
        note = f'<p class="mut">{h("unknowns_above", lang, n=f"{unknown:,}")}</p>'
    if not body:
        return document.titled(
            "problems", "problems", lang, f"<p>{h('no_problems', lang)}</p>{note}"
        )
    content = document.table(head, body)
    if more:
        content += f'<p class="mut">{h("more_rows", lang, n=f"{more:,}")}</p>'
    return document.titled("problems", "problems", lang, content + note)
