"""The Markdown report, for pasting into a written report.

Tables use GitHub-flavoured Markdown. Text from the input is escaped so that a
community name cannot break a table or smuggle in HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from compliance import labels
from compliance._version import __version__
from compliance.labels import t
from compliance.model import Outcome
from compliance.render import rows as found
from compliance.render.common import (
    caption,
    community_count,
    listed,
    marks_column,
    shortfall_texts,
)
from compliance.render.safety import markdown_code as code
from compliance.render.safety import markdown_text
from compliance.results import Report

if TYPE_CHECKING:
    from typing import TextIO

    import polars as pl

    from compliance.attestation import Attestation
    from compliance.render import RenderOptions


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], right: Iterable[int] = ()) -> str:
    """A Markdown table; ``right`` are the indexes of right-aligned (number) columns."""
    align = set(right)
    lines = [
        "| " + " | ".join(markdown_text(h) for h in headers) + " |",
        "|" + "|".join("---:" if i in align else "---" for i in range(len(headers))) + "|",
    ]
    lines += ["| " + " | ".join(markdown_text(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def banner(report: Report, lang: str) -> list[str]:
    """The banner (:mod:`compliance.render.banner`) as a quoted list, then a blank line."""
    from compliance.render.banner import lines

    said = lines(report, lang)
    if not said:
        return []
    out = [f"> **{t('banner_title', lang)}**", ">"]
    out += [
        f"> - **{markdown_text(b.text)}**" if b.grave else f"> - {markdown_text(b.text)}"
        for b in said
    ]
    return [*out, ""]


def cover(report: Report, lang: str, attestation: Attestation | None = None) -> list[str]:
    """Bullet lines: inputs (by name, with their SHA-256), run time with its zone,
    tool, 填表单位/填表人/审核人 where given, and a warning for an illustrative rule set."""
    from compliance.dates import local_time

    lines = [
        f"- {t('cover_inputs', lang)}: "
        + ", ".join(
            f"{code(Path(c.source.path).name)} (SHA-256 {code(c.source.sha256)})"
            for c in report.checks
        )
    ]
    lines.append(f"- {t('cover_run', lang)}: {local_time(report.started_at)}")
    lines.append(f"- {t('cover_tool', lang)}: compliance {__version__}")
    if attestation:
        lines += [f"- {t(f'attest_{k}', lang)}: {markdown_text(v)}" for k, v in attestation.items()]
    if report.ruleset.illustrative:
        lines.append(f"- **{t('illustrative', lang)}**")
    return lines


def by_rule(report: Report, lang: str) -> str:
    shortfalls = shortfall_texts(report, lang)
    rules = {r.id: r for r in report.rules}
    rows = []
    for c in report.counts():
        r = rules[c.rule]
        short = shortfalls.get(c.rule, "")
        rows.append(
            [
                r.title(lang),
                str(c.passed),
                str(c.failed),
                str(c.unknown),
                str(c.not_applicable),
                short,
            ]
        )
    headers = [
        t(k, lang) for k in ("rule", "pass", "fail", "unknown", "not_applicable", "shortfall")
    ]
    return table(headers, rows, right=range(1, 6))


def communities(report: Report, options: RenderOptions) -> tuple[str, str]:
    """The pass/fail table (failing and unknown communities first) and its caption,
    its rows made as polars columns (a report with --all lists every community)."""
    import polars as pl

    lang = options.lang
    shown = listed(report, options.show_all)
    multi = len(report.checks) > 1
    headers = [t("community", lang), t("district", lang), t("subdistrict", lang)]
    # Rules checked per sub-district have no cell in a community's row.
    per_community = [r for r in report.rules if r.level == "community"]
    headers += [f"{r.short(lang)} ({labels.unit(r.unit, lang)})" for r in per_community]
    headers.append(t("row", lang))
    frame = found.marks(found.communities(report), shown, [r.id for r in per_community])
    if not frame.height:
        return "", caption(report, shown.height, options.show_all, lang)
    row = pl.col("_row").cast(pl.String)
    # labels.row_label as columns.
    where = pl.when(pl.col("sheet") != "").then(pl.col("sheet") + pl.lit(" ")).otherwise(
        pl.lit("")
    ) + (pl.lit("第") + row + pl.lit("行") if lang == "zh" else pl.lit("row ") + row)
    if multi:
        where = pl.col("source").str.split("/").list.last() + pl.lit(":") + where
    cells = frame.select(
        pl.col("display"),
        pl.col("district").cast(pl.String).fill_null(""),
        pl.col("subdistrict").cast(pl.String).fill_null(""),
        *(marks_column(frame, f"o{i}", f"s{i}").alias(f"m{i}") for i in range(len(per_community))),
        where.alias("where"),
    )
    line = pl.concat_str([_escaped(cells[c]) for c in cells.columns], separator=" | ")
    rows = cells.select(pl.lit("| ") + line + pl.lit(" |")).to_series().to_list()
    body = table(headers, [], right=range(3, 3 + len(per_community))) + "\n".join(rows) + "\n"
    return body, caption(report, shown.height, options.show_all, lang)


def _escaped(texts: pl.Series) -> pl.Series:
    """:func:`markdown_text` of each text, made once per distinct text."""
    import polars as pl

    said = {v: markdown_text(v) for v in texts.unique().to_list()}
    return texts.replace_strict(said, return_dtype=pl.String)


def extras(report: Report, lang: str) -> list[str]:
    """Interpretation choices, reading notes, data problems and unreadable inputs."""
    out: list[str] = []
    rs = report.ruleset
    if rs.interpretations:
        out += ["", f"## {t('interpretations', lang)}", ""]
        out += [
            f"- {p.label(lang)} = {p.value}: {markdown_text(p.note(lang))}"
            for p in rs.interpretations
        ]
    notes = [n for c in report.checks for n in c.source.notes(lang)]
    if notes:
        out += ["", f"## {t('notes', lang)}", ""]
        out += [f"- {markdown_text(n)}" for n in notes]
    for key, problems in (
        ("problems", [p for p in report.problems if p.code != "review"]),
        ("review", [p for p in report.problems if p.code == "review"]),
    ):
        if problems:
            out += ["", f"## {t(key, lang)}", ""]
            out += [f"- {code(p.cell)}: {markdown_text(p.message(lang))}" for p in problems]
    if report.failures:
        out += ["", f"## {t('unreadable', lang)}", ""]
        out += [f"- {markdown_text(f.text(lang))}" for f in report.failures]
    return out


def office(report: Report, lang: str) -> list[str]:
    """The verdict on each return, the duplicates across inputs and the coverage."""
    from compliance.duplicates import pairs
    from compliance.render.verdicts import verdict_lines

    out: list[str] = []
    verdicts = verdict_lines(report, lang)
    if verdicts:
        out += ["", f"## {t('verdict_title', lang)}", ""]
        out += [f"- {markdown_text(line)}" for _, line in verdicts]
    if report.duplicates:
        out += ["", f"## {t('duplicates_title', lang)}", ""]
        rule = t("duplicates_rule", lang, rule=t("duplicates_rule_text", lang))
        out.append(markdown_text(rule))
        out.append("")
        out += [
            "- "
            + markdown_text(
                t(
                    "duplicates_pair",
                    lang,
                    n=n,
                    dropped=Path(dropped).name,
                    kept=Path(kept).name,
                    reason=t(f"duplicates_reason_{why}", lang),
                )
            )
            for dropped, kept, why, n in pairs(report.duplicates)
        ]
    cov = report.coverage
    if cov is not None:
        out += ["", f"## {t('coverage_title', lang)}", ""]
        head = t("coverage_list", lang, file=Path(cov.path).name, expected=cov.expected)
        counts = t(
            "coverage_counts", lang, missing=len(cov.missing), unexpected=len(cov.unexpected)
        )
        out.append(markdown_text(head + ("；" if lang == "zh" else "; ") + counts))
        sep = "、" if lang == "zh" else ", "
        for key, items in (
            ("coverage_missing", [(m.district, m.name) for m in cov.missing]),
            ("coverage_unexpected", [(u.district, u.name) for u in cov.unexpected]),
        ):
            if not items:
                continue
            out += ["", f"**{t(key, lang)}**", ""]
            for district in cov.districts():
                names = [name for d, name in items if d == district]
                if names:
                    where = district or t("coverage_no_district", lang)
                    line = t("coverage_district", lang, district=where, names=sep.join(names))
                    out.append(f"- {markdown_text(line)}")
    return out


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    """Write the check report as Markdown."""
    lang = options.lang
    rs = report.ruleset
    lines = [f"# {markdown_text(rs.title(lang))} ({rs.label})", "", *banner(report, lang)]
    lines += [*cover(report, lang, options.attestation), ""]
    lines += [f"## {t('summary_title', lang)}", "", by_rule(report, lang)]
    overall = report.overall()
    lines.append(
        t(
            "overall",
            lang,
            total=community_count(report),
            passed=overall[Outcome.PASS],
            failed=overall[Outcome.FAIL],
            unknown=overall[Outcome.UNKNOWN],
        )
    )
    body, caption = communities(report, options)
    lines += ["", f"## {t('communities_title', lang)}", ""]
    if body:
        lines.append(body)
    if caption:
        lines.append(f"_{markdown_text(caption)}_")
        lines.append("")
    lines.append(markdown_text(t("legend", lang)))
    lines += office(report, lang)
    lines += extras(report, lang)
    out.write("\n".join(lines).rstrip("\n") + "\n")
