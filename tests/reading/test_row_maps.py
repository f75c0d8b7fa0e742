"""The reader's compact per-record maps behave like the dicts they stand for."""

from __future__ import annotations

import pickle

from compliance.reading.records import RowCells, RowValues


def test_row_values_is_a_read_only_mapping() -> None:
    v = RowValues({"a": 0, "b": 1}, (1.5, None))
    assert v == {"a": 1.5, "b": None}
    assert {"a": 1.5, "b": None}.__eq__(v) is NotImplemented  # so Python asks v
    assert v["a"] == 1.5 and v.get("b") is None and v.get("c", 7) == 7
    assert "a" in v and "c" not in v and list(v) == ["a", "b"] and len(v) == 2
    assert dict(v) == {"a": 1.5, "b": None}
    assert pickle.loads(pickle.dumps(v)) == v
    assert repr(v) == "{'a': 1.5, 'b': None}"


def test_row_cells_names_each_cell() -> None:
    c = RowCells({"a": "S!B"}, 12)
    assert c == {"a": "S!B12"} and c.get("b", "") == "" and pickle.loads(pickle.dumps(c)) == c
