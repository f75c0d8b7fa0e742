"""Stored expected outputs that pin what the checker decides, whatever engine computes it.

For the two shipped samples and the 10,000-row benchmark workbook (generated
deterministically by ``bench/generate.py``), the files beside this module hold
the per-rule outcome counts, every finding that is not a pass (rule, row,
community, figures, cells), and every data problem with its cell.

A deliberate change of behaviour regenerates them with
``COMPLIANCE_UPDATE_GOLDEN=1 python -m pytest tests/golden`` and the diff of the
stored files is reviewed with the change.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import runpy
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from compliance import api
from tests.conftest import REPO
from tests.findings import communities

HERE = Path(__file__).resolve().parent
AS_OF = dt.date(2026, 12, 1)
UPDATE = os.environ.get("COMPLIANCE_UPDATE_GOLDEN") == "1"


def _num(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.6f}".rstrip("0").rstrip(".")


def golden_lines(path: Path) -> list[str]:
    """The pinned facts of one check, one line each, in a stable order."""
    result = api.check(path, as_of=AS_OF)
    counts: Counter[tuple[str, str]] = Counter()
    lines: list[str] = []
    for rec in communities(result):
        for f in rec.findings:
            counts[(f.rule, str(f.outcome))] += 1
            if str(f.outcome) == "pass":
                continue
            lines.append(
                "finding "
                + " | ".join(
                    [
                        str(rec.row),
                        rec.name,
                        f.rule,
                        str(f.outcome),
                        _num(f.actual),
                        _num(f.required),
                        _num(f.shortfall),
                        _num(f.total),
                        ",".join(f.cells),
                        f.reason,
                    ]
                )
            )
    head = [f"count {rule} {outcome} {n}" for (rule, outcome), n in sorted(counts.items())]
    problems = sorted(f"problem {p.code} {p.cell} {p.field or '-'}" for p in result.problems)
    return head + lines + problems


def _bench_10k(tmp: Path) -> Path:
    module: dict[str, Any] = runpy.run_path(str(REPO / "bench" / "generate.py"))
    path: Path = module["write_xlsx"](tmp / "communities-10k.xlsx", 10_000)
    return path


CASES = {
    "jinhua-2007": lambda tmp: REPO / "samples" / "jinhua-2007.xlsx",
    "jinhua-2008": lambda tmp: REPO / "samples" / "jinhua-2008.xlsx",
    "bench-10k": _bench_10k,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_engine_reproduces_the_stored_output(case: str, tmp_path: Path) -> None:
    got = golden_lines(CASES[case](tmp_path))
    stored = HERE / f"{case}.txt"
    if UPDATE:
        stored.write_text("\n".join(got) + "\n", encoding="utf-8")
    expected = stored.read_text(encoding="utf-8").splitlines()
    assert got == expected


def test_stored_outputs_are_not_trivial() -> None:
    # A stored file of passes only would pin nothing about failures.
    for case in CASES:
        lines = (HERE / f"{case}.txt").read_text(encoding="utf-8").splitlines()
        assert sum(line.startswith("finding ") for line in lines) > 50
        assert any(" fail " in line for line in lines)
        assert any(" unknown " in line for line in lines)
        json.dumps(lines)  # plain text, no objects
