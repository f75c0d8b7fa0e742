"""The JSON report and the JSON Lines records, described as pydantic models.

These models (:mod:`~compliance.render.report_model` and
:mod:`~compliance.render.lines_model`) are the documentation of ``--format json`` and ``--format jsonl``
(``schema_version`` 2). The JSON Schema files shipped in the package,
``data/report.schema.json`` and ``data/report-lines.schema.json``, are
generated from them::

    python -m compliance.render.schema          # rewrite both files

and a test keeps the files, the models and the renderers in step. The
renderers do not use these models (building them would slow large reports
down); a consumer may, to parse a report into typed objects::

    from compliance.render.schema import JsonReport
    report = JsonReport.model_validate_json(path.read_text(encoding="utf-8"))
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from compliance.render.lines_model import LINE, Line
from compliance.render.report_model import JsonReport

__all__ = [
    "LINE",
    "LINES_SCHEMA",
    "REPORT_SCHEMA",
    "SCHEMA_VERSION",
    "JsonReport",
    "Line",
    "lines_schema",
    "report_schema",
    "schema_text",
]

SCHEMA_VERSION = "2"
DATA = Path(__file__).resolve().parent.parent / "data"
REPORT_SCHEMA = DATA / "report.schema.json"
LINES_SCHEMA = DATA / "report-lines.schema.json"


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the JSON report."""
    schema = JsonReport.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def lines_schema() -> dict[str, Any]:
    """The JSON Schema of one line of the JSON Lines report."""
    schema = LINE.json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "compliance JSON Lines record",
        **schema,
    }


def schema_text(schema: dict[str, Any]) -> str:
    """How a schema is written to its file (stable, so that a test can compare)."""
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> None:
    for path, schema in ((REPORT_SCHEMA, report_schema()), (LINES_SCHEMA, lines_schema())):
        path.write_text(schema_text(schema), encoding="utf-8")
        print(path)


if __name__ == "__main__":
    main()
