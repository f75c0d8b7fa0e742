"""The shipped JSON Schema files match the models, and real reports match the models."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from compliance import api
from compliance.exitcodes import exit_code
from compliance.render import Format, RenderOptions, get_renderer
from compliance.render.schema import (
    LINE,
    LINES_SCHEMA,
    REPORT_SCHEMA,
    JsonReport,
    lines_schema,
    report_schema,
    schema_text,
)
from tests.conftest import SAMPLE, WorkbookFactory, community

REGENERATE = "regenerate with: python -m compliance.render.schema"


@pytest.mark.parametrize(
    ("path", "schema"), [(REPORT_SCHEMA, report_schema), (LINES_SCHEMA, lines_schema)]
)
def test_shipped_schema_is_generated_from_the_models(path: Path, schema: object) -> None:
    assert callable(schema)
    assert path.read_text(encoding="utf-8") == schema_text(schema()), REGENERATE


def same(dumped: dict[str, Any], original: dict[str, Any]) -> bool:
    if "started_at" in original:
        when = dt.datetime.fromisoformat(original.pop("started_at"))
        assert dt.datetime.fromisoformat(dumped.pop("started_at")) == when
    return dumped == original


def rendered(fmt: Format, paths: list[Path]) -> str:
    report = api.check_files(paths)
    out = io.StringIO()
    get_renderer(fmt)(report, RenderOptions(exit_code=int(exit_code(report))), out)
    return out.getvalue()


@pytest.fixture
def inputs(make_xlsx: WorkbookFactory, tmp_path: Path) -> list[Path]:
    """The sample (failures, unknowns, data problems), a monthly-pay file and a missing file."""
    other = make_xlsx([community("甲社区", area="待核实"), community("乙社区")])
    return [SAMPLE, other, tmp_path / "missing.xlsx"]


def test_a_real_json_report_matches_the_models(inputs: list[Path]) -> None:
    text = rendered(Format.JSON, inputs)
    # extra="forbid" on every model: a key the renderer adds and the models lack fails here.
    report = JsonReport.model_validate_json(text)
    assert report.schema_version == "2"
    assert len(report.records) == 202
    assert {f.outcome for r in report.records for f in r.findings} >= {"fail", "unknown"}
    assert "pass" not in {f.outcome for r in report.records for f in r.findings}
    assert any(r.passed for r in report.records)
    assert report.problems and report.unreadable
    # And nothing is lost on the way back to JSON (pydantic writes UTC as "Z").
    assert same(report.model_dump(mode="json", by_alias=True), json.loads(text))


def test_every_json_lines_record_matches_the_models(inputs: list[Path]) -> None:
    text = rendered(Format.JSONL, inputs)
    kinds = set()
    for line in text.splitlines():
        parsed = LINE.validate_json(line)
        assert same(LINE.dump_python(parsed, mode="json", by_alias=True), json.loads(line))
        kinds.add(parsed.type)
    assert kinds == {"run", "input", "finding", "problem", "unreadable", "summary"}
