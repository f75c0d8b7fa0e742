"""The roster roll-up as a group-by: the same figures, cells and texts as the
roll-up made one community at a time (kept here as the reference)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.reading.grid import cell_name, column_letter
from compliance.reading.roster import INSURANCE
from compliance.reading.roster_figures import roll_up, rolled_fields

Rolled = tuple[float | None, str, str]
Pays = tuple[tuple[float, str, str], ...]


def _span(rsheet: str, col: int, rows: list[int]) -> str:
    letter = column_letter(col)
    lo, hi = min(rows) + 1, max(rows) + 1
    return f"{rsheet}!{letter}{lo}" + (f":{letter}{hi}" if hi != lo else "")


#: A rolled-up figure: its value (None: unknown), its roster cells, how it was made.
Rolled = tuple[float | None, str, str]
#: Each full-time worker's annual pay: (pay, cell, name).
Pays = tuple[tuple[float, str, str], ...]


def _one_community(
    idx: list[int],
    parsed: dict[str, list[Any]],
    cols: dict[str, int],
    rsheet: str,
    start: int,
) -> tuple[dict[str, Rolled], Pays | None]:
    """The roll-up as it was made before the group-by, one community at a time."""
    abs_rows = [start + i for i in idx]
    names = parsed["worker"]

    def who(i: int, col: int) -> str:
        return f"{cell_name(rsheet, start + i, col)} ({names[i]})"

    rolled: dict[str, tuple[Any, str, str]] = {}  # field -> (value, cell, derivation)
    each: tuple[tuple[float, str, str], ...] | None = None  # each full-time worker's pay
    if "full_time" in cols:
        flags = [parsed["full_time"][i] for i in idx]
        ft = [i for i, f in zip(idx, flags, strict=True) if f]
        known = None not in flags
        count: Any = len(ft) if known else None
        how = f"{len(ft)} of {len(idx)} roster rows marked full-time" + (
            "" if known else "; some rows are not marked, so the count is unknown"
        )
        rolled["full_time_workers"] = (count, _span(rsheet, cols["full_time"], abs_rows), how)
    else:
        ft = list(idx)
        known = True
        rolled["full_time_workers"] = (
            len(ft),
            _span(rsheet, cols["worker"], abs_rows),
            f"{len(ft)} roster rows (no full-time column: every row counted)",
        )
    ft_rows = [start + i for i in ft] or abs_rows

    if "sex" in cols:
        # 女工生育: the women among the full-time workers are what maternity is counted
        # against (maternity_basis = "female"); a worker whose sex cannot be read
        # leaves the count unknown.
        sexes = [parsed["sex"][i] for i in ft]
        women = [i for i, woman in zip(ft, sexes, strict=True) if woman]
        settled = known and None not in sexes
        how = f"{len(women)} of {len(ft)} full-time workers are women (性别)" + (
            "" if settled else "; some full-time workers' sex is missing or unreadable"
        )
        rolled["female_workers"] = (
            len(women) if settled else None,
            _span(rsheet, cols["sex"], ft_rows),
            how,
        )

    pay_col = next((f for f in ("pay_annual", "pay_monthly") if f in cols), None)
    if pay_col is not None:
        factor = 12.0 if pay_col == "pay_monthly" else 1.0
        pays = [parsed[pay_col][i] for i in ft]
        if known and ft and None not in pays:
            annual = [p * factor for p in pays]
            mean = sum(annual) / len(annual)
            low = min(range(len(ft)), key=annual.__getitem__)
            how = (
                f"{len(ft)} full-time workers' annual pay"
                + (" (monthly × 12)" if factor != 1 else "")
                + f", judged one by one; mean {mean:,.0f}, lowest "
                + f"{who(ft[low], cols[pay_col])} {annual[low]:,.0f}"
            )
            rolled["pay_annual"] = (round(mean, 2), _span(rsheet, cols[pay_col], ft_rows), how)
            each = tuple(
                (a, cell_name(rsheet, start + i, cols[pay_col]), str(names[i]))
                for a, i in zip(annual, ft, strict=True)
            )
        else:
            rolled["pay_annual"] = (
                None,
                _span(rsheet, cols[pay_col], ft_rows),
                "some full-time workers' pay (or full-time flag) is missing or unreadable",
            )

    for fid in INSURANCE:
        if fid not in cols:
            continue
        flags = [parsed[fid][i] for i in ft]
        span = _span(rsheet, cols[fid], ft_rows)
        if not known or None in flags:
            rolled[fid] = (None, span, "some full-time workers' flags are missing or unreadable")
            continue
        no = [i for i, f in zip(ft, flags, strict=True) if not f]
        how = f"{len(ft) - len(no)} of {len(ft)} full-time workers marked yes"
        if no:
            how += "; not insured: " + ", ".join(who(i, cols[fid]) for i in no)
        rolled[fid] = (len(ft) - len(no), span, how)

    return {
        fid: (float(value) if value is not None else None, span, how)
        for fid, (value, span, how) in rolled.items()
    }, each


_FLAG = st.sampled_from([True, False, None])
_PAY = st.sampled_from([None, 2000.0, 2500.5, 0.1, 30000.0, 1e6 / 3, 1234.5678, 0.0])


@st.composite
def rosters(draw: st.DrawFn) -> tuple[dict[int, list[int]], dict[str, list[Any]], dict[str, int]]:
    extra = ["full_time", "sex", "pay_annual", "pay_monthly", *INSURANCE]
    chosen = draw(st.lists(st.sampled_from(extra), unique=True))
    if "pay_annual" in chosen and "pay_monthly" in chosen:
        chosen.remove("pay_monthly")
    cols = {f: c for c, f in enumerate(["worker", *chosen])}
    n = draw(st.integers(0, 14))
    parsed: dict[str, list[Any]] = {"worker": [f"w{i}" for i in range(n)]}
    for f in chosen:
        pay = f.startswith("pay")
        parsed[f] = draw(st.lists(_PAY if pay else _FLAG, min_size=n, max_size=n))
    owners = draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))
    members: dict[int, list[int]] = {}
    for i, k in enumerate(owners):
        if draw(st.booleans()) or i == 0:
            members.setdefault(k, []).append(i)
    return members, parsed, cols


@settings(max_examples=300)
@given(roster=rosters(), start=st.integers(1, 30))
def test_the_group_by_adds_up_as_one_community_at_a_time(
    roster: tuple[dict[int, list[int]], dict[str, list[Any]], dict[str, int]], start: int
) -> None:
    members, parsed, cols = roster
    figures, each = roll_up(members, parsed, cols, "名册", start)
    got = figures_of(figures, rolled_fields(cols))
    assert list(got) == list(members)
    for k, idx in members.items():
        want, pays = _one_community(idx, parsed, cols, "名册", start)
        assert got[k] == want
        assert each.get(k) == pays


def figures_of(figures: Any, fields: list[str]) -> dict[int, dict[str, Rolled]]:
    """The frame of :func:`roll_up` as community -> field -> (value, cells, how)."""
    return {
        row["_k"]: {
            f: (row[f"_v:{f}"], row[f"_c:{f}"], row[f"_n:{f}"].removeprefix("roster: "))
            for f in fields
        }
        for row in figures.iter_rows(named=True)
    }
