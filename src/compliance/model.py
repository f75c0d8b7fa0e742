"""The data every layer shares: outcomes, data problems and where a sheet came from.

Everything here is immutable. The reading layer makes :class:`Record`,
:class:`DataProblem` and :class:`SheetData`; findings are rows of a findings
table (:mod:`compliance.findings`), never objects. What one check and one run
produce (:class:`~compliance.results.CheckResult`, :class:`~compliance.results.Report`)
holds a findings table, and so lives above :mod:`compliance.findings`, in
:mod:`compliance.results`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    """The result of one rule for one record."""

    PASS = "pass"
    FAIL = "fail"
    #: A needed field is missing, empty or unreadable. Never counted as a pass.
    UNKNOWN = "unknown"
    #: The rule's ``applies_if`` is false for this record.
    NOT_APPLICABLE = "not_applicable"
    #: A waiver file excuses this failure (see ``--waivers``).
    WAIVED = "waived"
    #: The rule fails but its deadline is after the ``--as-of`` date.
    NOT_YET_DUE = "not_yet_due"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class DataProblem:
    """Something wrong with the input data, pinned to a cell ("Sheet1!E12")."""

    code: str
    cell: str
    message_zh: str
    message_en: str
    field: str | None = None
    raw: str | None = None
    row: int | None = None
    #: For a consistency check (code "review"): "blocking" (强制性) or "advisory" (提示性).
    severity: str | None = None
    #: For a consistency check: the id of the check in the rule set.
    check: str | None = None
    #: Every cell the problem names, ``cell`` first (a check or a swing names several).
    cells: tuple[str, ...] = ()
    #: For a subtotal check: the subtotal minus the sum of the communities it covers.
    imbalance: float | None = None
    #: The written explanation (说明) the return gives for an advisory item on this row;
    #: an explained item stays listed but no longer holds the return back.
    explanation: str | None = None

    @property
    def explained(self) -> bool:
        return bool(self.explanation)

    def message(self, lang: str) -> str:
        """The message in ``lang``, with the return's explanation where it gave one."""
        text = self.message_zh if lang == "zh" else self.message_en
        if self.explanation:
            text += (
                f"；已说明：{self.explanation}"
                if lang == "zh"
                else f"; explained: {self.explanation}"
            )
        return text


@dataclass(frozen=True, slots=True)
class Record:
    """One community row.

    ``values`` maps field ids to parsed values (``None`` when the cell is empty
    or unreadable); ``cells`` maps field ids to the cell they came from;
    ``derived`` explains values that did not come straight from a cell
    ("pay_annual": "pay_monthly × 12").
    """

    source: str
    sheet: str
    row: int
    values: Mapping[str, Any]
    cells: Mapping[str, str]
    derived: Mapping[str, str] = field(default_factory=dict)

    def get(self, field_id: str) -> Any:
        return self.values.get(field_id)

    @property
    def name(self) -> str:
        return str(self.values.get("name") or self.values.get("id") or f"#{self.row}")

    @property
    def ref(self) -> str:
        return f"{self.sheet}!{self.row}" if self.sheet else f"row {self.row}"


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Where the records came from, and how the sheet was understood."""

    path: str
    sha256: str
    format: str
    sheet: str
    header_rows: tuple[int, ...]
    #: field id -> (column letter, header text as found)
    columns: Mapping[str, tuple[str, str]]
    unmatched_headers: tuple[str, ...] = ()
    notes_zh: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()

    def notes(self, lang: str) -> tuple[str, ...]:
        return self.notes_zh if lang == "zh" else self.notes_en


@dataclass(frozen=True, slots=True)
class SheetData:
    """What the reading layer gives evaluation: records plus what it noticed."""

    source: SourceInfo
    records: tuple[Record, ...]
    problems: tuple[DataProblem, ...] = ()
