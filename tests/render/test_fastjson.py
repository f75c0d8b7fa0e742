"""The fast JSON writer gives exactly the text json.dumps gives for the same dicts."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from compliance import api
from compliance.model import Finding, Outcome, Record, RecordResult
from compliance.render.fastjson import RecordWriter, finding_text, strings_text, value_text
from compliance.render.json import finding_dict, record_dict
from tests.conftest import SAMPLE

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
)


def dumps(v: object) -> str:
    return json.dumps(v, ensure_ascii=False)


@given(values)
def test_value_text_is_json_dumps(v: object) -> None:
    assert value_text(v) == dumps(v)


@given(st.lists(st.text(), max_size=4))
def test_strings_text_is_json_dumps(items: list[str]) -> None:
    assert strings_text(tuple(items)) == dumps(items)


@given(
    st.sampled_from(list(Outcome)),
    st.lists(values, min_size=4, max_size=4),
    st.text(),
    st.text(),
    st.lists(st.text(), max_size=3),
)
def test_finding_text_is_json_dumps(
    outcome: Outcome, figures: list[object], derivation: str, reason: str, cells: list[str]
) -> None:
    f = Finding('r"ule', outcome, *figures, derivation, reason, tuple(cells), ("n",), ())  # type: ignore[arg-type]
    assert finding_text(f) == dumps(finding_dict(f))


def test_every_record_of_the_sample_is_written_as_json_dumps_writes_it() -> None:
    report = api.check_files([SAMPLE])
    write = RecordWriter()
    for rr in report.results:
        assert write(rr) == dumps(record_dict(rr))


def test_odd_records() -> None:
    rec = Record('a"b\\c.xlsx', "表\n1", 7, {"id": 12, "name": None, "city": "杭州\x01"}, {})
    f = Finding("premises", Outcome.FAIL, 1e300, -0.0, 5, None, "", "", ("x",), (), ())
    rr = RecordResult(rec, (f, f))
    write = RecordWriter()
    assert write(rr) == dumps(record_dict(rr))
    assert write(rr) == dumps(record_dict(rr))  # the second time from the kept head


def test_kept_finding_text_is_not_reused_for_equal_but_different_figures() -> None:
    rec = Record("a.xlsx", "S", 3, {}, {})
    w = RecordWriter()
    for figures in ((1.0, 0.0), (1, -0.0), (True, 0), (1.0, 0.0)):
        f = Finding("premises", Outcome.FAIL, *figures, 0.0, None, "d", "", ("S!A3",))
        g = f._replace(cells=("S!B3",))
        rr = RecordResult(rec, (f, g, f))
        assert w(rr) == dumps(record_dict(rr))
