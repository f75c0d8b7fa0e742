"""Coverage: the returns checked against the official list of communities.

``--expected FILE`` names a list (CSV or workbook) with a column of community
names, and optionally their codes and districts, headed as a return would head
them (社区名称, 社区代码, 所属区县 …: the field catalogue's headers). The run then
says which listed communities no input has (``missing``) and which communities of
the inputs the list does not have (``unexpected``), per district.

A listed community and a community of an input are the same when both give a
code and the codes are equal; otherwise when their names are equal and so are
their districts (a district left out on either side does not tell them apart).
Names, codes and districts are compared after full-width forms are folded and
spaces dropped. 合计/小计 and blank rows of the list are skipped.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from compliance.catalogue import default_catalogue
from compliance.errors import InputError
from compliance.reading import cells
from compliance.reading.grid import cell_name, open_workbook
from compliance.reading.sheets import file_sha256
from compliance.results import Report
from compliance.tomlsafe import check_file

#: The largest list read (a province's communities fit many times over).
MAX_LIST_BYTES = 50_000_000
_FIELDS = ("id", "name", "district", "subdistrict", "city")
_SUBTOTAL = ("合计", "小计", "总计", "共计")


@dataclass(frozen=True, slots=True)
class Listed:
    """One community of the expected list."""

    name: str
    id: str | None
    district: str | None
    #: Where it is in the list ("名单!B5").
    cell: str


@dataclass(frozen=True, slots=True)
class Found:
    """A community of an input that the list does not have."""

    name: str
    id: str | None
    district: str | None
    source: str
    row: int


@dataclass(frozen=True, slots=True)
class Coverage:
    """The list, and what the inputs lack or add."""

    path: str
    sha256: str
    expected: int
    missing: tuple[Listed, ...]
    unexpected: tuple[Found, ...]

    def districts(self) -> list[str | None]:
        """The districts named by a missing or unexpected community, in order of first
        appearance (None for one without a district)."""
        seen: dict[str | None, None] = {}
        for district in [m.district for m in self.missing] + [u.district for u in self.unexpected]:
            seen.setdefault(district, None)
        return list(seen)


def _key(value: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(value or "")).split()).lower()


def load_expected(path: str | os.PathLike[str]) -> tuple[tuple[Listed, ...], str]:
    """The communities of an expected list, and the file's SHA-256.

    Raises :class:`~compliance.errors.InputError` when the file cannot be read or no
    sheet has a header naming the community (社区名称)."""
    p = Path(path)
    check_file(p, MAX_LIST_BYTES, InputError, "what_expected_list")
    book = open_workbook(p)
    cat = default_catalogue()
    for sheet in (s for s in book.sheets if s.visible):
        grid = book.load(sheet.name)
        for r, row in enumerate(grid.rows[:30]):
            columns: dict[str, int] = {}
            for c, value in enumerate(row):
                field = cat.match(value) if value is not None else None
                if field in _FIELDS:
                    columns.setdefault(field, c)
            if "name" not in columns:
                continue
            label = sheet.name if book.format != "csv" else ""
            out = [
                listed
                for rr in range(r + 1, len(grid.rows))
                if (listed := _entry(grid.rows[rr], columns, label, rr)) is not None
            ]
            return tuple(out), file_sha256(p)
    raise InputError("expected_no_list", where=str(p))


def _entry(row: list[object], columns: dict[str, int], sheet: str, r: int) -> Listed | None:
    def text(field: str) -> str | None:
        c = columns.get(field)
        value = row[c] if c is not None and c < len(row) else None
        shown = cells.clean_text(value) if value is not None else ""
        return shown or None

    name = text("name")
    labels = "".join(t or "" for t in (name, text("district"), text("id"))).replace(" ", "")
    if name is None or any(w in labels for w in _SUBTOTAL):
        return None  # a blank row, or a 合计/小计 row
    return Listed(name, text("id"), text("district"), cell_name(sheet, r, columns["name"]))


def _communities(report: Report) -> pl.DataFrame:
    parts = [
        c.table.records.select(
            pl.lit(c.source.path).alias("source"), "_row", "id", "name", "district"
        )
        for c in report.checks
    ]
    schema = {"source": pl.String, "_row": pl.Int64, "id": pl.String, "name": pl.String}
    return pl.concat(parts) if parts else pl.DataFrame(schema={**schema, "district": pl.String})


def _same(a_id: str, a_name: str, a_district: str, b_id: str, b_name: str, b_dist: str) -> bool:
    if a_id and b_id:
        return a_id == b_id
    return a_name == b_name and (not a_district or not b_dist or a_district == b_dist)


def cover(report: Report, expected: tuple[Listed, ...], path: str, sha256: str) -> Coverage:
    """The listed communities no input has, and the communities no list has."""
    found = _communities(report)
    rows = found.iter_rows(named=True)
    have = [(r, _key(r["id"]), _key(r["name"]), _key(r["district"])) for r in rows]
    want = [(e, _key(e.id), _key(e.name), _key(e.district)) for e in expected]
    by_name: dict[str, list[int]] = {}
    by_id: dict[str, list[int]] = {}
    for i, (_, k_id, k_name, _) in enumerate(have):
        by_name.setdefault(k_name, []).append(i)
        if k_id:
            by_id.setdefault(k_id, []).append(i)
    matched: set[int] = set()
    missing: list[Listed] = []
    for e, e_id, e_name, e_district in want:
        hits = [
            i
            for i in {*by_id.get(e_id, []), *by_name.get(e_name, [])}
            if _same(e_id, e_name, e_district, *have[i][1:])
        ]
        matched.update(hits)
        if not hits:
            missing.append(e)
    unexpected = tuple(
        Found(r["name"] or r["id"] or "", r["id"], r["district"], r["source"], int(r["_row"]))
        for i, (r, *_) in enumerate(have)
        if i not in matched
    )
    return Coverage(path, sha256, len(expected), tuple(missing), unexpected)
