"""The JSON Lines report (``--format jsonl``) as pydantic models, one per kind of line.

Each line shares its fields with the JSON report's objects
(:mod:`compliance.render.report_model`) and adds its ``type``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from compliance.render.report_model import (
    Finding,
    InputInfo,
    Problem,
    RecordIdentity,
    Run,
    Summary,
    Unreadable,
)


class RunLine(Run):
    """The first line: what ran, on what rules, when."""

    #: JSON Lines keep their own version: their layout did not change with the report's.
    schema_version: Literal["1"]

    type: Literal["run"]


class InputLine(InputInfo):
    """A readable input, before its findings."""

    type: Literal["input"]


class FindingLine(RecordIdentity, Finding):
    """One finding for one community, with the community's row and identity."""

    type: Literal["finding"]


class ProblemLine(Problem):
    type: Literal["problem"]


class UnreadableLine(Unreadable):
    type: Literal["unreadable"]


class SummaryLine(Summary):
    """The last line: the counts and the exit code."""

    type: Literal["summary"]
    exit_code: int | None


Line = Annotated[
    RunLine | InputLine | FindingLine | ProblemLine | UnreadableLine | SummaryLine,
    Field(discriminator="type"),
]
LINE = TypeAdapter(Line)
