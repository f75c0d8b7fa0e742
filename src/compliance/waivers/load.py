"""Read a waivers file: TOML (``[[waivers]]``) or a sheet (.xlsx, .xls, .ods, .csv).

Every entry that lacks a required value or has a date that cannot be read is
reported with its place (``waivers.toml:12``, ``waivers.xlsx [豁免]!A3``).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from compliance.errors import InputError
from compliance.labels.messages import Clauses, Msg, msg, problem, said
from compliance.tomlsafe import check_file, load_toml
from compliance.waivers.model import Waiver, norm

MAX_WAIVER_FILE_BYTES = 5_000_000

_FIELDS = {
    "community": ("community", "社区代码", "社区编码", "社区名称", "社区", "单位名称", "community id",
                  "community name", "name", "id", "code"),
    "subdistrict": ("subdistrict", "所属街道", "街道", "sub-district"),
    "rule": ("rule", "标准", "规则", "标准编号", "规则编号", "rule id", "standard"),
    "reason": ("reason", "豁免理由", "理由", "原因", "豁免原因"),
    "approved_by": ("approved_by", "批准机关", "批准单位", "审批机关", "审批单位", "approved by",
                    "authority", "approving authority"),
    "expires": ("expires", "有效期至", "到期日期", "截止日期", "失效日期", "有效期", "expiry",
                "expiry date", "expires on", "valid until"),
    "granted": ("granted", "批准日期", "审批日期", "granted on", "approval date"),
}  # fmt: skip
_REQUIRED = ("community", "rule", "reason", "approved_by", "expires")


_HEADER_INDEX = {norm(h): key for key, names in _FIELDS.items() for h in names}


def _date(value: object) -> dt.date | None:
    """A date from a TOML date, a date cell, an Excel serial number or text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        # A date cell that lost its date format: days since 1899-12-30 (Excel's epoch).
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    if isinstance(value, str):
        from compliance.dates import date_from_text

        return date_from_text(value)
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Kept as written (Chinese punctuation stays); only matching normalises.
    return " ".join(str(value).split())


def _build(raw: dict[str, Any], where: Msg | str, problems: list[Msg]) -> Waiver | None:
    missing = [k for k in _REQUIRED if not _text(raw.get(k))]
    if missing:
        problems.append(problem(where, "", msg("waiver_missing", keys=", ".join(missing))))
        return None
    expires = _date(raw["expires"])
    if expires is None:
        detail = msg("waiver_not_a_date", key="expires", value=repr(raw["expires"]))
        problems.append(problem(where, "", detail))
        return None
    granted = None
    if _text(raw.get("granted")):
        granted = _date(raw["granted"])
        if granted is None:
            detail = msg("waiver_not_a_date", key="granted", value=repr(raw["granted"]))
            problems.append(problem(where, "", detail))
            return None
    return Waiver(
        community=_text(raw["community"]),
        rule=_text(raw["rule"]),
        reason=_text(raw["reason"]),
        approved_by=_text(raw["approved_by"]),
        expires=expires,
        subdistrict=_text(raw.get("subdistrict")),
        granted=granted,
        where=str(said(where, "en")),
    )


def _toml_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[waivers]]"]


def _from_toml(path: Path) -> tuple[list[Waiver], list[Msg]]:
    data, text = load_toml(
        path, max_bytes=MAX_WAIVER_FILE_BYTES, error=InputError, what="what_waivers_file"
    )
    entries = data.get("waivers")
    unknown = [k for k in data if k != "waivers"]
    problems = [problem(str(path), "", msg("waiver_unknown_table", name=repr(k))) for k in unknown]
    if not isinstance(entries, list):
        raise InputError("waiver_no_entries", where=str(path))
    lines = _toml_lines(text)
    out: list[Waiver] = []
    for i, entry in enumerate(entries):
        where: Msg | str = (
            f"{path}:{lines[i]}" if i < len(lines) else msg("waiver_nth", path=str(path), n=i + 1)
        )
        if not isinstance(entry, dict):
            problems.append(problem(where, "", "waiver_not_table"))
            continue
        extra = [k for k in entry if k not in _FIELDS]
        if extra:
            problems.append(problem(where, "", msg("waiver_unknown_keys", keys=", ".join(extra))))
        w = _build(entry, where, problems)
        if w is not None:
            out.append(w)
    return out, problems


def _from_sheet(path: Path) -> tuple[list[Waiver], list[Msg]]:
    from compliance.reading.grid import cell_name, open_workbook

    book = open_workbook(path)
    for sheet in book.sheets:
        grid = book.load(sheet.name)
        for r, row in enumerate(grid.rows[:30]):
            columns: dict[str, int] = {}
            for c, value in enumerate(row):
                key = _HEADER_INDEX.get(norm(value)) if value is not None else None
                if key is not None:
                    columns.setdefault(key, c)
            if not all(k in columns for k in ("community", "rule", "expires")):
                continue
            label = sheet.name if book.format != "csv" else ""
            out: list[Waiver] = []
            problems: list[Msg] = []
            for rr in range(r + 1, len(grid.rows)):
                cells = grid.rows[rr]
                if all(v is None or not _text(v) for v in cells):
                    continue
                raw = {k: cells[c] if c < len(cells) else None for k, c in columns.items()}
                where = f"{path} [{label}]!{rr + 1}" if label else f"{path}:{rr + 1}"
                where = f"{path} {cell_name(label, rr, columns['community'])}" if label else where
                w = _build(raw, where, problems)
                if w is not None:
                    out.append(w)
            return out, problems
    raise InputError("waiver_no_table", where=str(path))


def load_waivers(path: str | os.PathLike[str]) -> tuple[Waiver, ...]:
    """Read a waivers file: TOML (``[[waivers]]``) or a sheet (.xlsx, .xls, .ods, .csv).

    Raises :class:`~compliance.errors.InputError` listing every entry that lacks
    a required value or has a date that cannot be read, each with its place.
    """
    p = Path(path)
    check_file(p, MAX_WAIVER_FILE_BYTES, InputError, "what_waivers_file")
    if p.suffix.lower() == ".toml":
        waivers, problems = _from_toml(p)
    else:
        waivers, problems = _from_sheet(p)
    if problems:
        raise InputError(
            msg("problems", problems=Clauses(problems)), where=str(p), problems=problems
        )
    return tuple(waivers)
