"""The shipped sample workbook is exactly what its committed generator writes."""

from __future__ import annotations

import runpy
from pathlib import Path

from tests.conftest import REPO, SAMPLE


def test_sample_is_generated_by_the_script(tmp_path: Path) -> None:
    module = runpy.run_path(str(REPO / "samples" / "make_sample.py"))
    out = tmp_path / "sample.xlsx"
    module["build"](out)
    assert out.read_bytes() == SAMPLE.read_bytes(), "run: python samples/make_sample.py"
