"""The renderers that read the findings tables give what the findings say.

The table's and HTML's choice of communities, the wide CSV, the xlsx sheets and
the summary roll-up read columns; each is compared here with the findings as the
tests read them (``tests/findings.py``), on the samples, a report with deadlines,
a roster workbook and a report of several files.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from itertools import chain
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance import api
from compliance.isolation.codec import decode_outcome, encode_outcome
from compliance.model import Outcome
from compliance.render import csv as csv_render
from compliance.render.common import listed, needing_attention, worst_first
from compliance.render.csv_cells import code_cell, code_column, inert, inert_column
from compliance.results import Report
from compliance.summary import Level, summarise
from compliance.summary.figures import SUMMED, Figures
from compliance.summary.rollup import _RegionAcc
from tests.conftest import REPO, SAMPLE, community
from tests.findings import Community, communities
from tests.reading.builders import roster_workbook

_IDENTITY = ("id", "name", "city", "district", "subdistrict")

SAMPLES = [SAMPLE, REPO / "samples" / "jinhua-2008.xlsx"]


def _report(paths: Sequence[Path], **kw: object) -> Report:
    rs = api.load_ruleset()
    checks = tuple(api.check(p, ruleset=rs, **kw) for p in paths)  # type: ignore[arg-type]
    return Report(ruleset=rs, rules=rs.rules, checks=checks)


def _reports(tmp_path: Path, make_xlsx) -> list[Report]:  # type: ignore[no-untyped-def]
    odd = make_xlsx(
        [
            community("甲社区", area=300),
            community("乙社区", area=None, workers="五人"),
            community("丙社区", monthly="abc", district=" 婺城区 "),
            community("丁社区"),
            community('=HYPERLINK("http://x","点")'),
            community("@SUM(A1)", subdistrict="-1+2"),
            community('逗号,引号"换行\n社区', district="+区"),
            community("0.5 社区", area=350.25, monthly=2222.5),
        ]
    )
    reports = [_report([SAMPLE]), _report(SAMPLES), _report([odd, SAMPLE])]
    reports.append(_report([roster_workbook(tmp_path / "roster.xlsx")]))
    reports.append(_report([SAMPLE], as_of=dt.date(2008, 6, 30)))
    return reports


def _keyed(report: Report) -> list[tuple[int, Community]]:
    """Every community of ``report`` with its check's position, in input order."""
    return [(i, c) for i, check in enumerate(report.checks) for c in communities(check)]


def _keys(found: list[tuple[int, Community]]) -> list[tuple[int, int]]:
    return [(i, c.rec) for i, c in found]


_RANK = {Outcome.FAIL: 0, Outcome.UNKNOWN: 1, Outcome.NOT_YET_DUE: 2, Outcome.PASS: 3}


def test_the_listed_communities_are_those_the_findings_give(tmp_path: Path, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    for report in _reports(tmp_path, make_xlsx):
        every = _keyed(report)

        def key(item: tuple[int, Community]) -> tuple[int, int]:
            outcomes = [f.outcome for f in item[1].findings]
            return -outcomes.count(Outcome.FAIL), -outcomes.count(Outcome.UNKNOWN)

        attention = sorted((x for x in every if x[1].needs_attention), key=key)
        chosen, more = worst_first(report, 7)
        assert list(chosen.iter_rows()) == _keys(attention[:7])
        assert more == max(len(attention) - 7, 0)
        everyone, none = worst_first(report, None)
        assert (list(everyone.iter_rows()), none) == (_keys(attention), 0)
        assert list(listed(report, False).iter_rows()) == _keys(attention)
        ordered = sorted(every, key=lambda x: _RANK[x[1].worst])
        assert list(listed(report, True).iter_rows()) == _keys(ordered)
        expected = [x for x in ordered if x[1].needs_attention]
        assert list(needing_attention(report).iter_rows()) == _keys(expected)


def test_wide_csv_writes_each_community_as_the_findings_give_it(tmp_path: Path, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    from compliance import labels
    from compliance.render import rows

    for report in _reports(tmp_path, make_xlsx):
        label = report.ruleset.label
        for part, check in zip(rows.communities(report), report.checks, strict=True):
            expected = []
            records = check.table.records.sort("_rec").iter_rows(named=True)
            for rec, c in zip(records, communities(check), strict=True):
                sheet = check.source.sheet
                row = [
                    check.source.path,
                    f"{sheet}!{c.row}" if sheet else c.row,
                    code_cell(rec["id"]),
                    *("" if rec[k] is None else rec[k] for k in _IDENTITY[1:]),
                    labels.outcome(c.worst, "zh"),
                ]
                for r in report.rules:
                    f = c.finding(r.id)
                    row += (
                        [""] * 4
                        if f is None
                        else [
                            labels.outcome(f.outcome, "zh"),
                            *(csv_render.number(x) for x in (f.actual, f.required, f.shortfall)),
                        ]
                    )
                expected.append([*row, label])
            fast, slow = io.StringIO(), io.StringIO()
            csv_render.write_frame(fast, csv_render.wide_frame(part, report.rules, "zh", label))
            csv_render.write_rows(slow, expected, bom=False)
            assert fast.getvalue() == slow.getvalue()


def _community_figures(c: Community, scaled: set[str]) -> Figures:
    """What one community adds to a roll-up, counted in Python from its findings."""
    fig = Figures(communities=1, standing={c.worst.value: 1})
    for f in c.findings:
        k = (f.rule, f.outcome.value)
        fig.counts[k] = 1
        if f.outcome.value in SUMMED:
            fig.short[k] = f.shortfall or 0.0
            fig.total[k] = f.total if f.rule in scaled and f.total is not None else 0.0
        if f.rule in scaled and f.outcome is Outcome.FAIL and f.total is None:
            fig.unscaled[f.rule] = 1
    return fig


@pytest.mark.parametrize("by", [None, "city", "district", "subdistrict"])
def test_the_roll_up_matches_one_added_up_community_by_community(
    tmp_path: Path,
    make_xlsx,
    by: str | None,  # type: ignore[no-untyped-def]
) -> None:
    for report in _reports(tmp_path, make_xlsx):
        if by is not None and by not in report.checks[0].source.columns:
            continue  # a level the data lacks is refused (tests/test_summary.py)
        got = summarise(report, by=by)
        rules = tuple(report.rules)
        scaled = {r.id for r in rules if r.scale is not None}
        total = _RegionAcc(rules)
        regions: dict[tuple[str, ...], _RegionAcc] = {}
        levels: tuple[Level, ...] = got.levels
        for check in report.checks:
            recs = check.table.records.sort("_rec").rows(named=True)
            for c, rec in zip(communities(check), recs, strict=True):
                fig = _community_figures(c, scaled)
                total.absorb(fig)
                if got.by is None:
                    continue
                key = tuple(" ".join(str(rec[lv.value] or "").split()) for lv in levels)
                regions.setdefault(key, _RegionAcc(rules)).absorb(fig)
        assert got.total == total.freeze((), rules, got.cost)
        assert got.regions == tuple(acc.freeze(k, rules, got.cost) for k, acc in regions.items())


def test_a_worker_outcome_brings_back_the_same_records_and_findings(tmp_path: Path) -> None:
    rs = api.load_ruleset()
    for path in (SAMPLE, roster_workbook(tmp_path / "roster.xlsx")):
        result = api.check(path, ruleset=rs)
        data = encode_outcome(result)
        back = decode_outcome(data, rs, rs.rules)

        # A roster's per-worker detail ("pay_annual@workers") is an input of the engine
        # in the worker; it stays there, and the findings show what they took from it.
        def shared(m: Mapping[str, object]) -> dict[str, object]:
            return {k: v for k, v in m.items() if not k.endswith("@workers")}

        assert [
            (r.record.row, dict(r.record.values), dict(r.record.cells)) for r in back.results
        ] == [
            (r.record.row, shared(r.record.values), shared(r.record.cells)) for r in result.results
        ]
        assert [rr.findings for rr in back.results] == [rr.findings for rr in result.results]
        assert back.table.findings().equals(result.table.findings())


def _finding_columns(report: Report, lang: str, multi: bool) -> list[list[object]]:
    """The findings sheet's columns, from the findings as tests read them."""
    from compliance import labels

    words = {o: labels.outcome(o, lang) for o in Outcome}
    found = [
        (check, rec, c)
        for check in report.checks
        for rec, c in zip(
            check.table.records.sort("_rec").iter_rows(named=True),
            communities(check),
            strict=True,
        )
    ]
    columns: list[list[object]] = []
    if multi:
        columns.append([c.source.rsplit("/", 1)[-1] for _, _, c in found])
    columns.append([c.row for _, _, c in found])
    columns += [[rec[k] for _, rec, _ in found] for k in _IDENTITY]
    columns.append([words[c.worst] for _, _, c in found])
    for i in range(len([r for r in report.rules if r.level == "community"])):
        columns.append([words[c.findings[i].outcome] for _, _, c in found])
        columns.append([c.findings[i].shortfall for _, _, c in found])
    return columns


def test_the_xlsx_findings_sheet_columns_are_the_findings(
    tmp_path: Path,
    make_xlsx,  # type: ignore[no-untyped-def]
) -> None:
    from compliance.render.xlsx.tables import _finding_chunks

    for report in _reports(tmp_path, make_xlsx):
        multi = len(report.checks) > 1
        rules = len([r for r in report.rules if r.level == "community"])
        for lang in ("zh", "en"):
            # The chunks, column by column, joined back into whole columns.
            chunks = list(_finding_chunks(report, lang, multi, rules))
            got = [list(chain.from_iterable(c[i] for c in chunks)) for i in range(len(chunks[0]))]
            assert got == _finding_columns(report, lang, multi)


_TRICKY = st.text(alphabet=st.sampled_from("=+-@\t\r\n 0123456789aZ社＝'\""), max_size=6)


@given(st.lists(st.one_of(st.none(), _TRICKY), max_size=20))
def test_text_columns_are_made_inert_as_each_value_would_be(values: list[str | None]) -> None:
    import polars as pl

    series = pl.Series("x", values, dtype=pl.String)
    want = [None if v is None else str(inert(v)) for v in values]
    assert inert_column(series).to_list() == want
    codes = [None if v is None else str(inert(code_cell(v))) for v in values]
    assert code_column(series).to_list() == codes
