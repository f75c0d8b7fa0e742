"""The figures of a shortfall summary, rolled up from the findings tables.

:func:`region_figures` groups the communities of a report by region (the
region columns as :mod:`compliance.summary` names them: each value with its
runs of white space made one space) and counts, per region and for the whole
run, the communities, how each stands over all rules, and per rule and
outcome the findings, their summed shortfall and summed total. It reads the
findings tables' columns; no finding becomes a Python object.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

    from compliance.findings import FindingsTable
    from compliance.results import Report
    from compliance.rules.model import Rule

#: Outcomes whose shortfall (and total) are summed.
SUMMED = ("fail", "not_yet_due", "waived")


@dataclass
class Figures:
    """What one region (or the whole run) adds up to."""

    communities: int = 0
    #: standing ("fail", "unknown", "not_yet_due", "pass") -> communities
    standing: dict[str, int] = field(default_factory=dict)
    #: (rule, outcome) -> findings
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    #: (rule, outcome) -> summed shortfall (outcomes of SUMMED)
    short: dict[tuple[str, str], float] = field(default_factory=dict)
    #: (rule, outcome) -> summed total (rules with a scale; outcomes of SUMMED)
    total: dict[tuple[str, str], float] = field(default_factory=dict)
    #: rule -> failures of a scaled rule that have no total
    unscaled: dict[str, int] = field(default_factory=dict)


def region_name(value: object) -> str:
    """A region as summaries name it: its text with white space runs made one space."""
    return "" if value is None else " ".join(str(value).split())


def _names(column: pl.Series) -> pl.Series:
    """:func:`region_name` of each value, computed once per distinct value."""
    import polars as pl

    distinct = column.unique().to_list()
    named = {v: region_name(v) for v in distinct if v is not None}
    return column.replace_strict(named, default="", return_dtype=pl.String)


def _findings(
    tables: Sequence[FindingsTable], levels: Sequence[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every community of ``tables`` (``_at`` orders them as the tables do) with its
    region key columns and standing, and every finding with the same key columns."""
    import polars as pl

    communities: list[pl.DataFrame] = []
    findings: list[pl.DataFrame] = []
    o = pl.col("outcome")
    for i, table in enumerate(tables):
        recs = table.records.select(
            "_rec",
            (pl.lit(i, pl.Int64) * (1 << 40) + pl.col("_rec").cast(pl.Int64)).alias("_at"),
            *(_names(table.records[lv]).alias(f"_k{j}") for j, lv in enumerate(levels)),
        )
        standing = table.outcomes.group_by("_rec").agg(
            pl.when((o == "fail").any())
            .then(pl.lit("fail"))
            .when((o == "unknown").any())
            .then(pl.lit("unknown"))
            .when((o == "not_yet_due").any())
            .then(pl.lit("not_yet_due"))
            .otherwise(pl.lit("pass"))
            .alias("standing")
        )
        communities.append(
            recs.join(standing, on="_rec", how="left").with_columns(
                pl.col("standing").fill_null("pass")
            )
        )
        findings.append(
            table.outcomes.select("_rec", "rule", "outcome", "shortfall", "total").join(
                recs.drop("_at"), on="_rec", how="left"
            )
        )
    if not communities:
        # No input could be read: the figures are all zero, not an error.
        keys = {f"_k{j}": pl.String for j in range(len(levels))}
        return (
            pl.DataFrame(
                schema={"_rec": pl.UInt32, "_at": pl.Int64, **keys, "standing": pl.String}
            ),
            pl.DataFrame(
                schema={
                    "_rec": pl.UInt32,
                    "rule": pl.String,
                    "outcome": pl.String,
                    "shortfall": pl.Float64,
                    "total": pl.Float64,
                    **keys,
                }
            ),
        )
    return pl.concat(communities), pl.concat(findings)


def _figures(
    communities: pl.DataFrame, findings: pl.DataFrame, keys: list[str], scaled: Iterable[str]
) -> dict[tuple[str, ...], Figures]:
    import polars as pl

    out: dict[tuple[str, ...], Figures] = {}
    if keys:
        order = communities.group_by(keys).agg(pl.col("_at").min()).sort("_at")
        for key in order.select(keys).iter_rows():
            out[tuple(key)] = Figures()
    else:
        out[()] = Figures()

    def at(row: tuple[object, ...]) -> Figures:
        return out[tuple(str(k) for k in row[: len(keys)])]

    n = len(keys)
    for row in communities.group_by([*keys, "standing"]).len().iter_rows():
        fig = at(row)
        fig.standing[str(row[n])] = int(row[n + 1])
        fig.communities += int(row[n + 1])
    s, t = pl.col("shortfall"), pl.col("total")
    summed = pl.col("outcome").is_in(SUMMED)
    is_scaled = pl.col("rule").is_in(list(scaled))
    grouped = findings.group_by([*keys, "rule", "outcome"]).agg(
        pl.len().alias("n"),
        s.filter(summed & (s.fill_null(0) != 0)).sum().alias("short"),
        t.filter(summed & is_scaled & t.is_not_null()).sum().alias("total"),
        (is_scaled & (pl.col("outcome") == "fail") & t.is_null()).sum().alias("unscaled"),
    )
    for row in grouped.iter_rows():
        fig = at(row)
        rule, outcome, count, short, total, unscaled = row[n:]
        k = (str(rule), str(outcome))
        fig.counts[k] = int(count)
        if outcome in SUMMED:
            fig.short[k] = float(short or 0.0)
            fig.total[k] = float(total or 0.0)
        if unscaled:
            fig.unscaled[str(rule)] = fig.unscaled.get(str(rule), 0) + int(unscaled)
    return out


def region_figures(
    report: Report, rules: Sequence[Rule], levels: Sequence[str] | None, *, groups: bool = False
) -> tuple[Figures, dict[tuple[str, ...], Figures]]:
    """The figures of the whole run, and per region key (the names at ``levels``,
    in the order regions first appear; no regions when ``levels`` is None).

    With ``groups``, those of the sub-districts of rules checked per sub-district
    (:attr:`~compliance.results.CheckResult.groups`) instead of the communities."""
    if groups:
        tables = [c.groups for c in report.checks if c.groups is not None]
    else:
        tables = [c.table for c in report.checks]
    wanted = [r.id for r in rules]
    scaled = [r.id for r in rules if r.scale is not None]
    communities, findings = _findings(tables, list(levels or ()))
    import polars as pl

    findings = findings.filter(pl.col("rule").is_in(wanted))
    whole = _figures(communities, findings, [], scaled)[()]
    if levels is None:
        return whole, {}
    keys = [f"_k{j}" for j in range(len(levels))]
    return whole, _figures(communities, findings, keys, scaled)
