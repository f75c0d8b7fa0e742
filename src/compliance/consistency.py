"""Run a rule set's consistency checks (审核) on evaluated records.

Each check of :mod:`compliance.rules.checks` is a formula between a record's
figures that should be true. A false one becomes a :class:`DataProblem` with
code ``review``, naming every cell the check reads, so every format that lists
data problems shows it, apart from the standards:

- an ``advisory`` check (提示性) only reports; it never changes an outcome or
  the exit code;
- a ``blocking`` check (强制性) also makes every community standard of that
  record ``unknown``, with the reason ``review:<check id>``: figures that
  contradict each other cannot vouch for a pass or a failure.

A check whose fields are not all present on the record (empty, unreadable or
not a column of the sheet) is not evaluated: missing data already makes the
standards that need it unknown, and a check says nothing about a column the
sheet does not have.

The engine decides the checks over columns (:mod:`compliance.engine.review`);
:func:`problem` writes the data problem of one record that fails one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.model import DataProblem
from compliance.rules.checks import ConsistencyCheck

__all__ = ["REASON", "REVIEW", "problem"]

#: The DataProblem code of a failed consistency check.
REVIEW = "review"
#: The prefix of a finding's reason when a blocking check made it unknown.
REASON = "review:"

_LABELS = {
    ("blocking", "zh"): "强制性审核",
    ("advisory", "zh"): "提示性审核",
    ("blocking", "en"): "Blocking check",
    ("advisory", "en"): "Advisory check",
}


def problem(
    check: ConsistencyCheck, values: Mapping[str, Any], cells: Mapping[str, str], row: int
) -> DataProblem:
    """The data problem of one failed check on one record (its field ``values``, the
    ``cells`` they were read from, its sheet ``row``), naming its cells."""
    named = tuple(dict.fromkeys(c for f in check.fields if (c := cells.get(f, ""))))

    def text(lang: str) -> str:
        sep = "、" if lang == "zh" else ", "
        where = sep.join(named)
        label = _LABELS[(check.severity, lang)]
        body = check.message(lang, values)
        if lang == "zh":
            return f"{label}“{check.title_zh}”未通过：{body}" + (f"（{where}）" if where else "")
        return f"{label} '{check.title_en}' failed: {body}" + (f" ({where})" if where else "")

    first = check.fields[0] if check.fields else None
    raw = values.get(first) if first else None
    return DataProblem(
        code=REVIEW,
        cell=named[0] if named else "",
        message_zh=text("zh"),
        message_en=text("en"),
        field=first,
        raw=None if raw is None else str(raw),
        row=row,
        severity=check.severity,
        check=check.id,
        cells=named,
    )
