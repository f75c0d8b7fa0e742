"""Both .xlsx readers under one test: the native tokeniser and the pure Python one.

A module opts in with ``pytestmark = pytest.mark.usefixtures("xlsx_reader")``: each of
its tests then runs once with ``COMPLIANCE_NATIVE=1`` and once with ``=0``. Where the
native library was not built the native run is skipped, except in CI (``CI=true``),
where a missing library fails the run rather than passing it on the pure reader.
"""

from __future__ import annotations

import os

import pytest

from compliance.reading import xlsx_native


def choose(native: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read with the native tokeniser (skipped where it is not built, failed in CI) or not."""
    if native and xlsx_native.library() is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the native tokeniser is not built ({xlsx_native.PATH})")
        pytest.skip("the native tokeniser is not built")
    monkeypatch.setenv("COMPLIANCE_NATIVE", "1" if native else "0")


@pytest.fixture(params=["native", "pure"])
def xlsx_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    choose(request.param == "native", monkeypatch)
    return str(request.param)
