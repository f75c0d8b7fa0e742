"""An independent reference checker for the Zhejiang 2007 standards.

It re-implements, in plain Python, what /work/shared/domain.md and
``rules/zhejiang-2007.toml`` say a community's outcomes are, so that the tool
(``compliance.api.check``) can be compared with it on random and hand-made rows.
It reads the *parameters* (350 m², 5 workers, 400 households, the rounding, the
tolerance, the maternity basis, the reference-wage table, the checks' severities)
from the loaded :class:`~compliance.rules.model.RuleSet`, and decides every
outcome itself: nothing here calls the project's reader, expressions or engine.

The reference works on raw cell values (what a test writes into a sheet):

- :func:`read_number` turns a cell into a number, :data:`EMPTY` (nothing written)
  or :data:`BAD` (written but not a usable non-negative figure: ``待核实``, ``-``,
  ``abc``, ``-30``); full-width digits, thousands separators and a unit after the
  number (``350平方米``, ``2,500元``) are figures;
- the standards (domain.md, "The standards the checker encodes"):
  premises ≥ 350 m² (a shortfall within the tolerance passes), staffing ≥
  max(5, ceil|floor(households / 400)), annual pay (monthly × 12) ≥ the previous
  year's local average wage, and each of the six insurance counts ≥ the workers
  (maternity against the female workers where the sheet has that column, or the
  women of a roster with a 性别 column, unless the rule set counts all workers);
- 0 full-time workers: pay and the six insurance items are not applicable;
- the wage comes from the row, or, where the row leaves it empty (or the sheet has
  no wage column), from the rule set's table, matched exactly (full-width forms
  folded, spaces dropped) against the field the entry is scoped to; an unreadable,
  negative or zero wage is never replaced: pay is unknown;
- a consistency check (审核) whose fields are all figures and that is false is
  reported; a blocking one makes unknown the standards it blocks (those its rule
  file lists, else those that read one of its fields), except a standard that does
  not apply (0 workers) where the check does not question the worker count.

Where this reading and the tool differ, :class:`Reading` has a switch, and the
comparison tests say which reading they hold the tool to (see ``TOOL_READING``
in ``test_against_reference.py``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from compliance.rules.model import RuleSet


class _Missing:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: Nothing written in the cell (or only spaces).
EMPTY: Final = _Missing("EMPTY")
#: Something written that is not a usable figure.
BAD: Final = _Missing("BAD")

Value = float | _Missing

_UNITS = ("平方米", "m2", "人", "户", "元/月", "元/年", "元")
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)(?:" + "|".join(re.escape(u) for u in _UNITS) + ")?")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")

#: The nine standards of the rule set, in its order.
RULES: Final = (
    "premises",
    "staffing",
    "pay",
    "pension",
    "unemployment",
    "medical",
    "injury",
    "maternity",
    "housing_fund",
)
#: Insurance rule -> the count it reads.
INSURANCE: Final = {
    "pension": "pension_insured",
    "unemployment": "unemployment_insured",
    "medical": "medical_insured",
    "injury": "injury_insured",
    "maternity": "maternity_insured",
    "housing_fund": "housing_fund",
}
_NOT_WORKER_RULES: Final = ("premises", "staffing")
_EPS = 1e-9


def read_number(raw: Any) -> Value:
    """A cell as a non-negative figure, :data:`EMPTY` or :data:`BAD`."""
    if raw is None:
        return EMPTY
    if isinstance(raw, bool):
        return BAD
    if isinstance(raw, int | float):
        return float(raw) if math.isfinite(raw) and raw >= 0 else BAD
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if not text:
        return EMPTY
    m = _NUMBER.fullmatch(_THOUSANDS.sub("", text))
    return float(m[1]) if m else BAD


_YES = frozenset({"是", "√", "y", "yes", "1"})
_NO = frozenset({"否", "×", "n", "no", "0"})


def read_flag(raw: Any) -> bool | _Missing:
    """A roster's yes/no cell (是/否, √/×, 1/0)."""
    if raw is None:
        return EMPTY
    text = unicodedata.normalize("NFKC", str(raw)).strip().lower()
    if not text:
        return EMPTY
    return True if text in _YES else False if text in _NO else BAD


_WOMEN = frozenset({"女", "女性", "f", "female", "woman"})
_MEN = frozenset({"男", "男性", "m", "male", "man"})


def read_sex(raw: Any) -> bool | _Missing:
    """A roster's 性别 cell: True for a woman, False for a man."""
    if raw is None:
        return EMPTY
    text = unicodedata.normalize("NFKC", str(raw)).strip().lower()
    if not text:
        return EMPTY
    return True if text in _WOMEN else False if text in _MEN else BAD


def read_text(raw: Any) -> str | None:
    """A region name as a lookup compares it: full-width folded, no spaces."""
    if raw is None:
        return None
    key = "".join(unicodedata.normalize("NFKC", str(raw)).split())
    return key or None


@dataclass(frozen=True)
class Expected:
    """One standard's outcome for one community, as the reference decides it."""

    outcome: str  # pass | fail | unknown | not_applicable
    shortfall: float | None = None
    required: float | None = None
    total: float | None = None


@dataclass(frozen=True)
class Verdict:
    """A community's outcomes per rule and the consistency checks it fails."""

    outcomes: Mapping[str, Expected]
    failed_checks: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """Choices where the reference's reading of domain.md may differ from the tool.

    ``na_first``: with 0 full-time workers, pay and the insurance items are not
    applicable (domain.md, "No workers") even where their other cells (pay, the
    wage, the insured counts) are empty or unreadable. False: such a standard is
    unknown unless every cell it reads is a figure, and only then not applicable.
    """

    na_first: bool = True


#: A check's formula in plain Python: (the fields it reads, the test on figures).
_CheckFn = tuple[tuple[str, ...], Callable[[Mapping[str, float], Mapping[str, Any]], bool]]


def _le(a: str, b: str) -> _CheckFn:
    return (a, b), lambda v, p: v[a] <= v[b]


def _positive(a: str) -> _CheckFn:
    return (a,), lambda v, p: v[a] > 0


#: The fields each standard reads (domain.md): a blocking check whose fields meet a
#: standard's makes that standard unknown, unless the rule file says which it blocks.
READS: Final[Mapping[str, frozenset[str]]] = {
    "premises": frozenset({"premises_area"}),
    "staffing": frozenset({"households", "full_time_workers"}),
    "pay": frozenset({"pay_annual", "pay_monthly", "local_avg_wage", "full_time_workers"}),
    **{r: frozenset({f, "full_time_workers"}) for r, f in INSURANCE.items()},
    "maternity": frozenset({"maternity_insured", "female_workers", "full_time_workers"}),
}


#: The consistency checks the reference knows, by their formula in the rule file.
KNOWN_CHECKS: Final[Mapping[str, _CheckFn]] = {
    **{f"{c} <= full_time_workers": _le(c, "full_time_workers") for c in INSURANCE.values()},
    "full_time_workers <= total_staff": _le("full_time_workers", "total_staff"),
    "households > 0": _positive("households"),
    "pay_annual > 0": _positive("pay_annual"),
    # No workers, no pay to judge: a pay of 0 is no contradiction then.
    "full_time_workers == 0 or pay_annual > 0": (
        ("full_time_workers", "pay_annual"),
        lambda v, p: v["full_time_workers"] == 0 or v["pay_annual"] > 0,
    ),
    "premises_area == 0 or (premises_area >= plausible_premises_min_m2 and "
    "premises_area <= plausible_premises_max_m2)": (
        ("premises_area",),
        lambda v, p: (
            v["premises_area"] == 0
            or p["plausible_premises_min_m2"]
            <= v["premises_area"]
            <= p["plausible_premises_max_m2"]
        ),
    ),
}


def _short(actual: float, required: float) -> float:
    diff = required - actual
    return 0.0 if diff <= _EPS else diff


class Reference:
    """The reference decisions for one rule set (parameters read from it)."""

    def __init__(self, ruleset: RuleSet, reading: Reading | None = None) -> None:
        if tuple(r.id for r in ruleset.rules) != RULES:
            raise ValueError(f"the reference knows {RULES}, not {[r.id for r in ruleset.rules]}")
        self.reading = reading or Reading()
        p = {q.id: q.value for q in ruleset.parameters.values()}
        self.params = p
        self.min_area = float(p["min_premises_m2"])
        self.tolerance = float(p.get("premises_tolerance_m2", 0))
        self.min_workers = float(p["min_workers"])
        self.per_worker = float(p["households_per_worker"])
        self.rounding = {"ceil": math.ceil, "floor": math.floor}[str(p["staffing_rounding"])]
        self.maternity_all = p.get("maternity_basis", "all") == "all"
        lk = ruleset.lookups["local_avg_wage"]
        self.wages = {(e.scope, read_text(e.name)): e.value for e in lk.entries}
        self.wage_keys = lk.key
        unknown = [
            c.expression.source for c in ruleset.checks if c.expression.source not in KNOWN_CHECKS
        ]
        if unknown:
            raise ValueError(f"the reference does not know the checks {unknown}")
        self.checks = [
            (c.id, c.severity, KNOWN_CHECKS[c.expression.source]) for c in ruleset.checks
        ]
        self.formula = {c.id: c.expression.source for c in ruleset.checks}
        #: The standards each blocking check blocks: as the rule file lists them, else
        #: those that read one of the check's fields.
        self.blocks = {
            c.id: frozenset(c.blocks)
            if c.blocks_declared
            else frozenset(r for r in RULES if READS[r] & set(KNOWN_CHECKS[c.expression.source][0]))
            for c in ruleset.checks
        }

    def wage(self, row: Mapping[str, Any], columns: frozenset[str]) -> Value:
        """The reference wage: the row's own figure, or the table's for an empty cell."""
        own = read_number(row.get("local_avg_wage")) if "local_avg_wage" in columns else EMPTY
        if own is not EMPTY:
            return own if isinstance(own, float) and own > 0 else BAD
        for field in self.wage_keys:
            name = read_text(row.get(field)) if field in columns else None
            if name is not None and (field, name) in self.wages:
                return self.wages[(field, name)]
        return EMPTY

    def figures(self, row: Mapping[str, Any], columns: frozenset[str]) -> dict[str, Value]:
        """Every numeric field the standards and checks read, as figures."""
        out: dict[str, Value] = {}
        for f in (
            "households",
            "premises_area",
            "full_time_workers",
            "female_workers",
            "total_staff",
            *INSURANCE.values(),
        ):
            out[f] = read_number(row.get(f)) if f in columns else EMPTY
        if "pay_annual" in columns:
            out["pay_annual"] = read_number(row.get("pay_annual"))
        elif "pay_monthly" in columns:
            monthly = read_number(row.get("pay_monthly"))
            out["pay_annual"] = monthly * 12 if isinstance(monthly, float) else monthly
        else:
            out["pay_annual"] = EMPTY
        return out

    def failed_checks(self, v: Mapping[str, Value]) -> list[tuple[str, str]]:
        """(check id, severity) of every check that is evaluated and false."""
        out = []
        for cid, severity, (fields, test) in self.checks:
            figures = all(isinstance(v[f], float) for f in fields)
            if figures and not test(v, self.params):  # type: ignore[arg-type]
                out.append((cid, severity))
        return out

    def roll_up(
        self, v: dict[str, Value], roster: Sequence[Mapping[str, Any]]
    ) -> list[float] | None:
        """Replace the community's figures by its roster's (domain.md: "Pay is per
        worker ... judge each one"): the workers marked full-time, and of them those
        marked insured per item; each full-time worker's annual pay is returned. Any
        unreadable or empty flag or pay that a figure depends on leaves it unknown."""
        flags = [read_flag(w.get("full_time")) for w in roster]
        known = all(isinstance(f, bool) for f in flags)
        full_time = [w for w, f in zip(roster, flags, strict=True) if f is True]
        v["full_time_workers"] = float(len(full_time)) if known else BAD
        if any("sex" in w for w in roster):
            # 性别 on the roster: the women among the full-time workers (女工生育).
            sexes = [read_sex(w.get("sex")) for w in full_time]
            settled = known and all(isinstance(x, bool) for x in sexes)
            v["female_workers"] = float(sum(x is True for x in sexes)) if settled else BAD
        for field in INSURANCE.values():
            marks = [read_flag(w.get(field)) for w in full_time]
            ok = known and all(isinstance(m, bool) for m in marks)
            v[field] = float(sum(m is True for m in marks)) if ok else BAD
        pays = [read_number(w.get("pay")) for w in full_time]
        factor = 12.0 if any("monthly" in w for w in roster) else 1.0
        if known and full_time and all(isinstance(x, float) for x in pays):
            each = [x * factor for x in pays]  # type: ignore[operator]
            v["pay_annual"] = sum(each) / len(each)
            return each
        v["pay_annual"] = BAD
        return None

    def decide(
        self,
        row: Mapping[str, Any],
        columns: frozenset[str],
        roster: Sequence[Mapping[str, Any]] = (),
    ) -> Verdict:
        """The outcome of every standard for one community row.

        ``row`` maps field ids to raw cell values; ``columns`` are the fields the
        sheet has a column for; ``roster`` the community's rows of a per-worker
        roster (each: full_time, pay, the six insurance flags by field id, and
        ``monthly`` when the pay is monthly).
        """
        v = self.figures(row, columns)
        each = self.roll_up(v, roster) if roster else None
        failed = self.failed_checks(v)
        ids = tuple(c for c, _ in failed)
        out = self._standards(row, columns, v, each)
        # A blocking check makes the standards it blocks unknown, except one that does
        # not apply (no workers) for a reason the check does not question.
        for cid, severity in failed:
            if severity != "blocking":
                continue
            questions_workers = "full_time_workers" in KNOWN_CHECKS[self.formula[cid]][0]
            for rule in self.blocks[cid]:
                if out[rule].outcome != "not_applicable" or questions_workers:
                    out[rule] = Expected("unknown")
        return Verdict(out, ids)

    def _standards(
        self,
        row: Mapping[str, Any],
        columns: frozenset[str],
        v: Mapping[str, Value],
        each: list[float] | None,
    ) -> dict[str, Expected]:
        out: dict[str, Expected] = {}
        area, households, workers = v["premises_area"], v["households"], v["full_time_workers"]

        if isinstance(area, float):
            short = _short(area, self.min_area)
            if short <= self.tolerance + _EPS:
                out["premises"] = Expected("pass", 0.0, self.min_area)
            else:
                out["premises"] = Expected("fail", short, self.min_area)
        else:
            out["premises"] = Expected("unknown")

        if isinstance(households, float) and isinstance(workers, float):
            need = max(self.min_workers, float(self.rounding(households / self.per_worker)))
            short = _short(workers, need)
            out["staffing"] = Expected("fail" if short else "pass", short, need)
        else:
            out["staffing"] = Expected("unknown")

        wage = self.wage(row, columns)
        for rule in RULES[2:]:
            if rule == "pay":
                measure, need_v = v["pay_annual"], wage
            else:
                measure = v[INSURANCE[rule]]
                basis = "full_time_workers"
                if rule == "maternity" and not self.maternity_all and "female_workers" in columns:
                    basis = "female_workers"
                need_v = v[basis]
            figures = isinstance(measure, float) and isinstance(need_v, float)
            if workers == 0.0 and (self.reading.na_first or figures):
                out[rule] = Expected("not_applicable")
                continue
            if not (figures and isinstance(workers, float)):
                out[rule] = Expected("unknown")
                continue
            assert isinstance(measure, float) and isinstance(need_v, float)
            if rule == "pay" and each is not None:
                # Worker by worker: the worst-placed worker's shortfall, and the sum.
                shorts = [_short(x, need_v) for x in each]
                worst = max(shorts)
                out[rule] = Expected("fail" if worst else "pass", worst, need_v, sum(shorts))
                continue
            short = _short(measure, need_v)
            total = short * workers if rule == "pay" else None
            out[rule] = Expected("fail" if short else "pass", short, need_v, total)
        return out
