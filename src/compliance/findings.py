"""Findings as a table: one row per (community, rule), materialised only where read.

:class:`FindingsTable` is what the engine gives renderers (CONTRACT §2):

- ``records``: one row per community (``_rec`` 0..n-1 in input order, ``_row``
  and the identity fields present);
- ``outcomes``: one row per (community, rule) with ``outcome``, ``actual``,
  ``required``, ``shortfall``, ``total`` and ``reason``;
- ``materialised``: the findings that are not a plain pass, with their
  derivation, cells, notes and missing fields, as columns;
- ``details``: the same as :class:`~compliance.model.Finding` objects.

Passes are counted from ``outcomes``; their derivations and cells are built
only when someone asks for every finding (:meth:`FindingsTable.findings` with
no filter, or the :attr:`results` compatibility view).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from compliance._perf import gc_paused
from compliance.model import Finding, Outcome, Record, RecordResult

if TYPE_CHECKING:
    import polars as pl

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

#: Separates the items of cells, notes and missing in the engine's texts.
SEP = "\x1f"
_LISTS = ("cells", "notes", "missing")

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
        record_objects: Callable[[], Sequence[Record]],
    ) -> None:
        self.records = records
        self.outcomes = outcomes
        self.rules = tuple(rules)
        self._explain = explain
        self._record_objects = record_objects
        self._cache: dict[str, Any] = {}

    def __len__(self) -> int:
        return self.records.height

    def __getstate__(self) -> dict[str, Any]:
        # Crossing a process boundary: everything becomes plain columns.
        full = self._joined()
        return {
            "records": self.records,
            "outcomes": self.outcomes,
            "rules": self.rules,
            "full": full,
            "objects": _pack(tuple(self._record_objects())),
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        full: pl.DataFrame = state["full"]
        objects = _unpack(state["objects"])
        self.__init__(  # type: ignore[misc]
            state["records"],
            state["outcomes"],
            state["rules"],
            _filter_explainer(full),
            lambda: objects,
        )

    def findings(self, which: pl.Expr | None = None) -> pl.DataFrame:
        """Rows of ``outcomes`` (all, or those ``which`` selects) with every finding
        column, ordered by community and then rule-set order."""
        import polars as pl

        return self._joined(which).with_columns(
            pl.col(c).str.split(SEP).list.slice(1) for c in _LISTS
        )

    def _joined(self, which: pl.Expr | None = None) -> pl.DataFrame:
        """:meth:`findings` with cells, notes and missing as :data:`SEP`-marked texts."""
        import polars as pl

        rows = self.outcomes if which is None else self.outcomes.filter(which)
        order = pl.DataFrame(
            {"rule": list(self.rules), "_rule_at": list(range(len(self.rules)))},
            schema={"rule": pl.String, "_rule_at": pl.UInt32},
        )
        out = self._explain(rows).join(order, on="rule", how="left")
        return out.sort(["_rec", "_rule_at"]).drop("_rule_at")

    @property
    def materialised(self) -> pl.DataFrame:
        """Every finding that is not a plain pass, with derivation, cells and notes."""
        hit = self._cache.get("materialised")
        if hit is None:
            hit = self._cache["materialised"] = self.findings(_NOT_PASS())
        return hit

    @property
    def details(self) -> Mapping[tuple[int, str], Finding]:
        """The materialised findings as :class:`Finding` objects, by (``_rec``, rule)."""
        hit = self._cache.get("details")
        if hit is None:
            frame = self._joined(_NOT_PASS())
            with gc_paused():
                hit = self._cache["details"] = dict(
                    zip(
                        zip(frame["_rec"].to_list(), frame["rule"].to_list(), strict=True),
                        to_findings(frame),
                        strict=True,
                    )
                )
        return hit

    @property
    def results(self) -> tuple[RecordResult, ...]:
        """Every finding as record objects: the compatibility view for renderers
        that do not read the table yet. Built on first use."""
        hit = self._cache.get("results")
        if hit is None:
            records = self._record_objects()
            joined = self._joined()
            with gc_paused():
                findings = to_findings(joined)
                k = len(self.rules)
                hit = self._cache["results"] = tuple(
                    RecordResult(rec, tuple(findings[i * k : (i + 1) * k]))
                    for i, rec in enumerate(records)
                )
        return hit

    def counts(self) -> dict[str, dict[str, int]]:
        """rule -> outcome -> number of findings."""
        out = {r: dict.fromkeys((o.value for o in Outcome), 0) for r in self.rules}
        grouped = self.outcomes.group_by(["rule", "outcome"]).len()
        for rule, outcome, n in grouped.iter_rows():
            out[rule][outcome] = n
        return out

    def worst(self) -> pl.Series:
        """Per community (in ``_rec`` order): "fail", "unknown" or "pass"."""
        import polars as pl

        o = pl.col("outcome")
        per = self.outcomes.group_by("_rec").agg(
            fail=(o == "fail").any(), unknown=(o == "unknown").any()
        )
        per = self.records.select("_rec").join(per, on="_rec", how="left").sort("_rec")
        return per.select(
            pl.when(pl.col("fail"))
            .then(pl.lit("fail"))
            .when(pl.col("unknown"))
            .then(pl.lit("unknown"))
            .otherwise(pl.lit("pass"))
            .alias("worst")
        ).to_series()

    @classmethod
    def from_results(cls, results: Sequence[RecordResult], rules: Sequence[str]) -> FindingsTable:
        """A table holding given findings as they are (for waived or hand-built results)."""
        import polars as pl

        from compliance.findings_schema import JOINED_SCHEMA, RECORDS_SCHEMA

        recs: dict[str, list[Any]] = {"_rec": [], "_row": [], **{f: [] for f in IDENTITY}}
        rows: dict[str, list[Any]] = {c: [] for c in JOINED_SCHEMA}
        for i, rr in enumerate(results):
            recs["_rec"].append(i)
            recs["_row"].append(rr.record.row)
            for name in IDENTITY:
                v = rr.record.values.get(name)
                recs[name].append(None if v is None else str(v))
            for f in rr.findings:
                rows["_rec"].append(i)
                rows["rule"].append(f.rule)
                rows["outcome"].append(f.outcome.value)
                for name in ("actual", "required", "shortfall", "total"):
                    v = getattr(f, name)
                    rows[name].append(None if v is None else float(v))
                rows["derivation"].append(f.derivation)
                rows["reason"].append(f.reason)
                rows["cells"].append(_mark(f.cells))
                rows["notes"].append(_mark(f.notes))
                rows["missing"].append(_mark(f.missing))
        full = pl.DataFrame(rows, schema=JOINED_SCHEMA)
        outcomes = full.select(
            "_rec", "rule", "outcome", "actual", "required", "shortfall", "total", "reason"
        )
        objects = tuple(rr.record for rr in results)
        return cls(
            pl.DataFrame(recs, schema=RECORDS_SCHEMA),
            outcomes,
            rules,
            _filter_explainer(full),
            lambda: objects,
        )


def _filter_explainer(full: pl.DataFrame) -> Explainer:
    def explain(rows: pl.DataFrame) -> pl.DataFrame:
        keep = rows.select("_rec", "rule")
        return keep.join(full, on=["_rec", "rule"], how="left")

    return explain


def _mark(items: tuple[str, ...]) -> str:
    return "".join(SEP + i for i in items)


def _split(text: str) -> tuple[str, ...]:
    return tuple(text[1:].split(SEP)) if text else ()


_OUTCOMES = {o.value: o for o in Outcome}


def _NOT_PASS() -> pl.Expr:
    import polars as pl

    return pl.col("outcome") != "pass"


def to_findings(frame: pl.DataFrame) -> list[Finding]:
    """:class:`Finding` objects from rows of :meth:`FindingsTable._joined` (in their order)."""
    outcomes = list(map(_OUTCOMES.__getitem__, frame["outcome"].to_list()))
    columns = [
        frame[c].to_list()
        for c in ("actual", "required", "shortfall", "total", "derivation", "reason")
    ]
    cells, notes, missing = (list(map(_split, frame[c].to_list())) for c in _LISTS)
    return [
        Finding(rule, o, a, r, s, t, d, why, c, n, m)
        for rule, o, a, r, s, t, d, why, c, n, m in zip(
            frame["rule"].to_list(), outcomes, *columns, cells, notes, missing, strict=True
        )
    ]


def _pack(objects: tuple[Record, ...]) -> tuple[Any, ...]:
    """Record objects for a process boundary: the reader's records share their source,
    sheet, notes, field index and cell prefixes, so they cross as those once plus a
    row number and a value tuple each (pickling 100,000 records one by one took 4 s)."""
    from compliance.reading.rowmaps import RowCells, RowValues

    if not objects:
        return ("objects", objects)
    first = objects[0]
    if type(first.values) is not RowValues or type(first.cells) is not RowCells:
        return ("objects", objects)
    shared = (first.source, first.sheet, first.derived, first.values.index, first.cells.prefixes)
    rows: list[int] = []
    data: list[tuple[Any, ...]] = []
    odd: dict[int, Record] = {}
    for i, r in enumerate(objects):
        v, c = r.values, r.cells
        if (
            type(v) is RowValues
            and type(c) is RowCells
            and v.index is shared[3]
            and c.prefixes is shared[4]
            and c.row == r.row
            and r.source == shared[0]
            and r.sheet == shared[1]
            and r.derived == shared[2]
        ):
            rows.append(r.row)
            data.append(v.data)
        else:
            odd[i] = r
            rows.append(r.row)
            data.append(())
    return ("columns", shared, rows, data, odd)


def _unpack(packed: tuple[Any, ...]) -> tuple[Record, ...]:
    if packed[0] == "objects":
        objects: tuple[Record, ...] = packed[1]
        return objects
    from compliance.reading.rowmaps import RowCells, RowValues

    _, (source, sheet, derived, index, prefixes), rows, data, odd = packed
    out = [
        Record(source, sheet, row, RowValues(index, values), RowCells(prefixes, row), derived)
        for row, values in zip(rows, data, strict=True)
    ]
    for i, r in odd.items():
        out[i] = r
    return tuple(out)
