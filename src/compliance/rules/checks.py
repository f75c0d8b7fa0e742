"""Consistency checks between fields (审核), as declared in a rule file's ``[[checks]]``.

Chinese statistical reporting checks a submitted table with review rules: a
formula between its figures (``养老保险人数 <= 专职人数``) and a message shown
when the formula is false. They come in two severities:

- ``blocking`` (强制性审核): the figures contradict each other, so the
  record's standards cannot be judged on them (the run treats this like an
  ``error``: the record's standards become unknown);
- ``advisory`` (提示性审核): the figure is possible but needs a written
  explanation (like a ``warning``: reported, never failing the run).

A check is data: its ``expression`` is written in the rule language of
:mod:`compliance.rules.expressions` and must give true or false; its messages
may name fields and parameters in braces (``{pension_insured}``), filled with
the record's values. A blocking check makes unknown only the rules it concerns:
those its ``blocks`` lists, by default the rules that read any field the check
reads. Evaluation lives in :mod:`compliance.engine.review`.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from compliance.labels.messages import Msg, msg, problem
from compliance.rules.expressions import (
    Expression,
    ExpressionError,
    Kind,
    Value,
    compile_expression,
)
from compliance.rules.locate import Locator, no_line

if TYPE_CHECKING:
    from compliance.catalogue import Catalogue
    from compliance.rules.model import Rule

CheckId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_.-]*$", max_length=64)]
FieldId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]

#: The two severities of a check, and the rule severity each acts like.
SEVERITIES: dict[str, str] = {"blocking": "error", "advisory": "warning"}


class CheckSpec(BaseModel):
    """One ``[[checks]]`` entry of a rule file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: CheckId
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    #: True when the figures are consistent, e.g. "pension_insured <= full_time_workers".
    expression: str = Field(min_length=1)
    message_zh: str = Field(min_length=1)
    message_en: str = Field(min_length=1)
    severity: Literal["blocking", "advisory"]
    #: The fields whose cells a finding names (default: those the expression reads).
    fields: list[FieldId] | None = None
    #: The rules a failure of a blocking check makes unknown (default: the rules that
    #: read any field the check reads or names).
    blocks: list[CheckId] | None = None


@dataclass(frozen=True)
class ConsistencyCheck:
    """A compiled check, ready to evaluate on a record's values."""

    id: str
    title_zh: str
    title_en: str
    expression: Expression
    message_zh: str
    message_en: str
    severity: str
    #: The fields whose cells a finding names, in order.
    fields: tuple[str, ...]
    #: Parameter values the messages may name.
    params: Mapping[str, Value]
    #: The community rules a failure makes unknown (a blocking check only).
    blocks: tuple[str, ...] = ()
    #: Whether the rule file lists ``blocks`` (else they are the rules that read its fields).
    blocks_declared: bool = False

    @property
    def reads(self) -> tuple[str, ...]:
        """The fields the check reads or names: what its default ``blocks`` look at."""
        return tuple(dict.fromkeys((*self.expression.fields, *self.fields)))

    @property
    def rule_severity(self) -> str:
        """``error`` for a blocking check, ``warning`` for an advisory one."""
        return SEVERITIES[self.severity]

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def message(self, lang: str, values: Mapping[str, object]) -> str:
        """The message with ``{field}`` and ``{parameter}`` filled in."""
        text = self.message_zh if lang == "zh" else self.message_en
        names = {**self.params, **values}
        return text.format_map({k: _show(v) for k, v in names.items()})


def _show(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None else str(v)


def _placeholders(text: str) -> list[str] | None:
    """The names in braces, or None when the text is not a valid template."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return None
    out = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            return None
        out.append(name)
    return out


def rule_reads(rule: Rule, catalogue: Catalogue) -> frozenset[str]:
    """Every record field a rule's outcome can depend on: its expressions (the scale
    too), its stand-ins, and a field derived from another (monthly pay for annual)."""
    reads = set(rule.expression_fields)
    if rule.scale is not None:
        reads.update(rule.scale.fields)
    reads.update(rule.stand_in.values())
    for f in catalogue.fields.values():
        if f.annualise is not None and f.annualise.into in reads:
            reads.add(f.id)
    return frozenset(reads)


def _blocks(
    spec: CheckSpec,
    check_reads: tuple[str, ...],
    rules: Sequence[Rule],
    removed: AbstractSet[str],
    catalogue: Catalogue,
    where: Msg,
    line: Msg | str,
    problems: list[Msg],
) -> tuple[str, ...]:
    community = [r for r in rules if r.level == "community"]
    if spec.blocks is None:
        if spec.severity != "blocking":
            return ()
        return tuple(r.id for r in community if rule_reads(r, catalogue) & set(check_reads))
    if spec.severity != "blocking":
        problems.append(problem(where, line, "check_blocks_advisory"))
        return ()
    ids = {r.id for r in community}
    others = {r.id for r in rules} - ids
    for rid in spec.blocks:
        if rid in others:
            problems.append(problem(where, line, msg("check_blocks_subdistrict", rule=repr(rid))))
        elif rid not in ids and rid not in removed:
            known = ", ".join(r.id for r in community)
            problems.append(
                problem(where, line, msg("check_blocks_no_rule", rule=repr(rid), known=known))
            )
    # A rule the extending rule set removed is simply no longer blocked.
    return tuple(dict.fromkeys(r for r in spec.blocks if r in ids))


def compile_checks(
    specs: list[CheckSpec],
    kinds: Mapping[str, Kind],
    params: Mapping[str, Value],
    problems: list[Msg],
    *,
    rules: Sequence[Rule] = (),
    removed: AbstractSet[str] = frozenset(),
    catalogue: Catalogue | None = None,
    at: Locator = no_line,
) -> tuple[ConsistencyCheck, ...]:
    """Compile ``[[checks]]``, adding one line to ``problems`` per mistake. ``rules``
    are the rule set's compiled rules, which the checks' ``blocks`` name (``removed``:
    rules an extending rule set left out, which a check may still name)."""
    from compliance.catalogue import default_catalogue

    cat = catalogue or default_catalogue()
    out: list[ConsistencyCheck] = []
    seen: set[str] = set()
    for position, spec in enumerate(specs):
        where = msg("place_check", id=repr(spec.id))
        if spec.id in seen:
            problems.append(problem(where, at(("checks", position)), "id_twice"))
        seen.add(spec.id)
        try:
            expr = compile_expression(spec.expression, kinds, params, expect="bool")
        except ExpressionError as exc:
            place = msg("place_expr", head=where, key="expression", source=repr(spec.expression))
            problems.append(problem(place, at(("checks", position, "expression")), exc.msg))
            continue
        fields = tuple(spec.fields) if spec.fields is not None else expr.fields
        unknown = [f for f in fields if f not in kinds]
        if unknown:
            place = msg("place_key", head=where, key="fields")
            problems.append(
                problem(
                    place,
                    at(("checks", position, "fields")),
                    msg("unknown_fields", fields=", ".join(unknown)),
                )
            )
            continue
        ok = True
        for key in ("message_zh", "message_en"):
            names = _placeholders(getattr(spec, key))
            bad: list[Msg | str] = (
                [msg("check_not_template")]
                if names is None
                else [n for n in names if n not in kinds and n not in params]
            )
            if bad:
                place = msg("place_key", head=where, key=key)
                problems.append(
                    problem(place, at(("checks", position, key)), msg("check_braces", names=bad))
                )
                ok = False
        reads = tuple(dict.fromkeys((*expr.fields, *fields)))
        blocks = _blocks(
            spec,
            reads,
            rules,
            removed,
            cat,
            msg("place_key", head=where, key="blocks"),
            at(("checks", position, "blocks")),
            problems,
        )
        if ok:
            out.append(
                ConsistencyCheck(
                    id=spec.id,
                    title_zh=spec.title_zh,
                    title_en=spec.title_en,
                    expression=expr,
                    message_zh=spec.message_zh,
                    message_en=spec.message_en,
                    severity=spec.severity,
                    fields=fields,
                    params=dict(params),
                    blocks=blocks,
                    blocks_declared=spec.blocks is not None,
                )
            )
    return tuple(out)
