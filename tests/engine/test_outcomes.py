"""A rule's outcome expressions are built once per sheet layout and reused: each sheet
still gets the outcomes of its own columns and date, in any order of sheets."""

from __future__ import annotations

import datetime as dt

import polars as pl

from compliance.engine.outcomes import rule_outcomes
from compliance.engine.plan import plan
from compliance.rules.compile import field_kinds
from compliance.rules.loader import load_ruleset

RULES = load_ruleset()
KINDS = field_kinds(RULES.catalogue)


def _outcome(frame: pl.DataFrame, rule_id: str, as_of: dt.date | None = None) -> tuple[str, str]:
    rule = next(r for r in RULES.rules if r.id == rule_id)
    p = plan(rule, frozenset(frame.columns))
    got = rule_outcomes(frame.lazy(), frame.columns, p, KINDS, as_of=as_of).collect()
    outcome, reason = got.select("outcome", "reason").row(0)
    return outcome, reason


def test_each_layout_and_date_gets_its_own_outcomes() -> None:
    full = pl.DataFrame(
        {
            "_rec": pl.Series([0], dtype=pl.UInt32),
            "households": [2150.0],
            "full_time_workers": [5.0],
            "premises_area": [300.0],
            "maternity_insured": [5.0],
        }
    )
    short = full.drop("full_time_workers")
    women = full.with_columns(female_workers=pl.lit(6.0))
    for _ in range(2):  # the second round reads what the first built
        assert _outcome(full, "staffing") == ("fail", "")
        assert _outcome(short, "staffing") == ("unknown", "missing")
        assert _outcome(full, "premises", dt.date(2009, 1, 1)) == ("not_yet_due", "")
        assert _outcome(full, "premises", dt.date(2011, 1, 1)) == ("fail", "")
        assert _outcome(full, "premises") == ("fail", "")
        # Maternity is counted against female workers, or all workers where that column is absent.
        assert _outcome(full, "maternity") == ("pass", "")
        assert _outcome(women, "maternity") == ("fail", "")
        assert _outcome(short, "maternity")[0] == "unknown"
        no_one = full.with_columns(full_time_workers=pl.lit(0.0))
        assert _outcome(no_one, "maternity")[0] == "not_applicable"
