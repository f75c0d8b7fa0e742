"""The JSON report (``--format json``, ``schema_version`` 2) as pydantic models.

See :mod:`compliance.render.schema`, which writes the JSON Schema from them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import ConfigDict, Field

from compliance.render.returns_model import Coverage, DuplicatePair, VerdictInfo
from compliance.render.returns_model import StrictModel as _Model

OutcomeName = Literal["pass", "fail", "unknown", "not_applicable", "waived", "not_yet_due"]
ParameterValue = float | int | str | bool


class Tool(_Model):
    """The program that wrote the report."""

    name: Literal["compliance"]
    version: str


class Interpretation(_Model):
    """A choice the source text leaves open, and what the rule set chose."""

    parameter: str
    value: ParameterValue
    note_zh: str
    note_en: str


class RulesetInfo(_Model):
    """The rule set: which one, which version, and the exact file (by SHA-256)."""

    id: str
    version: str
    title_zh: str
    title_en: str
    path: str | None = Field(description="The rule file, or null for a rule set built in memory.")
    sha256: str = Field(description="SHA-256 of the rule file's bytes.")
    illustrative: bool = Field(description="True for rule sets that are not official standards.")
    parameters: dict[str, ParameterValue]
    interpretations: list[Interpretation]


class RuleInfo(_Model):
    """One evaluated rule: where it comes from and what it computes."""

    id: str
    title_zh: str
    title_en: str
    citation: str = Field(description="The source text the rule encodes.")
    document_zh: str
    issued: str
    unit: str
    total_unit: str | None
    severity: Literal["error", "warning"]
    measure: str = Field(description="Expression of what is measured.")
    compare: str = Field(description="How the measure is compared with the requirement: >=, <=...")
    require: str = Field(description="Expression of the requirement.")
    applies_if: str | None
    deadline: str | None


class Column(_Model):
    """Where a field was found: the column letter and its header text."""

    column: str
    header: str


class InputInfo(_Model):
    """A readable input file and how it was understood."""

    path: str
    sha256: str = Field(description="SHA-256 of the file's bytes.")
    format: str
    sheet: str
    header_rows: list[int] = Field(description="1-based rows of the header.")
    columns: dict[str, Column] = Field(description="Field id -> column.")
    unmatched_headers: list[str]
    notes_zh: list[str]
    notes_en: list[str]
    records: int = Field(description="Communities read from this input.")
    verdict: VerdictInfo


class Unreadable(_Model):
    """An input that could not be read; the other inputs were still checked."""

    path: str
    sha256: str | None = Field(description="SHA-256 of the file, null if it could not be opened.")
    message: str
    verdict: VerdictInfo = Field(description="Always returned: the file could not be read.")


class Finding(_Model):
    """The outcome of one rule for one community, with the figures behind it."""

    rule: str
    outcome: OutcomeName
    actual: float | None
    required: float | None
    shortfall: float | None = Field(description="In the rule's unit; 0 for a pass.")
    total: float | None = Field(description="Shortfall times the rule's scale, if it has one.")
    derivation: str = Field(description="How the requirement was computed.")
    reason: str = Field(
        description='"", "missing", "not_applicable", "error:<message>" or "waived:<reason>".'
    )
    cells: list[str] = Field(description="Cells measured (failure) or lacking data (unknown).")
    missing: list[str] = Field(description="Field ids whose values were missing or unreadable.")
    notes: list[str] = Field(description="Where derived inputs came from.")


class RecordIdentity(_Model):
    source: str = Field(description="The input file the community's row came from.")
    sheet: str
    row: int = Field(description="1-based sheet row.")
    id: str | None
    name: str | None
    city: str | None
    district: str | None
    subdistrict: str | None


class Record(RecordIdentity):
    """One community: where its row is, the rules it passes, and every other finding."""

    worst: Literal["pass", "fail", "unknown", "not_yet_due"]
    passed: list[str] = Field(description="Ids of the rules the community passes, in rule order.")
    findings: list[Finding] = Field(
        description="Every finding that is not a plain pass, in full, in rule order "
        "(with --all-findings, every finding, passes included)."
    )


class Subdistrict(_Model):
    """One sub-district, for the rules checked once per sub-district (level "subdistrict")."""

    source: str
    sheet: str
    row: int = Field(description="1-based row the sub-district's figures were first read from.")
    city: str | None
    district: str | None
    subdistrict: str | None
    worst: Literal["pass", "fail", "unknown", "not_yet_due"]
    findings: list[Finding]


class WaiverMatch(_Model):
    community: str = Field(
        description='The community or sub-district, with its row: "甲社区 (Sheet1!2)".'
    )
    rule: str


class Waiver(_Model):
    """One waiver from --waivers and what became of it."""

    community: str = Field(description="The community code or name (or sub-district) it names.")
    subdistrict: str
    rule: str = Field(description="A rule id, or a prefix ending in *.")
    reason: str
    approved_by: str
    expires: dt.date
    granted: dt.date | None
    where: str = Field(description="Where it is in the waivers file.")
    state: Literal["applied", "expired", "unmatched", "not_needed"]
    matches: list[WaiverMatch] = Field(
        description="Failures it waived (applied), would have covered (expired) or found passing."
    )


class Problem(_Model):
    """Something wrong with the input data, pinned to a cell."""

    source: str
    cell: str = Field(description='Excel-style cell name, e.g. "社区情况!I12".')
    row: int | None
    field: str | None
    code: str
    raw: str | None
    message_zh: str
    message_en: str


class CheckProblem(Problem):
    """A failed consistency check (审核): a data problem with code "review"."""

    severity: Literal["blocking", "advisory"] = Field(
        description="blocking (强制性: the record's standards are unknown) or advisory (提示性)."
    )
    check: str = Field(
        description='The id of the check in the rule set ("subtotal" for a 合计/小计 row).'
    )
    cells: list[str] = Field(description="Every cell the check reads.")
    imbalance: float | None = Field(
        default=None,
        description="A subtotal check: the subtotal minus the sum of the communities it covers.",
    )
    explained: bool = Field(
        default=False, description="An advisory item the return explains in its 说明 column."
    )
    explanation: str | None = Field(default=None, description="The return's explanation.")


class RuleCounts(_Model):
    pass_: int = Field(alias="pass")
    fail: int
    unknown: int
    not_applicable: int
    waived: int
    not_yet_due: int


class Overall(_Model):
    """Communities by their worst outcome over all rules."""

    pass_: int = Field(alias="pass")
    fail: int
    unknown: int


class Summary(_Model):
    records: int
    inputs: int
    unreadable: int
    overall: Overall
    by_rule: dict[str, RuleCounts]


class Run(_Model):
    tool: Tool
    started_at: dt.datetime = Field(description="When the run started (UTC, ISO 8601).")
    options: dict[str, Any]
    ruleset: RulesetInfo
    rules: list[RuleInfo]


class JsonReport(Run):
    """The document ``compliance check --format json`` writes."""

    schema_version: Literal["2"]

    model_config = ConfigDict(title="compliance JSON report")

    exit_code: int | None = Field(description="The exit code of the run (0, 1 or 2).")
    inputs: list[InputInfo]
    unreadable: list[Unreadable]
    records: list[Record]
    as_of: dt.date | None = Field(
        default=None, description="The date deadlines and waivers were judged on (--as-of)."
    )
    subdistricts: list[Subdistrict] = Field(
        default_factory=list, description="Results of the rules checked per sub-district."
    )
    waivers: list[Waiver] = Field(default_factory=list)
    coverage: Coverage | None = Field(
        default=None, description="The inputs against the expected list (--expected)."
    )
    duplicates: list[DuplicatePair] = Field(
        default_factory=list,
        description="Inputs that share communities (code, or name and district); each "
        "shared community is also a problem with code duplicate_across_inputs.",
    )
    problems: list[Problem]
    checks: list[CheckProblem] = Field(
        default_factory=list, description="Failed consistency checks (审核)."
    )
    summary: Summary
