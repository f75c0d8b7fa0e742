"""One input through the pipeline: read it, evaluate it, give its :class:`CheckResult`.

:func:`check` reads a file (:mod:`compliance.reading`) and evaluates it
(:mod:`compliance.engine`); :func:`check_frame` does the same for a table the
caller already holds. Both are re-exported by :mod:`compliance.api`; the batch
runner (:mod:`compliance.batch`) calls :func:`check` in each worker process.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from compliance.errors import InputError
from compliance.labels.messages import Msg, msg
from compliance.model import SheetData
from compliance.reading import ReadOptions, read_frame
from compliance.reading.frame import SheetFrame
from compliance.reading.records import found_headers, missing_fields, suggest_columns
from compliance.results import CheckResult
from compliance.rules.loader import DEFAULT_RULESET, load_ruleset
from compliance.rules.model import Rule, RuleSet

__all__ = ["check", "check_frame"]


def _require_columns(data: SheetData | SheetFrame, ruleset: RuleSet, rules: Sequence[Rule]) -> None:
    needed: dict[str, None] = {}
    for r in rules:
        needed.update(dict.fromkeys(r.fields))
    looked_up = {lk.field for lk in ruleset.lookups.values()}
    missing = [f for f in missing_fields(data, list(needed)) if f not in looked_up]
    if missing:
        cat = ruleset.catalogue
        names = ", ".join(f"{f} ({cat[f].zh})" for f in missing)
        found: Msg | str = "; ".join(found_headers(data)) or msg("none_known")
        hints = [f"--column '{h}={f}'" for f in missing for h in suggest_columns(data, f, cat)[:1]]
        raise InputError(
            "no_column",
            names=names,
            rules=", ".join(r.id for r in rules if set(r.fields) & set(missing)),
            found=found,
            hint=msg("perhaps", hints=", ".join(hints)) if hints else "",
            where=f"{data.source.path} [{data.source.sheet}]",
        )


def check(
    path: str | os.PathLike[str],
    *,
    ruleset: RuleSet | str | os.PathLike[str] = DEFAULT_RULESET,
    rules: Sequence[Rule] | None = None,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    as_of: dt.date | None = None,
    read_options: ReadOptions | None = None,
) -> CheckResult:
    """Read one file and evaluate it.

    Raises :class:`~compliance.errors.InputError` if the file cannot be read or
    lacks a column that a selected rule needs.
    """
    rs = ruleset if isinstance(ruleset, RuleSet) else load_ruleset(ruleset)
    chosen = tuple(rules) if rules is not None else rs.rules
    extra = read_options.kwargs() if read_options is not None else {}
    data = read_frame(path, sheet=sheet, columns=columns, catalogue=rs.catalogue, **extra)
    _require_columns(data, rs, [r for r in chosen if r.level == "community"])
    subdistricts = None
    if any(r.level == "subdistrict" for r in chosen):
        from compliance.subdistricts import subdistrict_source

        subdistricts = subdistrict_source(path, data, chosen, rs.catalogue)
    from compliance.engine import evaluate

    return reviewed(evaluate(data, rs, chosen, as_of=as_of, subdistricts=subdistricts), data)


def reviewed(result: CheckResult, data: SheetFrame) -> CheckResult:
    """A check with the return's own review added: its subtotal rows checked, its
    explanations (说明) read back onto the advisory items, and its verdict taken."""
    from compliance.explanations import mark_explained, row_explanations
    from compliance.subtotals import subtotal_problems
    from compliance.verdict import judge

    problems = (*result.problems, *subtotal_problems(data, result.ruleset))
    sheet = "" if data.source.format.startswith("csv") else data.source.sheet
    problems = mark_explained(problems, row_explanations(data), sheet)
    result = replace(result, problems=problems)
    return replace(result, verdict=judge(result))


def check_frame(
    frame: Any,
    *,
    ruleset: RuleSet | str | os.PathLike[str] = DEFAULT_RULESET,
    rules: Sequence[Rule] | None = None,
    as_of: dt.date | None = None,
    name: str = "<frame>",
) -> CheckResult:
    """Check a table the caller already holds: a polars or pandas DataFrame, or
    anything Arrow (a pyarrow Table, a record batch...).

    Its columns are field ids (``households``) or headers the catalogue
    recognises (``户数``), as a workbook's headers are; other columns are ignored
    (listed as unmatched headers). Rows are numbered from 1. Cells are parsed as
    in a workbook (text numbers, units, yes/no flags), a monthly pay column is
    annualised with the same note, and a value that cannot be read is empty,
    with a data problem. ``name`` stands for the source in the report. Returns the same
    :class:`~compliance.results.CheckResult` as :func:`check`; raises
    :class:`~compliance.errors.InputError` if a column a selected rule needs is
    missing.
    """
    from compliance.engine import evaluate
    from compliance.engine.frames import sheet_from_table

    rs = ruleset if isinstance(ruleset, RuleSet) else load_ruleset(ruleset)
    chosen = tuple(rules) if rules is not None else rs.rules
    sheet = sheet_from_table(frame, name=name, catalogue=rs.catalogue)
    community = [r for r in chosen if r.level == "community"]
    looked_up = {lk.field for lk in rs.lookups.values()}
    needed = list(dict.fromkeys(f for r in community for f in r.fields))
    # A monthly column provides the annual field, as in a workbook.
    missing = [f for f in missing_fields(sheet, needed) if f not in looked_up]
    if missing:
        raise InputError(
            "no_column_frame",
            names=", ".join(missing),
            rules=", ".join(r.id for r in community if set(r.fields) & set(missing)),
            found=", ".join(map(str, sheet.source.columns)) or msg("none_known"),
            where=name,
        )
    return reviewed(evaluate(sheet, rs, chosen, as_of=as_of), sheet)
