"""What the JSON report says of each return as the office sees it: its verdict
(审核结论) and the inputs that share communities. Part of the models of
:mod:`compliance.render.report_model`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class StrictModel(BaseModel):
    """A model that refuses unknown keys and cannot change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class VerdictInfo(StrictModel):
    """The verdict on one return (审核结论) and the counts that produced it."""

    status: Literal["accepted", "accepted_with_notes", "returned"] = Field(
        description="accepted (审核通过), accepted_with_notes (通过，附说明事项) or "
        "returned (退回修改). It judges the return's data, not its communities."
    )
    readable: bool = Field(description="False when the file could not be read at all.")
    blocking_checks: int = Field(description="Failed blocking checks (强制性审核).")
    unreadable_cells: int = Field(description="Cells a rule needs that are not usable figures.")
    missing_cells: int = Field(description="Cells a rule needs that are empty.")
    uncomputable: int = Field(description="Findings that cannot be computed from the figures.")
    advisory: int = Field(
        description="Advisory items without an explanation (提示性审核, subtotal imbalances)."
    )
    explained: int = Field(description="Advisory items the return explains (说明).")
    notes: int = Field(
        description="Other notes on the data: repeated rows, roster mismatches, "
        "unreadable cells that no rule needs."
    )
    unsourced: int = Field(
        description="Findings unknown for want of a sourced reference figure (the office's gap)."
    )


class DuplicatePair(StrictModel):
    """Two inputs that share communities; each is counted from ``kept`` only."""

    dropped: str = Field(description="The input whose copies are not counted.")
    kept: str = Field(description="The input the shared communities are counted from.")
    reason: Literal["revision", "later"] = Field(
        description="revision: the kept file's name marks a revision (修改, 更正 …); "
        "later: the later input."
    )
    communities: int


class Listed(StrictModel):
    """A community of the expected list that no input has."""

    name: str
    id: str | None
    district: str | None
    cell: str = Field(description='Where it is in the list, e.g. "名单!B5".')


class Unexpected(StrictModel):
    """A community of an input that the expected list does not have."""

    name: str
    id: str | None
    district: str | None
    source: str
    row: int


class Coverage(StrictModel):
    """The inputs checked against the official list (``--expected``)."""

    file: str = Field(description="The list file.")
    sha256: str
    expected: int = Field(description="Communities on the list.")
    missing: list[Listed]
    unexpected: list[Unexpected]
