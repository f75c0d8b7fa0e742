"""Findings as a table: one row per (community, rule), materialised only where read.

:class:`FindingsTable` is what the engine gives renderers (CONTRACT §2):

- ``records``: one row per community (``_rec`` 0..n-1 in input order, ``_row``
  and the identity fields present);
- ``outcomes``: one row per (community, rule) with ``outcome``, ``actual``,
  ``required``, ``shortfall``, ``total`` and ``reason``;
- ``materialised``: the findings that are not a plain pass, with their
  derivation, cells, notes and missing fields, as columns.

Passes are counted from ``outcomes``; their derivations and cells are built only
when asked for (:meth:`FindingsTable.findings` with no filter). The figures the
table does not hold are read from the reader's rows, for the rows asked for only
(:meth:`FindingsTable.field_values`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final

from compliance.findings_rows import SheetRows
from compliance.model import Outcome

if TYPE_CHECKING:
    import polars as pl

__all__ = ["IDENTITY", "SEP", "FindingsTable", "SheetRows"]

#: Separates the items of cells, notes and missing in the engine's texts.
SEP = "\x1f"
LISTS = ("cells", "notes", "missing")

IDENTITY = ("id", "name", "city", "district", "subdistrict")
#: The columns of a materialised finding, after ``_rec`` and ``rule``.
FINDING_COLUMNS = (
    "outcome",
    "actual",
    "required",
    "shortfall",
    "total",
    "derivation",
    "reason",
    "cells",
    "notes",
    "missing",
)


#: The outcomes that make a community's worst one, worst first (else "pass").
_WORST = {"fail": 0, "unknown": 1, "not_yet_due": 2}

#: Runs of outcomes in community order past which a chunk is taken from one sort.
_RUNS = 256

#: The findings of one input are small queries at most a chunk long: the in-memory
#: engine starts one at a fraction of the streaming engine's cost.
ENGINE: Final = "in-memory"

#: Adds derivation, cells, notes and missing to some rows of ``outcomes``.
Explainer = Callable[["pl.DataFrame"], "pl.DataFrame"]


class FindingsTable:
    """The findings of one checked input (see the module docstring)."""

    def __init__(
        self,
        records: pl.DataFrame,
        outcomes: pl.DataFrame,
        rules: Sequence[str],
        explain: Explainer,
        rows: SheetRows,
    ) -> None:
        self.records = records
        self.outcomes = outcomes
        self.rules = tuple(rules)
        self._explain = explain
        self._rows = rows
        self._cache: dict[str, Any] = {}

    def __len__(self) -> int:
        return self.records.height

    @property
    def explainer(self) -> Explainer:
        """What adds derivation, cells, notes and missing fields to rows of ``outcomes``."""
        return self._explain

    @property
    def rows(self) -> SheetRows:
        """The reader's rows the records were read from (what the table does not hold)."""
        return self._rows

    def field_values(self, fields: Sequence[str], recs: Sequence[int]) -> pl.DataFrame:
        """The figures the table does not hold, for the communities ``recs`` only
        (``_rec`` numbers, in that order): ``_rec``, each of ``fields`` as the reader
        gave it (null where empty, unreadable or emptied by the engine's screen) and
        its cell in ``_cell:<field>`` ("" where none)."""
        return self._rows.field_values(fields, recs)

    def amend(self, outcomes: pl.DataFrame, notes: pl.DataFrame | None = None) -> FindingsTable:
        """A copy whose outcomes are ``outcomes`` (the same rows, some changed), each
        finding in ``notes`` (``_rec``, ``rule``, ``note``) showing that note last."""
        explain = self._explain if notes is None else _Noted(self._explain, notes)
        return FindingsTable(self.records, outcomes, self.rules, explain, self._rows)

    def findings(self, which: pl.Expr | None = None) -> pl.DataFrame:
        """Rows of ``outcomes`` (all, or those ``which`` selects) with every finding
        column, ordered by community and then rule-set order."""
        return self.explained(self.outcomes if which is None else self.outcomes.filter(which))

    def explained(self, rows: pl.DataFrame) -> pl.DataFrame:
        """``rows`` of ``outcomes`` with every finding column, ordered by community and
        then rule-set order."""
        import polars as pl

        order = pl.LazyFrame(
            {"rule": list(self.rules), "_rule_at": list(range(len(self.rules)))},
            schema={"rule": pl.String, "_rule_at": pl.UInt32},
        )
        # One query (a small input pays per query, not per row).
        return (
            self._explain(rows)
            .lazy()
            .join(order, on="rule", how="left")
            .sort(["_rec", "_rule_at"])
            .drop("_rule_at")
            .with_columns(pl.col(c).str.split(SEP).list.slice(1) for c in LISTS)
            .collect(engine=ENGINE)
        )

    def chunks(self, size: int) -> Iterator[tuple[int, pl.DataFrame]]:
        """The outcomes of ``size`` communities at a time, for every chunk of the
        records: (its first ``_rec``, its rows, in any order). The outcomes come rule by
        rule, each in community order: a chunk is one slice of each such run, where a
        filter per chunk would read every outcome again (at a million communities, 40
        chunks of 25,000 read nine million rows each). Rows in another order are sorted
        once."""
        import polars as pl

        rec = self.outcomes.get_column("_rec")
        starts = list(range(0, len(self), size))
        if not starts:
            return
        if len(starts) == 1:  # every outcome, with no search (a small input pays per query)
            yield 0, self.outcomes
            return
        bounds = pl.Series(starts[1:], dtype=rec.dtype)
        edges = [0, *(rec.diff() < 0).arg_true().to_list(), rec.len()]
        if len(edges) > _RUNS:
            order = rec.arg_sort()
            ranked = rec.gather(order)
            cuts = [0, *ranked.search_sorted(bounds, side="left").to_list(), ranked.len()]
            for k, at in enumerate(starts):
                yield at, self.outcomes.gather(order.slice(cuts[k], cuts[k + 1] - cuts[k]))
            return
        runs = []
        for lo, hi in itertools.pairwise(edges):
            cut = rec.slice(lo, hi - lo).search_sorted(bounds, side="left").to_list()
            runs.append([lo, *(lo + c for c in cut), hi])
        for k, at in enumerate(starts):
            parts = [self.outcomes.slice(r[k], r[k + 1] - r[k]) for r in runs]
            yield at, pl.concat(parts) if len(parts) > 1 else parts[0]

    @property
    def materialised(self) -> pl.DataFrame:
        """Every finding that is not a plain pass, with derivation, cells and notes."""
        hit = self._cache.get("materialised")
        if hit is None:
            hit = self._cache["materialised"] = self.findings(_NOT_PASS())
        return hit

    def attention(self) -> pl.DataFrame:
        """The communities that need attention (a finding that fails, is unknown,
        waived or not yet due), in input order: ``_rec``, ``fails``, ``unknowns``."""
        import polars as pl

        o = pl.col("outcome")
        return (
            self.outcomes.group_by("_rec")
            .agg(
                fails=(o == "fail").sum(),
                unknowns=(o == "unknown").sum(),
                attention=o.is_in(ATTENTION).any(),
            )
            .filter(pl.col("attention"))
            .drop("attention")
            .sort("_rec")
        )

    def shortfalls(self) -> dict[str, tuple[float, float | None]]:
        """Per rule with failures that fall short: the summed shortfall, and the
        summed total (None where no failure has one)."""
        import polars as pl

        fails = self.outcomes.filter(
            (pl.col("outcome") == "fail") & (pl.col("shortfall").fill_null(0) != 0)
        )
        grouped = fails.group_by("rule").agg(
            pl.col("shortfall").sum(),
            pl.col("total").sum(),
            pl.col("total").is_not_null().any().alias("has_total"),
        )
        return {
            rule: (short, total if has else None) for rule, short, total, has in grouped.iter_rows()
        }

    def counts(self) -> dict[str, dict[str, int]]:
        """rule -> outcome -> number of findings."""
        out = {r: dict.fromkeys((o.value for o in Outcome), 0) for r in self.rules}
        grouped = self.outcomes.group_by(["rule", "outcome"]).len()
        for rule, outcome, n in grouped.iter_rows():
            out[rule][outcome] = n
        return out

    def worst(self) -> pl.Series:
        """Per community (in ``_rec`` order), the first of "fail", "unknown",
        "not_yet_due" (a shortfall whose deadline is ahead) that it has, else "pass"."""
        import polars as pl

        if "worst" not in self._cache:
            # The least rank per community: each rank's communities set in turn, the
            # worst last (a group-by, a join and a sort cost 0.3 s and 140 MB at 100,000
            # communities; numpy's minimum.at costs its import, 0.2 s, in the parent; a
            # filter per rank costs a small file's report a query each).
            ranked = self.outcomes.select(
                "_rec",
                rank=pl.col("outcome").replace_strict(
                    _WORST, default=len(_WORST), return_dtype=pl.UInt8
                ),
            )
            least = pl.repeat(len(_WORST), len(self), dtype=pl.UInt8, eager=True)
            by_rank = {int(p.get_column("rank")[0]): p for p in ranked.partition_by("rank")}
            for k in sorted(by_rank, reverse=True):
                if k < len(_WORST):
                    least.scatter(by_rank[k].get_column("_rec"), k)
            names = dict(enumerate([*_WORST, "pass"]))
            self._cache["worst"] = least.replace_strict(names, return_dtype=pl.String).alias(
                "worst"
            )
        return self._cache["worst"]  # type: ignore[no-any-return]


class _Noted:
    """An explainer that adds one note to some findings (a waiver's, say)."""

    def __init__(self, inner: Explainer, notes: pl.DataFrame) -> None:
        self.inner = inner
        self.notes = notes.select("_rec", "rule", "note")

    def __call__(self, rows: pl.DataFrame) -> pl.DataFrame:
        import polars as pl

        out = self.inner(rows).join(
            self.notes, on=["_rec", "rule"], how="left", maintain_order="left"
        )
        added = pl.col("notes") + pl.lit(SEP) + pl.col("note")
        return out.with_columns(
            pl.when(pl.col("note").is_null()).then(pl.col("notes")).otherwise(added)
        ).drop("note")


#: The outcomes that make a community need attention (listed even where only failures are).
ATTENTION = ("fail", "unknown", "not_yet_due", "waived")


def _NOT_PASS() -> pl.Expr:
    import polars as pl

    return pl.col("outcome") != "pass"
