"""Whole reports of a batch of small files, pinned while the per-file costs are cut.

Three district files of the benchmark's kind (``bench/generate.py``, 60 rows each,
one seed per file: failures, unknowns from blank cells, monthly pay) and the 2007
sample and a hand-made return (findings that do not apply, text figures) are checked into one report in worker processes, one of their failures is waived,
and the report is written in the formats that explain findings. Each digest is
of the report as the tool wrote it before the explainer and the engine were
reworked for small inputs, with the version, the folder and the clone's place blanked: the reports
must stay the same, byte for byte. A deliberate change to a report's layout
changes these digests: print the new ones (``COMPLIANCE_PRINT_PINS=1``) and
review the reports' diff with the change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import os
import runpy
from pathlib import Path
from typing import Any

import polars as pl
from openpyxl import Workbook

from compliance import api
from compliance._version import __version__
from compliance.render import Format, RenderOptions, get_renderer
from compliance.results import Report
from compliance.waivers import apply_waivers, load_waivers
from tests.conftest import HEADERS, REPO, community

T0 = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
AS_OF = dt.date(2008, 6, 1)

_PINS = {
    "json": "9c122647ee49a9806b7b42372bf2c8bf",
    "json-all": "2a80b834f3cfe05f75ac457807c74ec4",
    "jsonl": "d34a405ea3712b8edb379c79582e2ac7",
    "csv-long": "2463b53e07162437a87b336c7e5da215",
    "table-all-details": "13a404458c6387d8dcd58e1724f6bf85",
}
_OPTIONS: dict[str, tuple[str, dict[str, object]]] = {
    "json": ("json", {}),
    "json-all": ("json", {"all_findings": True}),
    "jsonl": ("jsonl", {}),
    "csv-long": ("csv", {"csv_layout": "long"}),
    "table-all-details": ("table", {"show_all": True, "details": True}),
}


def _files(folder: Path) -> list[Path]:
    module: dict[str, Any] = runpy.run_path(str(REPO / "bench" / "generate.py"))
    seed = module["SEED"]
    made = [
        module["write_xlsx"](folder / f"district-{i}.xlsx", 60, seed=seed + i, first=i * 60)
        for i in range(3)
    ]
    # The shipped sample adds findings that do not apply, and sub-district totals.
    sample = folder / "jinhua-2007.xlsx"
    sample.write_bytes((REPO / "samples" / "jinhua-2007.xlsx").read_bytes())
    # A hand-made return: no workers (insurance does not apply), a text figure, blanks.
    extra = Workbook()
    sheet = extra.active
    sheet.append(HEADERS)
    sheet.append(community("甲社区", workers=0, insured=(0, 0, 0, 0, 0, 0)))
    sheet.append(community("乙社区", households="2150户", area=None, workers=5))
    sheet.append(community("丙社区", monthly=None, insured=(6, 5, None, 6, 6, 4)))
    extra.save(folder / "hand-made.xlsx")
    return [*made, sample, folder / "hand-made.xlsx"]


def _waived(report: Report, folder: Path) -> Report:
    # Waive the first failure of the second file: the explainer then adds a note.
    second = report.checks[1]
    fails = second.table.outcomes.filter(pl.col("outcome") == "fail")
    rec, rule = fails.select("_rec", "rule").row(0)
    name = second.table.records.filter(pl.col("_rec") == rec)["name"].item()
    path = folder / "waivers.toml"
    path.write_text(
        f'[[waivers]]\ncommunity = "{name}"\nrule = "{rule}"\nreason = "招聘中"\n'
        'approved_by = "区民政局"\nexpires = 2009-06-30\n',
        encoding="utf-8",
    )
    return apply_waivers(report, load_waivers(path), AS_OF)


def test_a_batch_of_small_files_reports_as_pinned(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    files = _files(folder)
    # openpyxl stamps the hand-made file with the time it was saved.
    stamped = hashlib.sha256(files[-1].read_bytes()).hexdigest()
    report = api.check_files([folder], as_of=AS_OF, jobs=2)
    checks = tuple(dataclasses.replace(c, checked_at=T0) for c in report.checks)
    report = _waived(dataclasses.replace(report, started_at=T0, checks=checks), tmp_path)
    assert [w.state.value for w in report.waivers] == ["applied"]
    got = {}
    for key, (fmt, kw) in _OPTIONS.items():
        out = io.StringIO()
        options = RenderOptions(width=120, exit_code=1, **kw)  # type: ignore[arg-type]
        get_renderer(Format(fmt))(report, options, out)
        text = out.getvalue().replace(__version__, "VERSION").replace(str(tmp_path), "TMP")
        text = text.replace(str(REPO), "REPO")  # the rule file's path: where the clone is
        text = text.replace(stamped, "SHA256")
        assert "TMP" in text or fmt == "table"
        got[key] = hashlib.sha256(text.encode()).hexdigest()[:32]
    if os.environ.get("COMPLIANCE_PRINT_PINS") == "1":
        print(got)
    assert got == _PINS
