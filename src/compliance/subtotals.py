"""Subtotal rows checked against their communities (a hierarchy check, 合计/小计 审核).

The reader leaves 合计/小计 rows out of the communities and keeps them aside
(:attr:`compliance.reading.frame.SheetFrame.subtotals`). Here each additive figure of
such a row (households, m², counts of workers: the catalogue's ``additive`` fields)
is compared with the sum over the communities the row covers, and a difference
beyond the rule set's rounding tolerance is a consistency check that failed
(code ``review``, check ``subtotal``), with the subtotal's cell and the
imbalance, subtotal − sum, as statistical hierarchy checks report it.

Which communities a row covers:

- a row that names a sub-district or a district the communities have
  (``城东街道小计``, or its own sub-district cell) covers that region's communities;
- otherwise a 小计 (subtotal) row covers the communities between the previous
  subtotal row and itself (or, placed above its block, those up to the next one);
- otherwise (合计, 总计, 全区合计 …) it covers every community.

A figure is compared only where the subtotal cell and every covered community
have it, and where each community's figure is the sheet's own (not rolled up from
a roster): otherwise the sum means nothing, and the empty or unreadable cells are
data problems already. The check is advisory by default; the rule-set parameter
``subtotal_check`` makes it ``blocking`` or turns it ``off``, and
``subtotal_tolerance`` is the rounding tolerance (default 0.5).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import polars as pl

from compliance.catalogue import default_catalogue
from compliance.errors import RuleSetError
from compliance.model import DataProblem
from compliance.reading.frame import CELL_PREFIX, ROW, SheetFrame, default_cell
from compliance.rules.model import RuleSet

#: The check id of a subtotal that does not add up.
CHECK = "subtotal"
#: Rule-set parameters and their defaults.
SEVERITY_PARAMETER, DEFAULT_SEVERITY = "subtotal_check", "advisory"
TOLERANCE_PARAMETER, DEFAULT_TOLERANCE = "subtotal_tolerance", 0.5
SEVERITIES = ("advisory", "blocking", "off")

_SUB_WORDS = re.compile(r"(小\s*计|sub\s*-?\s*totals?)", re.IGNORECASE)
_TOTAL_WORDS = re.compile(r"(合\s*计|总\s*计|共\s*计|累\s*计|totals?)", re.IGNORECASE)
_WHOLE = ("全市", "全区", "全县", "全省", "全部", "总", "all")
_TITLE = {
    ("zh", "advisory"): "提示性审核",
    ("zh", "blocking"): "强制性审核",
    ("en", "advisory"): "Advisory check",
    ("en", "blocking"): "Blocking check",
}


@dataclass(frozen=True, slots=True)
class Scope:
    """The communities a subtotal row covers: their positions in the sheet frame, and
    how they were chosen, in words."""

    recs: tuple[int, ...]
    zh: str
    en: str


def settings(ruleset: RuleSet) -> tuple[str, float]:
    """The check's severity (advisory, blocking or off) and rounding tolerance.

    Raises :class:`~compliance.errors.RuleSetError` for a value that is neither."""
    p = ruleset.parameters.get(SEVERITY_PARAMETER)
    severity = p.value if p is not None else DEFAULT_SEVERITY
    if severity not in SEVERITIES:
        raise RuleSetError(
            "subtotal_check_choice",
            name=SEVERITY_PARAMETER,
            value=repr(severity),
            choices=", ".join(SEVERITIES),
            where=ruleset.label,
        )
    t = ruleset.parameters.get(TOLERANCE_PARAMETER)
    tolerance = t.value if t is not None else DEFAULT_TOLERANCE
    if isinstance(tolerance, bool | str) or tolerance < 0:
        raise RuleSetError(
            "subtotal_tolerance_bad",
            name=TOLERANCE_PARAMETER,
            value=repr(tolerance),
            where=ruleset.label,
        )
    return str(severity), float(tolerance)


def _key(text: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).lower()


def _named(label: str) -> str:
    """The region a label names: "城东街道小计" -> "城东街道", "合计" -> ""."""
    name = _TOTAL_WORDS.sub("", _SUB_WORDS.sub("", label))
    return _key(name).strip(":：()（）-_·、 ")


_LEVELS = (("subdistrict", "街道", "sub-district"), ("district", "县(市、区)", "district"))


def keyed(frame: pl.DataFrame) -> pl.DataFrame:
    """The community rows' positions (``_i``), sheet rows and region names as keys
    (``_k:subdistrict``, ``_k:district``), for :func:`scope`."""
    return frame.select(
        pl.int_range(frame.height, dtype=pl.UInt32).alias("_i"),
        pl.col(ROW),
        *(
            pl.col(level)
            .str.normalize("NFKC")
            .str.replace_all(r"\s+", "")
            .str.to_lowercase()
            .alias(f"_k:{level}")
            for level, _, _ in _LEVELS
            if level in frame.columns
        ),
        *(pl.col(level) for level, _, _ in _LEVELS if level in frame.columns),
    )


def scope(row: dict[str, object], keys: pl.DataFrame, subtotal_rows: list[int]) -> Scope:
    """The communities (rows of :func:`keyed`) that a subtotal ``row`` covers;
    ``subtotal_rows`` are the sheet rows of every subtotal row, in order."""
    label = str(row.get("_label") or "")
    names = [_named(label)]
    names += [_key(row.get(f)) for f in ("subdistrict", "district") if row.get(f)]
    for name in (n for n in names if n and n not in _WHOLE):
        for level, zh_level, en_level in _LEVELS:
            if f"_k:{level}" not in keys.columns:
                continue
            hit = keys.filter(pl.col(f"_k:{level}") == name)
            if hit.height:
                shown = str(hit[level][0])
                return Scope(
                    tuple(hit["_i"].to_list()),
                    f"{zh_level}“{shown}”的 {hit.height} 个社区",
                    f"the {hit.height} communities of {en_level} {shown}",
                )
    at = int(row[ROW])  # type: ignore[call-overload]
    rows = pl.col(ROW)
    if _SUB_WORDS.search(label):
        before = [r for r in subtotal_rows if r < at]
        after = [r for r in subtotal_rows if r > at]
        block = keys.filter((rows > (before[-1] if before else 0)) & (rows < at))
        if not block.height:
            # A subtotal above its block: the rows up to the next subtotal.
            below = (rows < after[0]) if after else pl.lit(True)
            block = keys.filter((rows > at) & below)
        if block.height:
            first, last = int(block[ROW].min()), int(block[ROW].max())  # type: ignore[arg-type]
            return Scope(
                tuple(block["_i"].to_list()),
                f"第 {first}–{last} 行的 {block.height} 个社区",
                f"the {block.height} communities of rows {first}–{last}",
            )
    return Scope(
        tuple(keys["_i"].to_list()),
        f"全部 {keys.height} 个社区",
        f"all {keys.height} communities",
    )


def subtotal_problems(sheet: SheetFrame, ruleset: RuleSet) -> tuple[DataProblem, ...]:
    """One failed check per figure of a subtotal row that does not add up."""
    subtotals = sheet.subtotals
    severity, tolerance = settings(ruleset)
    if subtotals is None or not subtotals.height or severity == "off" or not sheet.frame.height:
        return ()
    cat = default_catalogue()
    frame = sheet.frame
    fields = [f for f in frame.columns if f in cat and cat[f].additive and f in subtotals.columns]
    order = subtotals[ROW].to_list()
    keys = keyed(frame)
    out: list[DataProblem] = []
    for row in subtotals.iter_rows(named=True):
        covered = scope(row, keys, order)
        if not covered.recs:
            continue
        part = frame[list(covered.recs)]
        for f in fields:
            given = row.get(f)
            if given is None or part[f].null_count():
                continue
            own = CELL_PREFIX + f
            if own in part.columns and part[own].null_count() < part.height:
                continue  # rolled up from a roster: not the figures the subtotal adds up
            total = float(part[f].sum())
            imbalance = round(float(given) - total, 9)
            if abs(imbalance) <= tolerance + 1e-9:
                continue
            out.append(_problem(sheet, row, f, float(given), total, imbalance, covered, severity))
    return tuple(out)


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def _problem(
    sheet: SheetFrame,
    row: dict[str, object],
    field: str,
    given: float,
    total: float,
    imbalance: float,
    covered: Scope,
    severity: str,
) -> DataProblem:
    cat = default_catalogue()
    at = int(row[ROW])  # type: ignore[call-overload]
    cell = default_cell(sheet.source, field, at) or str(row.get("_label_cell") or "")
    label = str(row.get("_label") or "")
    sign = "+" if imbalance > 0 else "−"
    diff = f"{sign}{_num(abs(imbalance))}"
    zh = (
        f"{_TITLE[('zh', severity)]}“合计/小计等于所含社区之和”未通过："
        f"“{label}”行的{cat[field].zh} {_num(given)} 与{covered.zh}之和 {_num(total)} 不符，"
        f"差额 {diff}（合计 − 之和），请核实或说明（{cell}）"
    )
    en = (
        f"{_TITLE[('en', severity)]} 'Subtotal equals the sum of its communities' failed: "
        f"row '{label}' gives {cat[field].en.lower()} {_num(given)}, {covered.en} sum to "
        f"{_num(total)}; imbalance {diff} (subtotal − sum); please check or explain ({cell})"
    )
    return DataProblem(
        code="review",
        cell=cell,
        message_zh=zh,
        message_en=en,
        field=field,
        raw=_num(given),
        row=at,
        severity=severity,
        check=CHECK,
        cells=(cell,),
        imbalance=imbalance,
    )
