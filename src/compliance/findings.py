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
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from compliance._ipc import pack, unpack
from compliance._perf import gc_paused
from compliance.model import Finding, Outcome, Record, RecordResult

if TYPE_CHECKING:
    import polars as pl

    from compliance.reading.frame import SheetFrame

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
        record_objects: RecordObjects,
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
        # Crossing a process boundary: the columns the table holds and the inputs its
        # explainer reads (polars pickles frames as Arrow IPC), never a row as an object.
        return {
            "records": pack(self.records),
            "outcomes": pack(self.outcomes),
            "rules": self.rules,
            "explain": self._explain,
            "objects": self._record_objects,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(  # type: ignore[misc]
            unpack(state["records"]),
            unpack(state["outcomes"]),
            state["rules"],
            state["explain"],
            state["objects"],
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
            hit = self._cache["details"] = self.finding_objects(_NOT_PASS())
        return hit

    def finding_objects(self, which: pl.Expr) -> dict[tuple[int, str], Finding]:
        """The findings ``which`` selects as :class:`Finding` objects, by (``_rec``,
        rule), in community and then rule-set order."""
        frame = self._joined(which)
        with gc_paused():
            return dict(
                zip(
                    zip(frame["_rec"].to_list(), frame["rule"].to_list(), strict=True),
                    to_findings(frame),
                    strict=True,
                )
            )

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

    def results_for(self, recs: Sequence[int]) -> list[RecordResult]:
        """The communities ``recs`` (``_rec`` numbers) as record objects with every
        finding, in the order given: the compatibility view of a few rows."""
        import polars as pl

        if not recs:
            return []
        objects = self._record_objects.subset(recs)
        joined = self._joined(pl.col("_rec").is_in(list(recs)))
        findings = to_findings(joined)
        by_rec: dict[int, list[Finding]] = {}
        for rec, f in zip(joined["_rec"].to_list(), findings, strict=True):
            by_rec.setdefault(rec, []).append(f)
        return [
            RecordResult(obj, tuple(by_rec.get(rec, ())))
            for rec, obj in zip(recs, objects, strict=True)
        ]

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
        """Per community (in ``_rec`` order): "fail", "unknown" or "pass"."""
        hit = self._cache.get("worst")
        if hit is None:
            hit = self._cache["worst"] = self._worst()
        return hit

    def _worst(self) -> pl.Series:
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

        from compliance.engine.schema import JOINED_SCHEMA, RECORDS_SCHEMA

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
        return cls(
            pl.DataFrame(recs, schema=RECORDS_SCHEMA),
            outcomes,
            rules,
            _Stored(full),
            RecordObjects(objects=[rr.record for rr in results]),
        )


class _Stored:
    """The explainer of findings given in full: looks them up."""

    def __init__(self, full: pl.DataFrame) -> None:
        self.full = full

    def __call__(self, rows: pl.DataFrame) -> pl.DataFrame:
        keep = rows.select("_rec", "rule")
        return keep.join(self.full, on=["_rec", "rule"], how="left")


class RecordObjects:
    """The records of a table as :class:`Record` objects, made on first call from the
    reader's frame (or given), with the values the engine's screen emptied emptied
    (``emptied``: sheet row -> fields). Pickled as the frame, not as objects."""

    def __init__(
        self,
        *,
        sheet: SheetFrame | None = None,
        objects: Sequence[Record] | None = None,
        emptied: Mapping[int, tuple[str, ...]] | None = None,
    ) -> None:
        self._sheet = sheet
        self._objects = None if objects is None else tuple(objects)
        self._emptied = dict(emptied or {})
        self._made: tuple[Record, ...] | None = None

    def __call__(self) -> tuple[Record, ...]:
        if self._made is None:
            objs: Sequence[Record]
            if self._objects is not None:
                objs = self._objects
            else:
                assert self._sheet is not None
                objs = self._sheet.to_sheet_data().records
            self._made = _emptied(objs, self._emptied)
        return self._made

    def subset(self, recs: Sequence[int]) -> tuple[Record, ...]:
        """The records at positions ``recs``, without making the others."""
        if self._made is not None or self._sheet is None:
            made = self()
            return tuple(made[i] for i in recs)
        sheet = self._sheet
        rows = sheet.frame[list(recs)] if recs else sheet.frame.clear()
        part = type(sheet)(sheet.source, rows, sheet.problems, sheet.derived)
        return _emptied(part.to_sheet_data().records, self._emptied)

    def __getstate__(self) -> dict[str, Any]:
        import polars as pl

        sheet = self._sheet
        if sheet is not None and pl.Object not in sheet.frame.dtypes:
            return {
                "sheet": (sheet.source, pack(sheet.frame), sheet.problems, dict(sheet.derived)),
                "emptied": self._emptied,
            }
        # Roll-ups hold per-worker tuples (an object column): the records go packed.
        return {"packed": _pack(self())}

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "packed" in state:
            self.__init__(objects=_unpack(state["packed"]))  # type: ignore[misc]
        else:
            from compliance.reading.frame import SheetFrame

            source, frame, problems, derived = state["sheet"]
            sheet = SheetFrame(source, unpack(frame), problems, derived)
            self.__init__(sheet=sheet, emptied=state["emptied"])  # type: ignore[misc]


def _emptied(objs: Sequence[Record], emptied: Mapping[int, tuple[str, ...]]) -> tuple[Record, ...]:
    if not emptied:
        return tuple(objs)
    out = list(objs)
    for i, rec in enumerate(out):
        fields = emptied.get(rec.row)
        if fields:
            out[i] = replace(rec, values={**rec.values, **dict.fromkeys(fields)})
    return tuple(out)


def _mark(items: tuple[str, ...]) -> str:
    return "".join(SEP + i for i in items)


def _split(text: str) -> tuple[str, ...]:
    return tuple(text[1:].split(SEP)) if text else ()


_OUTCOMES = {o.value: o for o in Outcome}
#: The outcomes that make a community need attention (as RecordResult.needs_attention).
ATTENTION = ("fail", "unknown", "not_yet_due", "waived")


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
