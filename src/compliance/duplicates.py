"""Communities found in more than one input: reported once, counted once.

A district that sends a corrected return (``婺城区（修改）.xlsx``) beside its first
one, or two offices that both list a community, would otherwise have those
communities summed twice. Two rows of different inputs are the same community
when both give the same community code, or, where either has none, the same name
in the same district (a name that repeats within one input is not matched, as it
cannot say which row is meant).

Which copy counts: the one in a file whose name marks a revision (修改, 更正, 修订,
订正, 重报, 补正, revised, corrected); between two such files or two plain ones,
the later input (files as named on the command line; a folder's files by path).
The other copy leaves its input's findings table, so that counts, roll-ups and
every report count the community once, and becomes a data problem of that input,
code ``duplicate_across_inputs``, naming both files and cells and the reason for
the choice. The verdict on each return (:mod:`compliance.verdict`) was taken on
the return as it was sent and does not change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from compliance.findings import ENGINE
from compliance.findings_subset import keep_rows
from compliance.labels import t
from compliance.model import DataProblem
from compliance.reading.frame import default_cell
from compliance.results import CheckResult, Report

#: The data-problem code of the copy that is not counted.
CODE = "duplicate_across_inputs"
#: Words in a file name that mark a corrected return.
REVISION = re.compile(r"修改|更正|修订|订正|重报|补正|revised|revision|corrected|correction", re.I)


@dataclass(frozen=True, slots=True)
class Duplicate:
    """One community found in two inputs, and the copy that counts."""

    name: str
    #: "id" (same community code) or "name" (same name in the same district).
    key: str
    kept: str
    kept_cell: str
    dropped: str
    dropped_cell: str
    #: "revision" (the kept file's name marks one) or "later" (the later input).
    reason: str


def _norm(column: str) -> pl.Expr:
    text = pl.col(column).cast(pl.String).str.normalize("NFKC").str.replace_all(r"\s+", "")
    return pl.when(text != "").then(text.str.to_lowercase())


def _copies(report: Report) -> pl.DataFrame:
    """Every community of every input with its keys: ``_check``, ``_rec``, ``_row``,
    ``name``, ``k_id`` and ``k_name`` (name and district)."""
    parts = [
        c.table.records.lazy().select(
            pl.lit(i, pl.UInt32).alias("_check"),
            "_rec",
            "_row",
            pl.col("name"),
            _norm("id").alias("k_id"),
            pl.when(_norm("name").is_not_null() & _norm("district").is_not_null())
            .then(pl.concat_str([_norm("district"), _norm("name")], separator="\x1f"))
            .alias("k_name"),
        )
        for i, c in enumerate(report.checks)
    ]
    # One query for every input (one each cost a batch of small files per file).
    return pl.concat(parts).collect(engine=ENGINE) if parts else pl.DataFrame()


def _winner(report: Report, checks: list[int]) -> tuple[int, str]:
    """The input whose copy counts, and why."""
    marked = [i for i in checks if REVISION.search(Path(report.checks[i].source.path).name)]
    if marked and len(marked) < len(checks):
        return max(marked), "revision"
    return max(checks), "later"


def find(report: Report) -> list[tuple[int, int, int, int, str, str]]:
    """(dropped check, dropped rec, kept check, kept rec, key, reason) per duplicate copy."""
    if len(report.checks) < 2:
        return []
    copies = _copies(report)
    out: list[tuple[int, int, int, int, str, str]] = []
    done: set[tuple[int, int]] = set()
    for key, column in (("id", "k_id"), ("name", "k_name")):
        rows = copies.filter(pl.col(column).is_not_null())
        if key == "name":
            # A name that repeats within one input cannot say which row is meant.
            rows = rows.filter(pl.len().over(["_check", column]) == 1)
        groups = (
            rows.group_by(column)
            .agg("_check", "_rec", pl.col("k_id").is_null().any().alias("uncoded"))
            .filter(pl.col("_check").list.len() > 1)
        )
        if key == "name":
            # Two different codes are two communities, whatever their names.
            groups = groups.filter(pl.col("uncoded"))
        for checks, recs in groups.select("_check", "_rec").iter_rows():
            pairs = [(c, r) for c, r in zip(checks, recs, strict=True) if (c, r) not in done]
            if len({c for c, _ in pairs}) < 2:
                continue
            win, why = _winner(report, sorted({c for c, _ in pairs}))
            kept = next(r for c, r in pairs if c == win)
            for c, r in pairs:
                done.add((c, r))
                if c != win:
                    out.append((c, r, win, kept, key, why))
    return sorted(out)


def deduplicate(report: Report) -> Report:
    """``report`` with each community counted from one input only (see the module
    docstring), and each copy left out reported on its input."""
    found = find(report)
    if not found:
        return report
    checks = list(report.checks)
    dropped: dict[int, list[int]] = {}
    problems: dict[int, list[DataProblem]] = {}
    seen: list[Duplicate] = []
    for c, r, win, kept, key, why in found:
        dup = _duplicate(report.checks[c], r, report.checks[win], kept, key, why)
        seen.append(dup)
        dropped.setdefault(c, []).append(r)
        problems.setdefault(c, []).append(_problem(dup, report.checks[c], r))
    for c, recs in dropped.items():
        check = checks[c]
        gone = set(recs)
        keep = [i for i in range(len(check.table)) if i not in gone]
        checks[c] = replace(
            check,
            table=keep_rows(check.table, keep),
            problems=(*check.problems, *problems[c]),
        )
    return replace(report, checks=tuple(checks), duplicates=tuple(seen))


def _cell(check: CheckResult, rec: int, key: str) -> tuple[str, int, str]:
    """The dropped or kept copy's identifying cell, its row and its name."""
    records = check.table.records
    row = int(records["_row"][rec])
    field = "id" if key == "id" else "name"
    name = records["name"][rec] or records["id"][rec] or f"#{row}"
    return default_cell(check.source, field, row) or str(row), row, str(name)


def _duplicate(
    dropped: CheckResult, drec: int, kept: CheckResult, krec: int, key: str, why: str
) -> Duplicate:
    d_cell, _, name = _cell(dropped, drec, key)
    k_cell, _, _ = _cell(kept, krec, key)
    return Duplicate(name, key, kept.source.path, k_cell, dropped.source.path, d_cell, why)


def _problem(dup: Duplicate, check: CheckResult, rec: int) -> DataProblem:
    _, row, _ = _cell(check, rec, dup.key)
    text = {lang: message(dup, lang) for lang in ("zh", "en")}
    field = "id" if dup.key == "id" else "name"
    return DataProblem(
        CODE,
        dup.dropped_cell,
        text["zh"],
        text["en"],
        field,
        dup.name,
        row,
        cells=(dup.dropped_cell, dup.kept_cell),
    )


def message(dup: Duplicate, lang: str) -> str:
    """ "甲社区 is in a.xlsx (Sheet1!A2) and in b.xlsx (Sheet1!A3) …; counted from b.xlsx"."""
    return t(
        "duplicate_message",
        lang,
        name=dup.name,
        dropped=Path(dup.dropped).name,
        dropped_cell=dup.dropped_cell,
        kept=Path(dup.kept).name,
        kept_cell=dup.kept_cell,
        by=t(f"duplicate_key_{dup.key}", lang),
        reason=t(f"duplicates_reason_{dup.reason}", lang),
    )


def pairs(duplicates: tuple[Duplicate, ...]) -> list[tuple[str, str, str, int]]:
    """(dropped file, kept file, reason, communities) per pair of inputs, in order."""
    counts: dict[tuple[str, str, str], int] = {}
    for d in duplicates:
        k = (d.dropped, d.kept, d.reason)
        counts[k] = counts.get(k, 0) + 1
    return [(a, b, why, n) for (a, b, why), n in counts.items()]
