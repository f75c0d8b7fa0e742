"""Random communities for the reference comparison, boundaries drawn often.

One generator, two sources of choices: hypothesis (:class:`HypothesisPick`, for
communities hypothesis can shrink) and a seeded :class:`random.Random`
(:class:`SeededPick`, for the bulk of a 200-community workbook, which would not
fit in one hypothesis example's choice budget).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from hypothesis import strategies as st

from tests.reference.sheets import ROSTER, Layout

T = TypeVar("T")


class Pick(Protocol):
    def choice(self, options: Sequence[T]) -> T: ...
    def integer(self, low: int, high: int) -> int: ...


class SeededPick:
    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)

    def choice(self, options: Sequence[T]) -> T:
        return self.rnd.choice(options)

    def integer(self, low: int, high: int) -> int:
        return self.rnd.randint(low, high)


class HypothesisPick:
    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw

    def choice(self, options: Sequence[T]) -> T:
        return self.draw(st.sampled_from(options))

    def integer(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))


_FULL = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
#: Written, but not a usable figure.
BAD: list[Any] = ["待核实", "abc", "-", "—", "无", "x", "-30", -5]
#: Excel error values: error cells in .xlsx, text in CSV; both are unreadable.
ERRORS: list[Any] = ["#N/A", "#DIV/0!", "#VALUE!"]
#: Nothing written.
EMPTY: list[Any] = [None, "", "   "]
_FORMS = ["number", "number", "text", "full", "unit", "thousands", "space"]

AREAS = [0, 19.99, 20, 349.5, 349.99, 350, 350.01, 350.5, 5000, 5000.01]
HOUSEHOLDS = [0, 1, 1999, 2000, 2001, 2399, 2400, 2401, 2800, 2801]
WORKERS = [0, 4, 5, 6, 7]
WAGES = [26647, 26640, 30000, 24000]
DISTRICTS = ["婺城区", "婺城区", "婺城区", "金东区", "金东区", "金华市区", "义乌市", "金华市", "金华县", "东阳市", " 婺城区 ", "婺 城区",
             "婺城", "", None]  # fmt: skip
CITIES = ["金华市", "金华", "金华市区", "", None]
INSURED = ("pension_insured", "unemployment_insured", "medical_insured", "injury_insured",
           "maternity_insured", "housing_fund")  # fmt: skip


def text(x: float) -> str:
    return str(int(x)) if x == int(x) else repr(x)


def written(p: Pick, value: float, units: Sequence[str]) -> Any:
    """``value`` in one of the forms offices use: a number, text, full-width digits,
    a unit after it, thousands separators (half- or full-width), spaces around."""
    form = p.choice(_FORMS)
    if form == "number":
        return int(value) if value == int(value) else value
    if form == "text":
        return text(value)
    if form == "full":
        return text(value).translate(_FULL)
    if form == "unit":
        return text(value) + p.choice(units)
    if form == "thousands":
        whole = int(value)
        shown = f"{whole:,}{text(value)[len(str(whole)) :]}"
        return shown.replace(",", "，") if p.integer(0, 1) else shown
    return f" {text(value)} "


class Cells:
    """How a layout's cells are written."""

    def __init__(self, p: Pick, layout: Layout) -> None:
        self.p = p
        self.bad = BAD + ERRORS

    def __call__(self, value: float, units: Sequence[str], odd: int = 20) -> Any:
        """Mostly ``value`` written somehow; one in ``odd`` empty, one in ``odd`` unreadable."""
        kind = self.p.integer(0, odd - 1)
        if kind == 0:
            return self.p.choice(EMPTY)
        if kind == 1:
            return self.p.choice(self.bad)
        return written(self.p, value, units)


def _either(p: Pick, boundaries: Sequence[float], low: int, high: int, scale: int = 1) -> float:
    """A boundary value half the time, else anything in [low, high] / scale."""
    if p.integer(0, 1):
        return float(p.choice(boundaries))
    return p.integer(low, high) / scale


def _near(p: Pick, x: float, offsets: Sequence[float]) -> float:
    return max(x + p.choice(offsets), 0.0)


def community(p: Pick, i: int, layout: Layout) -> dict[str, Any]:
    """One community's raw cells by field id."""
    cell = Cells(p, layout)
    row: dict[str, Any] = {"name": f"参照社区{i:04d}", "subdistrict": "城东街道"}
    row["district"] = p.choice(DISTRICTS)
    if layout.city:
        row["city"] = p.choice(CITIES)
    row["households"] = cell(_either(p, HOUSEHOLDS, 0, 6000), ("户",))
    row["premises_area"] = cell(_either(p, AREAS, 0, 90_000, 100), ("平方米", "㎡", "m2"))
    workers = _either(p, WORKERS, 0, 20)
    row["full_time_workers"] = cell(workers, ("人",))
    if layout.female:
        row["female_workers"] = cell(_near(p, workers, [0, -1, -workers, 1]), ("人",))
    if layout.total_staff:
        row["total_staff"] = cell(_near(p, workers, [0, 2, -1]), ("人",))
    wage = _either(p, WAGES, 15_000, 45_000)
    own_wage = layout.wage and p.integer(0, 4) > 0
    if layout.wage:
        row["local_avg_wage"] = cell(wage, ("元",), odd=8) if own_wage else p.choice([*EMPTY, 0])
    basis = wage if own_wage else 26647.0
    if p.integer(0, 2):
        annual = _near(p, basis, [0, 0, -1, 1, -500, 3000, -basis])
    else:
        annual = float(p.integer(0, 60_000))
    if layout.annual:
        row["pay_annual"] = cell(annual, ("元",))
    else:
        monthly = round(annual / 12, 2) if p.integer(0, 1) else annual / 12
        row["pay_monthly"] = cell(monthly, ("元", "元/月"))
    for f in INSURED:
        row[f] = cell(_near(p, workers, [0, 0, 0, -1, -2, 1, -workers]), ("人",), odd=30)
    if layout.roster:
        row[ROSTER] = [
            worker(p, cell, basis, not layout.annual, layout.sex) for _ in range(p.integer(0, 5))
        ]
    return row


_FULL_TIME = ["是", "是", "是", "是", "√", "1", "否", "×", "0"]
_INSURED_FLAG = ["是", "是", "是", "是", "是", "√", "否", "×"]


_SEX = ["女", "男", "女", "男", "女性", "男性", "F", "M", "f", "Male", "Female"]


def worker(p: Pick, cell: Cells, wage: float, monthly: bool, sex: bool = False) -> dict[str, Any]:
    """One roster row: full-time or not, the sex (where the roster has 性别), pay around
    the wage, six yes/no flags; now and then a flag, the sex or the pay is empty or
    unreadable."""
    flag = [*_FULL_TIME, "待定", None] if p.integer(0, 9) == 0 else _FULL_TIME
    annual = _near(p, wage, [0, 0, -1, 1, -2000, 5000, -wage])
    w: dict[str, Any] = {"full_time": p.choice(flag)}
    if sex:
        w["sex"] = p.choice([*_SEX, "不详", None] if p.integer(0, 14) == 0 else _SEX)
    w["pay"] = cell(annual / 12 if monthly else annual, ("元",), odd=40)
    for f in INSURED:
        options = [*_INSURED_FLAG, "待定", None] if p.integer(0, 19) == 0 else _INSURED_FLAG
        w[f] = p.choice(options)
    if monthly:
        w["monthly"] = True
    return w


LAYOUTS = st.builds(
    Layout,
    annual=st.booleans(),
    wage=st.integers(0, 3).map(bool),
    city=st.booleans(),
    female=st.booleans(),
    total_staff=st.booleans(),
    csv=st.integers(0, 3).map(lambda n: n == 0),
    roster=st.integers(0, 3).map(lambda n: n == 0),
    sex=st.booleans(),
).map(
    # A roster sits next to the community sheet of a workbook; its workers have no
    # female-worker column.
    lambda lay: dataclasses.replace(lay, csv=False, female=False) if lay.roster else lay
)


@st.composite
def workbook(
    draw: st.DrawFn, size: int = 200, drawn: int = 8
) -> tuple[Layout, list[dict[str, Any]]]:
    """A layout and ``size`` communities: the first ``drawn`` chosen by hypothesis
    (which can shrink them), the rest from a seed it chooses."""
    layout = draw(LAYOUTS)
    hyp = HypothesisPick(draw)
    seeded = SeededPick(draw(st.integers(0, 2**32 - 1)))
    return layout, [community(hyp if i < drawn else seeded, i, layout) for i in range(size)]
