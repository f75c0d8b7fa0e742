"""What each community's rows of a per-worker roster add up to.

:func:`roll_up` replaces community records' figures by their rosters' (see
:mod:`compliance.reading.workers` for how rows are matched to communities):
the full-time count, the women among them (性别), each worker's annual pay, and
each insurance count; every figure names its roster cells and how it was made,
and a figure the roster cannot settle is unknown, never a pass. The counts are a
group-by over the roster's rows; only the texts of distinct figures and each
full-time worker's pay (what the engine judges one by one) are made in Python.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from compliance.reading.grid import cell_name, column_letter
from compliance.reading.roster import INSURANCE

if TYPE_CHECKING:
    import polars as pl

#: Each full-time worker's annual pay: (pay, cell, name).
Pays = tuple[tuple[float, str, str], ...]
_UNSETTLED_PAY = "some full-time workers' pay (or full-time flag) is missing or unreadable"
_UNSETTLED_FLAGS = "some full-time workers' flags are missing or unreadable"


def rolled_fields(cols: dict[str, int]) -> list[str]:
    """The fields a roster with columns ``cols`` gives each community, in order."""
    out = ["full_time_workers", *(["female_workers"] if "sex" in cols else [])]
    if "pay_annual" in cols or "pay_monthly" in cols:
        out.append("pay_annual")
    return out + [f for f in INSURANCE if f in cols]


def roll_up(
    members: dict[int, list[int]],
    parsed: dict[str, list[Any]],
    cols: dict[str, int],
    rsheet: str,
    start: int,
) -> tuple[pl.DataFrame, dict[int, Pays]]:
    """The figures of each community ``k`` from its roster rows ``members[k]`` (0-based
    below the header, which ends on sheet row ``start``), in the order of ``members``:
    a frame of ``_k`` and, per field of :func:`rolled_fields`, its value (``_v:``),
    cells (``_c:``) and how it was made (``_n:``, "roster: ..."); and each full-time
    worker's pay where the roster settles it."""
    import polars as pl

    ks = [k for k, idx in members.items() for _ in idx]
    rows = [i for idx in members.values() for i in idx]

    def col(fid: str, dtype: Any) -> pl.Series:
        values = parsed[fid]
        return pl.Series(fid, [values[i] for i in rows], dtype=dtype)

    names = col("worker", pl.String)
    frame = pl.DataFrame(
        [
            pl.Series("_k", ks, dtype=pl.UInt32),
            pl.Series("_i", rows, dtype=pl.Int64),
            names,
            *(col(f, pl.Boolean) for f in ("full_time", "sex", *INSURANCE) if f in cols),
            *(col(f, pl.Float64) for f in ("pay_annual", "pay_monthly") if f in cols),
        ]
    )
    i = pl.col("_i")
    has_ft = "full_time" in cols
    # A row counts as full-time where marked so (every row without the column).
    ft = pl.col("full_time").fill_null(False) if has_ft else i.is_not_null()
    known = pl.col("full_time").is_not_null().all() if has_ft else pl.lit(True)
    pay_col = next((f for f in ("pay_annual", "pay_monthly") if f in cols), None)

    def who(fid: str) -> pl.Expr:
        # cell_name of the row, and the worker: "人员名册!G3 (李四)".
        at = pl.lit(cell_name(rsheet, 0, cols[fid])[:-1]) + (i + start + 1).cast(pl.String)
        return at + pl.lit(" (") + pl.col("worker") + pl.lit(")")

    aggs = [
        pl.len().alias("n"),
        ft.sum().alias("ft"),
        known.alias("known"),
        i.min().alias("lo"),
        i.max().alias("hi"),
        i.filter(ft).min().alias("ft_lo"),
        i.filter(ft).max().alias("ft_hi"),
    ]
    if "sex" in cols:
        sexes = pl.col("sex").filter(ft)
        aggs += [
            sexes.fill_null(False).sum().alias("women"),
            sexes.is_not_null().all().alias("sexes_known"),
        ]
    if pay_col is not None:
        annual = pl.col(pay_col).filter(ft) * (12.0 if pay_col == "pay_monthly" else 1.0)
        aggs += [
            annual.alias("annual"),
            annual.is_not_null().all().alias("pays_known"),
            (i.filter(ft) + start).alias("ft_rows"),
            pl.col("worker").filter(ft).alias("ft_names"),
        ]
    for fid in INSURANCE:
        if fid in cols:
            flags = pl.col(fid).filter(ft)
            aggs += [
                flags.is_not_null().all().alias(f"{fid}_known"),
                (~flags.fill_null(True)).sum().alias(f"{fid}_no"),
                who(fid)
                .filter(ft & ~pl.col(fid).fill_null(True))
                .str.join(", ")
                .alias(f"{fid}_who"),
            ]
    g = frame.group_by("_k", maintain_order=True).agg(aggs)
    g = g.with_columns(
        pl.coalesce("ft_lo", "lo").alias("ft_lo"), pl.coalesce("ft_hi", "hi").alias("ft_hi")
    )

    def span(fid: str, lo: str, hi: str) -> pl.Expr:
        # "人员名册!E2:E3", or one cell where the rows are one.
        letter = column_letter(cols[fid])
        first, last = ((pl.col(c) + start + 1).cast(pl.String) for c in (lo, hi))
        tail = pl.when(last != first).then(pl.lit(f":{letter}") + last).otherwise(pl.lit(""))
        return pl.lit(f"{rsheet}!{letter}") + first + tail

    n, count, settled = pl.col("n").cast(pl.String), pl.col("ft").cast(pl.String), pl.col("known")
    out: dict[str, tuple[pl.Expr, pl.Expr, pl.Expr]] = {}
    if has_ft:
        how = count + pl.lit(" of ") + n + pl.lit(" roster rows marked full-time")
        unsure = pl.lit("; some rows are not marked, so the count is unknown")
        out["full_time_workers"] = (
            pl.when(settled).then(pl.col("ft")),
            span("full_time", "lo", "hi"),
            pl.when(settled).then(how).otherwise(how + unsure),
        )
    else:
        how = n + pl.lit(" roster rows (no full-time column: every row counted)")
        out["full_time_workers"] = (pl.col("n"), span("worker", "lo", "hi"), how)
    if "sex" in cols:
        sure = settled & pl.col("sexes_known")
        how = pl.col("women").cast(pl.String) + pl.lit(" of ") + count
        how = how + pl.lit(" full-time workers are women (性别)")
        unsure = pl.lit("; some full-time workers' sex is missing or unreadable")
        out["female_workers"] = (
            pl.when(sure).then(pl.col("women")),
            span("sex", "ft_lo", "ft_hi"),
            pl.when(sure).then(how).otherwise(how + unsure),
        )
    each: dict[int, Pays] = {}
    if pay_col is not None:
        sure = settled & (pl.col("ft") > 0) & pl.col("pays_known")
        g = g.with_columns(sure.alias("pay_sure"))
        means: list[float | None] = []
        hows: list[str] = []
        for k, annual, at, who_, ok in g.select(
            "_k", "annual", "ft_rows", "ft_names", "pay_sure"
        ).iter_rows():
            if not ok:
                means.append(None)
                hows.append(_UNSETTLED_PAY)
                continue
            # As the engine judges pay: each full-time worker's, in roster order.
            mean = sum(annual) / len(annual)
            low = min(range(len(annual)), key=annual.__getitem__)
            lowest = f"{cell_name(rsheet, at[low], cols[pay_col])} ({who_[low]})"
            means.append(round(mean, 2))
            hows.append(
                f"{len(annual)} full-time workers' annual pay"
                + (" (monthly × 12)" if pay_col == "pay_monthly" else "")
                + f", judged one by one; mean {mean:,.0f}, lowest {lowest} {annual[low]:,.0f}"
            )
            each[k] = tuple(
                (a, cell_name(rsheet, r, cols[pay_col]), str(w))
                for a, r, w in zip(annual, at, who_, strict=True)
            )
        g = g.with_columns(
            pl.Series("_pay", means, dtype=pl.Float64), pl.Series("_pay_how", hows, dtype=pl.String)
        )
        out["pay_annual"] = (pl.col("_pay"), span(pay_col, "ft_lo", "ft_hi"), pl.col("_pay_how"))
    for fid in INSURANCE:
        if fid not in cols:
            continue
        sure = settled & pl.col(f"{fid}_known")
        yes = pl.col("ft") - pl.col(f"{fid}_no")
        how = yes.cast(pl.String) + pl.lit(" of ") + count + pl.lit(" full-time workers marked yes")
        named = pl.when(pl.col(f"{fid}_no") > 0).then(
            how + pl.lit("; not insured: ") + pl.col(f"{fid}_who")
        )
        out[fid] = (
            pl.when(sure).then(yes),
            span(fid, "ft_lo", "ft_hi"),
            pl.when(sure).then(named.otherwise(how)).otherwise(pl.lit(_UNSETTLED_FLAGS)),
        )
    figures = g.select(
        "_k",
        *(
            e
            for f, (value, cells, how) in out.items()
            for e in (
                value.cast(pl.Float64).alias(f"_v:{f}"),
                cells.alias(f"_c:{f}"),
                (pl.lit("roster: ") + how).alias(f"_n:{f}"),
            )
        ),
    )
    return figures, each
