"""The findings table: outcomes as columns, only the non-passes materialised."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance import api, findings
from compliance.model import Outcome
from compliance.render import Format, RenderOptions, get_renderer
from tests.conftest import HEADERS, SAMPLE, WorkbookFactory, community
from tests.findings import Found, communities, finding

AS_OF = dt.date(2026, 12, 1)


def test_outcomes_hold_one_row_per_community_and_rule() -> None:
    result = api.check(SAMPLE, as_of=AS_OF)
    table = result.table
    assert table.outcomes.height == len(table) * len(table.rules)
    assert set(table.outcomes["outcome"].unique()) <= {o.value for o in Outcome}
    # Only what is not a plain pass is materialised, in community then rule order.
    mat = table.materialised
    assert mat.height == table.outcomes.filter(pl.col("outcome") != "pass").height
    assert "pass" not in set(mat["outcome"])
    order = {r: i for i, r in enumerate(table.rules)}
    keys = [(rec, order[rule]) for rec, rule in mat.select("_rec", "rule").iter_rows()]
    assert keys == sorted(keys)


def test_counts_come_from_the_table(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区", households=2150, workers=5), community("乙社区")])
    result = api.check(path)
    counts = result.table.counts()
    assert counts["staffing"]["fail"] == 1 and counts["staffing"]["pass"] == 1
    report = api.check_files([path])
    assert [c.failed for c in report.counts() if c.rule == "staffing"] == [1]
    assert report.overall()[Outcome.FAIL] == 1
    assert report.failing_rules() == {"staffing"}


def test_a_failure_shows_its_derivation_and_cell(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区", households=2150, workers=5)])
    f = finding(api.check(path), "staffing")
    assert f == Found(
        "staffing",
        Outcome.FAIL,
        5.0,
        6.0,
        1.0,
        None,
        "max(5, ceil(2150 / 400)) = 6",
        "",
        ("Sheet1!F2",),
        (),
        (),
    )


def _json(path: Path, *, all_findings: bool = False) -> dict:  # type: ignore[type-arg]
    report = api.check_files([path], as_of=AS_OF)
    out = io.StringIO()
    get_renderer(Format.JSON)(report, RenderOptions(all_findings=all_findings), out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def test_json_lists_passes_by_id_and_the_rest_in_full() -> None:
    doc = _json(SAMPLE)
    result = api.check(SAMPLE, as_of=AS_OF)
    assert doc["schema_version"] == "2"
    for rec, rr in zip(doc["records"], communities(result), strict=True):
        assert rec["row"] == rr.row
        assert rec["passed"] == [f.rule for f in rr.findings if f.outcome is Outcome.PASS]
        assert [f["rule"] for f in rec["findings"]] == [
            f.rule for f in rr.findings if f.outcome is not Outcome.PASS
        ]
        shown = [f for f in rr.findings if f.outcome is not Outcome.PASS]
        for got, f in zip(rec["findings"], shown, strict=True):
            assert got["outcome"] == f.outcome.value
            assert got["cells"] == list(f.cells) and got["notes"] == list(f.notes)
            assert got["derivation"] == f.derivation and got["shortfall"] == f.shortfall


def test_all_findings_gives_every_finding_in_full() -> None:
    doc = _json(SAMPLE, all_findings=True)
    result = api.check(SAMPLE, as_of=AS_OF)
    for rec, rr in zip(doc["records"], communities(result), strict=True):
        assert [f["rule"] for f in rec["findings"]] == [f.rule for f in rr.findings]
        assert [f["derivation"] for f in rec["findings"]] == [f.derivation for f in rr.findings]


def test_json_never_holds_nan_or_infinity(make_xlsx: WorkbookFactory) -> None:
    # A monthly pay of 1e308 would be an annual pay of infinity: the reader refuses the
    # figure (out_of_range), pay is unknown, and nothing infinite reaches the JSON.
    path = make_xlsx([community("甲社区", monthly=1e308, area=1e308)])
    out = io.StringIO()
    report = api.check_files([path])
    outcomes = report.checks[0].table.outcomes
    pay = outcomes.filter(pl.col("rule") == "pay")
    assert pay["outcome"].item() == "unknown" and pay["actual"].item() is None
    assert {p.code for p in report.problems} == {"out_of_range"}
    assert not any(math.isinf(x) or math.isnan(x) for x in outcomes["actual"].drop_nulls())
    get_renderer(Format.JSON)(report, RenderOptions(all_findings=True), out)
    text = out.getvalue()
    assert "NaN" not in text and "Infinity" not in text
    json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))


def test_parquet_holds_every_finding_with_its_source(tmp_path: Path) -> None:
    report = api.check_files([SAMPLE], as_of=AS_OF)
    target = tmp_path / "r.parquet"
    api.render_report(report, "parquet", target)
    table = pl.read_parquet(target)
    check = report.checks[0]
    assert table.height == len(check.table) * len(check.rules)
    assert set(table["source"]) == {str(SAMPLE)} and set(table["ruleset"]) == {"zhejiang-2007"}
    assert set(table["ruleset_version"]) == {report.ruleset.version}
    counts = table.group_by("rule", "outcome").len()
    for c in report.counts():
        passed = counts.filter((pl.col("rule") == c.rule) & (pl.col("outcome") == "pass"))
        assert (passed["len"].item() if passed.height else 0) == c.passed
    fail = table.filter(pl.col("outcome") == "fail").row(0, named=True)
    assert fail["cells"] and fail["derivation"] and not math.isnan(fail["shortfall"])


def test_derivations_show_the_engine_results_without_computing_again(
    make_xlsx: WorkbookFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from compliance.rules import constants

    path = make_xlsx([community("甲社区", households=2150, workers=5), community("乙社区")])
    rs = api.load_ruleset()

    def refuse(*args: object) -> object:
        raise AssertionError("an expression computed in Python")

    # The only Python arithmetic on rule expressions folds constants as a rule file loads.
    monkeypatch.setattr(constants, "_fold", refuse)
    result = api.check(path, ruleset=rs)
    assert finding(result, "staffing").derivation == "max(5, ceil(2150 / 400)) = 6"
    assert finding(result, "premises", 1).derivation == "min_premises_m2 = 350"
    assert all(f.derivation for c in communities(result) for f in c.findings)


def test_field_values_are_read_for_the_rows_asked_only(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx(
        [community("甲社区", households=2150), community("乙社区", area=-5), community("丙社区")]
    )
    table = api.check(path).table
    got = table.field_values(["households", "premises_area", "pay_annual", "nosuch"], [1, 0])
    assert got["_rec"].to_list() == [1, 0]
    assert got["households"].to_list() == [1500.0, 2150.0]
    # A value the engine's screen emptied (a negative area) is empty here too.
    assert got["premises_area"].to_list() == [None, 400.0]
    assert got["_cell:premises_area"].to_list() == ["Sheet1!E3", "Sheet1!E2"]
    # A derived field names the cell it was derived from.
    assert got["pay_annual"].to_list() == [30000.0, 30000.0]
    assert got["_cell:pay_annual"].to_list() == ["Sheet1!G3", "Sheet1!G2"]
    assert got["nosuch"].to_list() == [None, None]
    assert got["_cell:nosuch"].to_list() == ["", ""]
    assert table.field_values(["households"], []).height == 0


@pytest.mark.parametrize("shuffled", [False, True])
@pytest.mark.parametrize("runs", [1, 256])
@pytest.mark.parametrize("size", [1, 2, 3, 7, 1000])
def test_chunks_of_communities_hold_the_rows_a_filter_per_chunk_gives(
    size: int, runs: int, shuffled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The outcomes come rule by rule (runs in community order), or in any order.
    monkeypatch.setattr(findings, "_RUNS", runs)
    table = api.check(SAMPLE, as_of=AS_OF).table
    assert table.outcomes["_rec"].is_sorted() is False
    if shuffled:
        table = table.amend(table.outcomes.sample(fraction=1.0, shuffle=True, seed=size))
    starts = []
    for at, rows in table.chunks(size):
        starts.append(at)
        which = pl.col("_rec").is_between(at, at + size - 1)
        key = ["_rec", "rule"]
        assert rows.sort(key).equals(table.outcomes.filter(which).sort(key))
        assert table.explained(rows).equals(table.findings(which))
    assert starts == list(range(0, len(table), size))


def test_texts_made_for_one_chunk_serve_the_next_unchanged(make_xlsx: WorkbookFactory) -> None:
    # The explainer keeps the derivations it made; chunks that share values (and a
    # stand-in's renamed text, the maternity rule's here) read them back unchanged.
    shapes = [(2150, 5, 400), (2150, 5, 0), (1500, 4, 400), (2150, 6, None), (0, 0, -0.0)]
    rows = [
        community(f"{i}社区", households=h, workers=w, area=a, insured=(w - 1,) * 6)
        for i, (h, w, a) in enumerate(shapes * 3)
    ]
    path = make_xlsx(rows)
    fresh = api.check(path, as_of=AS_OF).table.findings()
    assert any("full_time_workers" in d for d in fresh["derivation"].to_list())
    table = api.check(path, as_of=AS_OF).table
    for size in (1, 4, 100):
        got = pl.concat([table.explained(r) for _, r in table.chunks(size)])
        assert got.equals(fresh)


def test_sheets_of_other_layouts_in_one_process_show_their_own_cells(
    make_xlsx: WorkbookFactory,
) -> None:
    # A rule's finding columns are built once per sheet layout: a sheet with its
    # columns elsewhere, another sheet name or a monthly pay column shows its own.
    row = community("甲社区", households=2150, workers=5, monthly=1000)
    moved = [*HEADERS[:5], *HEADERS[6:], HEADERS[5]]  # the workers' count last (N)
    annual = [h if h != "人均月报酬" else "人均年报酬" for h in HEADERS]
    paths = {
        "plain": make_xlsx([row], name="plain.xlsx"),
        "moved": make_xlsx([[*row[:5], *row[6:], row[5]]], moved, name="moved.xlsx"),
        "named": make_xlsx([row], name="named.xlsx", sheet="社区情况"),
        "annual": make_xlsx([[*row[:6], 12000, *row[7:]]], annual, name="annual.xlsx"),
    }
    rules = api.load_ruleset()  # one rule set, as in a batch's worker
    for _ in range(2):  # the second round reads what the first built
        got = {k: api.check(p, ruleset=rules, as_of=AS_OF) for k, p in paths.items()}
        assert finding(got["plain"], "staffing").cells == ("Sheet1!F2",)
        assert finding(got["moved"], "staffing").cells == ("Sheet1!N2",)
        assert finding(got["named"], "staffing").cells == ("社区情况!F2",)
        assert finding(got["plain"], "pay").notes == ("pay_annual=pay_monthly × 12",)
        assert finding(got["annual"], "pay").notes == ()
        assert finding(got["plain"], "pay").cells == ("Sheet1!G2",)
        assert finding(got["annual"], "pay").cells == ("Sheet1!G2",)
        assert finding(got["plain"], "pay").derivation == finding(got["annual"], "pay").derivation


@given(
    st.integers(0, 30).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(
                st.tuples(
                    st.integers(0, max(n - 1, 0)),
                    st.sampled_from(
                        ["pass", "fail", "unknown", "not_yet_due", "waived", "not_applicable"]
                    ),
                ),
                max_size=0 if n == 0 else 120,
            ),
        )
    )
)
@settings(max_examples=200, deadline=None)
def test_each_communitys_worst_outcome_is_its_least_rank(
    case: tuple[int, list[tuple[int, str]]],
) -> None:
    n, rows = case
    records = pl.DataFrame({"_rec": pl.Series(range(n), dtype=pl.UInt32)})
    outcomes = pl.DataFrame(
        {"_rec": [r for r, _ in rows], "outcome": [o for _, o in rows]},
        schema={"_rec": pl.UInt32, "outcome": pl.String},
    )
    table = findings.FindingsTable(records, outcomes, [], lambda rows: rows, None)  # type: ignore[arg-type]
    expected = []
    for rec in range(n):
        had = {o for r, o in rows if r == rec}
        expected.append(next((o for o in ("fail", "unknown", "not_yet_due") if o in had), "pass"))
    assert table.worst().to_list() == expected
    assert table.worst().name == "worst"
