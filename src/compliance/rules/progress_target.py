"""The ``[progress]`` table of a rule file: the gap-closure target `compliance progress`
measures against, checked against the rules and parameters it names."""

from __future__ import annotations

from collections.abc import Mapping

from compliance.labels.messages import Msg, msg, problem
from compliance.rules.expressions import Value
from compliance.rules.locate import Locator
from compliance.rules.model import ProgressTarget
from compliance.rules.schema import RuleSetFile


def progress_target(
    spec: RuleSetFile,
    params: Mapping[str, Value],
    rule_ids: set[str],
    problems: list[Msg],
    at: Locator,
) -> ProgressTarget | None:
    """The ``[progress]`` table checked: its rule exists, its target names a share in
    (0, 1]; one problem per mistake, else None."""
    pg = spec.progress
    if pg is None:
        return None
    if pg.rule not in rule_ids:
        problems.append(
            problem(
                "[progress] rule",
                at(("progress", "rule")),
                msg("progress_no_rule", id=repr(pg.rule)),
            )
        )
    share = params.get(pg.target)
    target = "[progress] target"
    if share is None:
        problems.append(
            problem(
                target, at(("progress", "target")), msg("progress_no_parameter", id=repr(pg.target))
            )
        )
        return None
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        problems.append(
            problem(
                target,
                at(("progress", "target")),
                msg("progress_share", id=repr(pg.target), value=repr(share)),
            )
        )
        return None
    return ProgressTarget(
        rule=pg.rule,
        parameter=pg.target,
        share=float(share),
        due=pg.due,
        note_zh=pg.note_zh,
        note_en=pg.note_en,
    )
