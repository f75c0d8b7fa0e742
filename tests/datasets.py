"""Small datasets worked out by hand, shared by the summary and report tests."""

from __future__ import annotations

from typing import Any

from tests.conftest import community


def five_communities(name_4: str = "丁社区") -> list[list[Any]]:
    """Five communities in two districts (headers: :data:`tests.conftest.HEADERS`):

    - 甲 (婺城区 城东): premises 300 -> 50 m² short; everything else passes.
    - 乙 (婺城区 城东): premises empty -> unknown; everything else passes.
    - 丙 (婺城区 城西): passes every standard.
    - 丁 (金东区 城东): 349.5 m² -> 0.5 short; 2150 households need 6 workers, has 5 -> 1
      short; 2000 a month = 24,000 a year, 2,647 under 26,647, × 5 workers = 13,235 yuan;
      3 of 5 workers have pension insurance -> 2 uninsured.
    - 戊 (金东区 多湖): pension count unreadable -> unknown; everything else passes.

    So: 1 compliant, 2 failing, 2 unknown; premises 2 failing (40%), 1 unknown, 50.5 m².
    """
    return [
        community("甲社区", area=300),
        community("乙社区", area=None),
        community("丙社区", subdistrict="城西街道"),
        community(
            name_4,
            district="金东区",
            area=349.5,
            households=2150,
            workers=5,
            monthly=2000,
            insured=(3, 5, 5, 5, 5, 5),
        ),
        community(
            "戊社区", district="金东区", subdistrict="多湖街道", insured=("待核实", 6, 6, 6, 6, 6)
        ),
    ]
