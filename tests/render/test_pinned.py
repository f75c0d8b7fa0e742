"""Whole reports pinned while the renderers moved from record objects to the findings table.

Each digest is of a report written by the renderers as they were before they
read the findings table (the object view), with the tool's version and the
checkout's folder blanked: the reports written from the table must be the same,
byte for byte (the old renderers pass this file unchanged). The 2008 sample
has sub-district rules, a deadline ahead and unknowns; the two-file report names
each row's file. A deliberate change to a sample, a rule file or a report's
layout changes these digests: print the new ones (``COMPLIANCE_PRINT_PINS=1``) and
review the reports' diff with the change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import os

import pytest

from compliance import api
from compliance._version import __version__
from compliance.render import Format, RenderOptions, get_renderer
from compliance.results import Report
from tests.conftest import REPO

T0 = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
AS_OF = dt.date(2008, 6, 1)

_PINS = {
    "j2008": {
        "table-details": "01f73c449b33757e8124dd5e151575d5",
        "table-all-details": "16f8a6da52a8d9133ebe19c97db78447",
        "table-zh-details": "db5f226fd6cbfbad0b31440cc7fd3af9",
        "junit": "76642a92fd143a08da66294d53de9231",
        "junit-zh": "947bea442b9eb966f228b1065843a1ce",
        "csv-long": "3798deec4189823e7e648ebc1448f4d0",
        "csv-long-zh": "d05c4e5c6054a3c15026ad5b47341858",
        "csv": "c2bc03f1407a9b852295c8633c42c70c",
        "jsonl": "9952da90f26358aea202bb27b32bd602",
        "json": "0efcf7371ed5df29eff96acbd7a6e81d",
    },
    "multi": {
        "table-details": "caf25a83c1135c9bbc366195b75c326b",
        "junit": "a9081ae5687526133e0b05911339856e",
        "csv-long": "4a9d227d1f27350971e459d6b25a6db7",
        "jsonl": "e67fc9ede206922f9030b7b764b0e2b7",
    },
}
_OPTIONS: dict[str, tuple[str, dict[str, object]]] = {
    "table-details": ("table", {"details": True}),
    "table-all-details": ("table", {"show_all": True, "details": True}),
    "table-zh-details": ("table", {"lang": "zh", "details": True}),
    "junit": ("junit", {}),
    "junit-zh": ("junit", {"lang": "zh"}),
    "csv-long": ("csv", {"csv_layout": "long"}),
    "csv-long-zh": ("csv", {"csv_layout": "long", "lang": "zh"}),
    "csv": ("csv", {}),
    "jsonl": ("jsonl", {}),
    "json": ("json", {}),
}


def _report(name: str) -> Report:
    if name == "j2008":
        report = api.check_files(["samples/jinhua-2008.xlsx"], ruleset="zhejiang-2008", as_of=AS_OF)
    else:
        files = ["samples/jinhua-2007.xlsx", "samples/shengzhou-villages-illustrative.xlsx"]
        report = api.check_files(files, as_of=AS_OF)
    checks = tuple(dataclasses.replace(c, checked_at=T0) for c in report.checks)
    return dataclasses.replace(report, started_at=T0, checks=checks)


@pytest.mark.parametrize("name", sorted(_PINS))
def test_reports_are_those_the_object_view_wrote(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)  # the reports name the inputs as given: relative paths
    report = _report(name)
    got = {}
    for key in _PINS[name]:
        fmt, kw = _OPTIONS[key]
        out = io.StringIO()
        options = RenderOptions(width=120, exit_code=1, **kw)  # type: ignore[arg-type]
        get_renderer(Format(fmt))(report, options, out)
        text = out.getvalue().replace(__version__, "VERSION").replace(str(REPO), "REPO")
        got[key] = hashlib.sha256(text.encode()).hexdigest()[:32]
    if os.environ.get("COMPLIANCE_PRINT_PINS") == "1":
        print(name, got)
    assert got == _PINS[name]
