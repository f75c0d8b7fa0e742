"""Per-worker roster sheets: which sheet is the roster, and what its columns mean.

Some offices send a roster (人员名册) next to the community sheet: per worker
the community, whether full-time (是/否), the sex (性别: 男/女, M/F), annual or
monthly pay and six insurance flags. The roster is the sheet named with ``--workers``, or else a
visible sheet whose name says so (名册, 名单, 人员, 工作者, 社工, 职工, roster,
worker, staff) and whose header has a name (姓名) column, a community column and
full-time, pay or insurance columns. :mod:`compliance.reading.workers` rolls it
up into the community records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.catalogue import Catalogue, Field
from compliance.errors import InputError
from compliance.reading.grid import Grid, Workbook
from compliance.reading.head import load_head
from compliance.reading.header import Header, find_header
from compliance.reading.sheets import sheet_by_option

INSURANCE = {
    "pension_insured": ("养老保险", "pension"),
    "unemployment_insured": ("失业保险", "unemployment"),
    "medical_insured": ("医疗保险", "medical"),
    "injury_insured": ("工伤保险", "injury"),
    "maternity_insured": ("生育保险", "maternity"),
    "housing_fund": ("住房公积金", "housing fund"),
}


def _flag_headers(zh: str, en: str) -> tuple[str, ...]:
    short = "公积金" if zh == "住房公积金" else zh[:2]
    return (zh, f"参加{zh}", f"是否参加{zh}", f"是否{zh}", short, f"{zh}(是/否)", en)


def _catalogue() -> Catalogue:
    fields = [
        Field("community", "text", "社区名称", "Community", (
            "社区名称", "所属社区", "社区", "单位名称", "工作单位", "所在社区", "community")),
        Field("community_id", "text", "社区代码", "Community code", (
            "社区代码", "社区编码", "社区编号", "community id", "community code")),
        Field("subdistrict", "text", "所属街道", "Sub-district", (
            "所属街道", "街道", "街道(乡镇)", "subdistrict", "sub-district")),
        Field("worker", "text", "姓名", "Worker", (
            "姓名", "工作人员姓名", "人员姓名", "社区工作者姓名", "name", "worker", "worker name")),
        Field("full_time", "flag", "是否专职", "Full-time", (
            "是否专职", "专职", "是否专职社区工作者", "专职(是/否)", "full-time", "full time")),
        Field("pay_annual", "number", "年收入", "Annual pay", (
            "年收入", "年报酬", "年工资", "年收入(元)", "全年收入", "annual pay")),
        Field("pay_monthly", "number", "月报酬", "Monthly pay", (
            "月报酬", "月工资", "月收入", "月报酬(元)", "monthly pay")),
        Field("sex", "text", "性别", "Sex", ("性别", "性 别", "男/女", "sex", "gender")),
        *(Field(fid, "flag", zh, en, _flag_headers(zh, en)) for fid, (zh, en) in INSURANCE.items()),
    ]  # fmt: skip
    return Catalogue(fields)


ROSTER_CATALOGUE = _catalogue()

#: The suffix of the record key that holds each worker's value of a field.
PER_WORKER_SUFFIX = "@workers"


_WOMAN = frozenset({"女", "女性", "f", "female", "woman"})
_MAN = frozenset({"男", "男性", "m", "male", "man"})


def parse_sex(v: object) -> tuple[bool | None, str | None]:
    """A 性别 cell: True for a woman (女, F), False for a man (男, M); (None, code)
    for an empty or unreadable one."""
    from compliance.reading import cells

    text, code = cells.parse_text(v)
    if text is None:
        return None, code
    key = text.strip().lower()
    if key in _WOMAN:
        return True, None
    if key in _MAN:
        return False, None
    return None, cells.NOT_A_SEX


def per_worker_key(field_id: str) -> str:
    """The record key of the per-worker values of ``field_id``: a tuple of
    (value, roster cell, worker name), one per full-time worker, in roster order.
    A rule with ``per_worker = true`` judges each of them (see :mod:`compliance.engine.workers`)."""
    return field_id + PER_WORKER_SUFFIX


_ROSTER_NAME = re.compile(r"名册|名单|人员|工作者|社工|职工|roster|worker|staff", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Roster:
    """A roster sheet and its header."""

    grid: Grid
    header: Header


def _is_roster(header: Header | None) -> bool:
    if header is None:
        return False
    cols = header.columns
    facts = {"full_time", "pay_annual", "pay_monthly", *INSURANCE} & set(cols)
    return "worker" in cols and ("community" in cols or "community_id" in cols) and bool(facts)


def find_roster(book: Workbook, choice: str | int | None) -> Roster | None:
    """The roster sheet: the one named by ``choice``, or a visible sheet that looks like one."""
    if choice is not None:
        grid = book.load(sheet_by_option(book, choice))
        header = find_header(grid.rows, ROSTER_CATALOGUE, grid.merged)
        if header is None or not _is_roster(header):
            raise InputError("roster_not_a_roster", where=book.where(grid.name))
        return Roster(grid, header)
    # Only sheets named like a roster are opened: a workbook with one sheet per
    # district should not be read whole just to look for one.
    visible = [s.name for s in book.sheets if s.visible]
    if len(visible) < 2:
        return None
    for name in (n for n in visible if _ROSTER_NAME.search(n)):
        # The header is looked for in the sheet's head; only the roster is loaded whole.
        head = load_head(book, name)
        header = find_header(head.rows, ROSTER_CATALOGUE, head.merged)
        if _is_roster(header):
            grid = book.load(name)
            header = find_header(grid.rows, ROSTER_CATALOGUE, grid.merged)
            assert header is not None
            return Roster(grid, header)
    return None
