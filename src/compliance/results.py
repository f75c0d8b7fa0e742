"""What a check produces: one :class:`CheckResult` per input, one :class:`Report` per run.

A :class:`CheckResult` holds the findings of one input as a
:class:`~compliance.findings.FindingsTable`; a :class:`Report` gathers the
checks of a run, the inputs that could not be read, and the run's settings.
Both are immutable; renderers, the summary and the exit code only read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from compliance.findings import FINDING_COLUMNS, IDENTITY, FindingsTable
from compliance.labels.messages import Msg
from compliance.model import DataProblem, Outcome, RecordResult, SourceInfo
from compliance.safetext import one_line

if TYPE_CHECKING:
    import polars as pl

    from compliance.coverage import Coverage
    from compliance.duplicates import Duplicate
    from compliance.rules.model import Rule, RuleSet
    from compliance.verdict import Verdict
    from compliance.waivers import WaiverStatus


#: The columns of :meth:`CheckResult.findings` and :meth:`Report.findings`: where each
#: community was read and who it is, then the finding's own columns.
COLUMNS = ("source", "sheet", "row", *IDENTITY, "rule", *FINDING_COLUMNS)


def schema() -> dict[str, pl.DataType]:
    """The types of :data:`COLUMNS`."""
    import polars as pl

    from compliance.findings_schema import FINDINGS_SCHEMA

    where = {"source": pl.String(), "sheet": pl.String(), "row": pl.Int64()}
    found = {c: FINDINGS_SCHEMA[c] for c in COLUMNS[3 + len(IDENTITY) :]}
    return {**where, **{c: pl.String() for c in IDENTITY}, **found}


def identified(
    table: FindingsTable, source: str, sheet: str, which: pl.Expr | None = None
) -> pl.DataFrame:
    """``table``'s findings (those ``which`` selects) with each community's place and
    identity in front (:data:`COLUMNS`), in the table's order."""
    import polars as pl

    ids = table.records.select(
        "_rec",
        pl.lit(source, pl.String).alias("source"),
        pl.lit(sheet, pl.String).alias("sheet"),
        pl.col("_row").alias("row"),
        *IDENTITY,
    )
    found = table.findings(which).join(ids, on="_rec", how="left", maintain_order="left")
    return found.select(COLUMNS).cast(schema())  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class RuleCount:
    rule: str
    passed: int = 0
    failed: int = 0
    unknown: int = 0
    not_applicable: int = 0
    waived: int = 0
    not_yet_due: int = 0

    @property
    def evaluated(self) -> int:
        return self.passed + self.failed


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True, eq=False)
class CheckResult:
    """Everything one check of one input produced.

    ``table`` holds the findings as columns (:class:`compliance.findings.FindingsTable`);
    :attr:`results` is the same findings as record objects, built on first use.
    """

    source: SourceInfo
    ruleset: RuleSet
    table: FindingsTable
    problems: tuple[DataProblem, ...] = ()
    #: The rules that were evaluated (all of the rule set unless some were selected).
    rules: tuple[Rule, ...] = ()
    checked_at: dt.datetime = field(default_factory=_now)
    options: Mapping[str, Any] = field(default_factory=dict)
    #: The findings of rules with level "subdistrict", one record per sub-district
    #: (see :mod:`compliance.subdistricts`); None where no such rule was checked.
    groups: FindingsTable | None = None
    #: The sheet the sub-district figures were read from, as a record names it
    #: ("" for CSV): the community sheet, or a sheet that lists sub-districts.
    group_sheet: str = ""
    #: The return's verdict (:mod:`compliance.verdict`), taken when it was checked.
    verdict: Verdict | None = None

    @property
    def results(self) -> tuple[RecordResult, ...]:
        """One :class:`RecordResult` per community, in input order (a compatibility
        view of :attr:`table`, built on first use; read :meth:`findings` instead)."""
        return self.table.results

    def findings(self, which: pl.Expr | None = None, *, subdistricts: bool = False) -> pl.DataFrame:
        """This input's findings (all, or those ``which`` selects), one row per
        community and rule in input and then rule-set order, each with the
        community's ``source``, ``sheet``, ``row`` and identity (see :data:`COLUMNS`).

        With ``subdistricts``, those of the rules checked per sub-district instead, one
        row per sub-district and rule (none where no such rule was checked)."""
        if not subdistricts:
            return identified(self.table, self.source.path, self.source.sheet, which)
        if self.groups is None:
            import polars as pl

            return pl.DataFrame(schema=schema())
        return identified(self.groups, self.source.path, self.group_sheet, which)

    @property
    def group_results(self) -> tuple[RecordResult, ...]:
        """The sub-district findings (:attr:`groups`) as record objects: a compatibility
        view for what does not read the table yet."""
        return () if self.groups is None else self.groups.results


@dataclass(frozen=True, slots=True)
class InputFailure:
    """An input that could not be read at all; the rest of a batch still runs.

    ``message`` is the English line (as the JSON report gives it); ``reason`` is the
    same by message key, to be said in either language (:meth:`text`)."""

    path: str
    message: str
    sha256: str | None = None
    reason: Msg | None = None

    @property
    def said(self) -> Msg:
        """The reason as a message (the English line, where no reason was given)."""
        return self.reason or Msg("as_given", {"zh": self.message, "en": self.message})

    def text(self, lang: str) -> str:
        """The line in ``lang``, "file: why"."""
        return one_line(self.said.text(lang))


@dataclass(frozen=True, slots=True)
class Report:
    """One run: the checks of every input that could be read, and those that could not."""

    ruleset: RuleSet
    rules: tuple[Rule, ...]
    checks: tuple[CheckResult, ...]
    failures: tuple[InputFailure, ...] = ()
    started_at: dt.datetime = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0)
    )
    options: Mapping[str, Any] = field(default_factory=dict)
    #: The date deadlines were judged against (``--as-of``); None: no deadline applied.
    as_of: dt.date | None = None
    #: What became of each waiver given (see :mod:`compliance.waivers`).
    waivers: tuple[WaiverStatus, ...] = ()
    #: Communities found in more than one input, and the copy counted
    #: (see :mod:`compliance.duplicates`).
    duplicates: tuple[Duplicate, ...] = ()
    #: The inputs checked against the expected list (``--expected``), if one was given.
    coverage: Coverage | None = None

    @property
    def groups(self) -> tuple[RecordResult, ...]:
        """Every sub-district result of every input (rules with level "subdistrict"), as
        record objects: a compatibility view of each check's :attr:`CheckResult.groups`."""
        return tuple(g for c in self.checks for g in c.group_results)

    def findings(self, which: pl.Expr | None = None, *, subdistricts: bool = False) -> pl.DataFrame:
        """Every community's findings (all, or those ``which`` selects) as one table,
        one row per community and rule, in input order: the columns of
        :meth:`CheckResult.findings`, whichever inputs the run read. With
        ``subdistricts``, every sub-district's findings of the rules checked per
        sub-district instead."""
        import polars as pl

        parts = [c.findings(which, subdistricts=subdistricts) for c in self.checks]
        return pl.concat(parts) if parts else pl.DataFrame(schema=schema())

    @property
    def results(self) -> tuple[RecordResult, ...]:
        """Every record result of every input, in input order (a compatibility view;
        read :meth:`findings` instead)."""
        if len(self.checks) == 1:
            return self.checks[0].results
        return tuple(rr for c in self.checks for rr in c.results)

    @property
    def problems(self) -> tuple[DataProblem, ...]:
        return tuple(p for c in self.checks for p in c.problems)

    def _tables(self) -> list[FindingsTable]:
        """The findings tables of every input: communities, and sub-districts."""
        return [t for c in self.checks for t in (c.table, c.groups) if t is not None]

    def counts(self) -> list[RuleCount]:
        table = {r.id: dict.fromkeys((o.value for o in Outcome), 0) for r in self.rules}
        for t in self._tables():
            for rule, per in t.counts().items():
                if rule in table:
                    for outcome, n in per.items():
                        table[rule][outcome] += n
        return [
            RuleCount(
                rule=rid,
                passed=c[Outcome.PASS],
                failed=c[Outcome.FAIL],
                unknown=c[Outcome.UNKNOWN],
                not_applicable=c[Outcome.NOT_APPLICABLE],
                waived=c[Outcome.WAIVED],
                not_yet_due=c[Outcome.NOT_YET_DUE],
            )
            for rid, c in table.items()
        ]

    def overall(self) -> dict[Outcome, int]:
        """Records by their worst outcome over all rules, as the exit code sees them: a
        record whose only shortfall is not yet due counts with those that pass."""
        out = dict.fromkeys((Outcome.PASS, Outcome.FAIL, Outcome.UNKNOWN), 0)
        for c in self.checks:
            for worst, n in c.table.worst().value_counts().iter_rows():
                out[Outcome(worst) if worst != Outcome.NOT_YET_DUE.value else Outcome.PASS] += n
        return out

    def _rules_with(self, outcome: Outcome) -> set[str]:
        """Ids of rules with error severity that have ``outcome`` somewhere."""
        errors = {r.id for r in self.rules if r.severity == "error"}
        hit: set[str] = set()
        for t in self._tables():
            o = t.outcomes
            hit.update(o.filter(o["outcome"] == outcome.value)["rule"].unique().to_list())
        return hit & errors

    def failing_rules(self) -> set[str]:
        """Ids of rules with error severity that some record fails."""
        return self._rules_with(Outcome.FAIL)

    @property
    def has_failures(self) -> bool:
        return bool(self.failing_rules())

    @property
    def has_unknowns(self) -> bool:
        """Whether a rule of error severity is unknown somewhere (for ``--fail-on unknown``):
        a warning's unknown no more fails a run than its failure does."""
        return bool(self._rules_with(Outcome.UNKNOWN))
