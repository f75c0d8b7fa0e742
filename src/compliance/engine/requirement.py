"""What a rule requires for given values, and how the requirement is derived.

``compliance rules explain staffing --households 2150`` answers "how many
full-time workers does a community of 2150 households need, and why?" without
a workbook: the values are parsed like cells, reference tables fill what they
can, and the rule's expressions are shown with the values filled in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from compliance.catalogue import Catalogue, default_catalogue
from compliance.engine.compile import Compiled, compile_expression
from compliance.engine.run import check_sheet
from compliance.errors import UsageError
from compliance.labels.messages import msg
from compliance.model import SourceInfo
from compliance.reading import cells
from compliance.reading.frame import ROW, SheetFrame
from compliance.rules.compile import field_kinds
from compliance.rules.expressions import Kind
from compliance.rules.model import Rule, RuleSet


@dataclass(frozen=True)
class Explanation:
    """The requirement of one rule for some given field values."""

    ruleset: RuleSet
    rule: Rule
    #: Parsed values by field id, including those filled from reference tables.
    values: Mapping[str, Any]
    #: Where looked-up values came from: "local_avg_wage=lookup:local_avg_wage[婺城区, 2006]".
    notes: tuple[str, ...]
    #: Fields the requirement (or its condition) needs that were not given.
    needs: tuple[str, ...]
    #: The requirement with values filled in, "max(5, ceil(2150 / 400)) = 6", or "".
    derivation: str
    required: float | None
    #: False when the rule's ``applies_if`` does not hold for the values.
    applies: bool | None
    applies_derivation: str = ""
    #: The whole evaluation, when the measured fields were given too: the row of
    #: the findings table (outcome, actual, required, shortfall, total, ...).
    finding: Mapping[str, Any] | None = None
    error: str = ""
    #: Fields the rule names that were counted as another (its ``stand_in``):
    #: "female_workers" -> "full_time_workers" when no female-worker count was given,
    #: or always where the rule set's reading says so (``stand_in_if``).
    stand_ins: Mapping[str, str] = field(default_factory=dict)


def parse_values(given: Mapping[str, str], catalogue: Catalogue | None = None) -> dict[str, Any]:
    """Field values typed as text ("households" -> "2,150") parsed as cells would be.

    Keys are field ids or any header the catalogue knows ("总户数"); a monthly
    pay is annualised like a monthly column.
    """
    cat = catalogue or default_catalogue()
    out: dict[str, Any] = {}
    for key, text in given.items():
        fid = key if key in cat else cat.match(key.replace("-", "_")) or cat.match(key)
        if fid is None:
            hint = cat.suggest(key)
            raise UsageError(
                "explain_unknown_field",
                name=repr(key),
                hint=msg("did_you_mean", names=", ".join(hint)) if hint else "",
            )
        field = cat[fid]
        value: Any
        if field.is_numeric:
            value, code = cells.parse_number(text)
        elif field.type == "flag":
            flag, code = cells.parse_flag(text)
            value = None if flag is None else float(flag)  # yes/no is 1 or 0
        else:
            value, code = cells.parse_text(text)
        if code is not None:
            zh, en = cells.MESSAGES[code]
            why = msg("as_given", zh=zh.format(raw=text), en=en.format(raw=text))
            raise UsageError("explain_bad_value", field=fid, value=repr(text), why=why)
        out[fid] = value
        if field.annualise is not None and field.annualise.into not in given:
            out[field.annualise.into] = value * field.annualise.factor
    return out


def explain(
    ruleset: RuleSet,
    rule_id: str,
    given: Mapping[str, str],
    *,
    as_of: dt.date | None = None,
    catalogue: Catalogue | None = None,
) -> Explanation:
    """Explain ``rule_id`` of ``ruleset`` for the ``given`` field values (as text)."""
    try:
        rule = ruleset.rule(rule_id)
    except KeyError:
        ids = ", ".join(r.id for r in ruleset.rules)
        raise UsageError("no_such_rule", id=repr(rule_id), ruleset=ruleset.label, ids=ids) from None
    values = parse_values(given, catalogue or ruleset.catalogue)
    notes: list[str] = []
    for lk in ruleset.lookups.values():
        if values.get(lk.field) is None:
            hit = lk.find_entry(values)
            if hit is not None:
                values[lk.field] = hit[1].value
                year = f", {hit[1].year}" if hit[1].year else ""
                notes.append(f"{lk.field}=lookup:{lk.id}[{hit[0]}{year}]")
    # As on a sheet without that column: a field not given is counted as its stand-in.
    use = rule.stand_ins(frozenset(k for k, v in values.items() if v is not None))
    subst = {**values, **{f: values.get(sub) for f, sub in use.items()}}
    wanted = [
        use.get(f, f)
        for f in (*rule.require.fields, *(rule.applies_if.fields if rule.applies_if else ()))
    ]
    needs = tuple(dict.fromkeys(f for f in wanted if values.get(f) is None))
    applies: bool | None = None
    applies_text = ""
    derivation = ""
    required: float | None = None
    error = ""
    kinds = field_kinds(ruleset.catalogue)
    frame = _one_row(values, kinds)
    if not needs:
        # The engine's own expressions on a one-row frame; the texts are formatted
        # from what they computed.
        parts = [rule.require] if rule.applies_if is None else [rule.applies_if, rule.require]
        compiled = [compile_expression(e, kinds, frame.columns, use) for e in parts]
        row = frame.select(
            pl.struct(c.value.alias("v"), _error(c).alias("e")).alias(str(i))
            for i, c in enumerate(compiled)
        ).row(0)
        results = dict(zip(parts, row, strict=True))
        error = next((r["e"] for r in row if r["e"] is not None), "") or ""
        if not error:
            if rule.applies_if is not None:
                applies = bool(results[rule.applies_if]["v"])
                args = tuple(subst[f] for f in rule.applies_if.fields)
                applies_text = rule.applies_if.format_args(args, applies)
            value = results[rule.require]["v"]
            required = float(value)
            args = tuple(subst[f] for f in rule.require.fields)
            derivation = rule.require.format_args(args, value)
            for f, sub in use.items():
                # The requirement was computed from the stand-in: say so, as the engine does.
                derivation = re.sub(rf"\b{f}\b", sub, derivation)
    finding = None
    if not needs and not error and all(subst.get(f) is not None for f in rule.fields):
        finding = _finding(frame, values, ruleset, rule, as_of)
    return Explanation(
        ruleset=ruleset,
        rule=rule,
        values=values,
        notes=tuple(notes),
        needs=needs,
        derivation=derivation,
        required=required,
        applies=applies,
        applies_derivation=applies_text,
        finding=finding,
        error=error,
        stand_ins=use,
    )


def _one_row(values: Mapping[str, Any], kinds: Mapping[str, Kind]) -> pl.DataFrame:
    """The values as one sheet row, typed as the reader types columns."""
    columns = [pl.Series(ROW, [0], dtype=pl.Int64)]
    for f, v in values.items():
        text = kinds.get(f, "number") == "text"
        columns.append(pl.Series(f, [v], dtype=pl.String if text else pl.Float64))
    return pl.DataFrame(columns)


def _error(c: Compiled) -> pl.Expr:
    return c.error if c.error is not None else pl.lit(None, dtype=pl.String)


def _finding(
    frame: pl.DataFrame,
    values: Mapping[str, Any],
    ruleset: RuleSet,
    rule: Rule,
    as_of: dt.date | None,
) -> dict[str, Any]:
    """The rule's finding for the one-row frame (a row of the findings table), as the
    engine makes it for a sheet whose columns are the fields given."""
    present = {f: ("", "") for f, v in values.items() if v is not None}
    sheet = SheetFrame(SourceInfo("", "", "values", "", (), present), frame)
    table = check_sheet(sheet, ruleset, [rule], as_of=as_of, checks=False).table
    return table.findings().row(0, named=True)
