"""Shared fixtures: small workbooks built in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from openpyxl import Workbook

# Tests assert behaviour, never speed: a per-example deadline only measures how busy
# the machine is (CI shares its two cores), so none is set.
settings.register_profile("compliance", deadline=None)
settings.load_profile("compliance")
REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "jinhua-2007.xlsx"

#: The Chinese headers of a typical civil-affairs return.
HEADERS = [
    "社区名称",
    "所属街道",
    "县(市、区)",
    "总户数",
    "建筑面积(m2)",
    "专职人数",
    "人均月报酬",
    "上年职工平均工资",
    "养老保险人数",
    "失业保险人数",
    "医疗保险人数",
    "工伤保险人数",
    "生育保险人数",
    "住房公积金人数",
]


def community(
    name: str = "测试社区",
    *,
    households: Any = 1500,
    area: Any = 400,
    workers: Any = 6,
    monthly: Any = 2500,
    wage: Any = 26647,
    insured: Sequence[Any] = (6, 6, 6, 6, 6, 6),
    subdistrict: str = "城东街道",
    district: str = "婺城区",
) -> list[Any]:
    """One row under :data:`HEADERS`."""
    return [name, subdistrict, district, households, area, workers, monthly, wage, *insured]


WorkbookFactory = Callable[..., Path]


@pytest.fixture
def make_xlsx(tmp_path: Path) -> WorkbookFactory:
    """Build an .xlsx: make_xlsx(rows, headers=HEADERS, title=None, name='t.xlsx')."""

    def build(
        rows: Sequence[Sequence[Any]],
        headers: Sequence[str] | None = HEADERS,
        *,
        title: str | None = None,
        name: str = "t.xlsx",
        sheet: str = "Sheet1",
    ) -> Path:
        wb = Workbook()
        ws = wb.active
        ws.title = sheet
        if title:
            ws.append([title])
        if headers is not None:
            ws.append(list(headers))
        for row in rows:
            ws.append(list(row))
        path = tmp_path / name
        wb.save(path)
        return path

    return build
