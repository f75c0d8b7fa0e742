"""The JSON report's records go to a UTF-8 file or pipe as the bytes polars built:
the same bytes as when written as text."""

from __future__ import annotations

import io

import pytest

from compliance import api
from compliance.render import tablejson
from compliance.render.encoding import utf8_bytes
from tests.conftest import WorkbookFactory, community


def _report(make_xlsx: WorkbookFactory) -> api.Report:
    rows = [
        community(f"社区{i}“引号”\\", households=1500 + 300 * i, workers=i % 7) for i in range(7)
    ]
    return api.check_files([make_xlsx(rows)])


def test_the_records_written_as_bytes_are_those_written_as_text(
    make_xlsx: WorkbookFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tablejson, "CHUNK", 2)  # several chunks
    report = _report(make_xlsx)
    text = io.StringIO()
    api.render_report(report, "json", text)
    raw = io.BytesIO()
    wrapper = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    assert utf8_bytes(wrapper) is raw
    api.render_report(report, "json", wrapper)
    wrapper.flush()
    assert raw.getvalue().decode("utf-8") == text.getvalue()
    assert "社区6“引号”\\\\" in text.getvalue()


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_other_encodings_are_written_as_text(make_xlsx: WorkbookFactory, encoding: str) -> None:
    raw = io.BytesIO()
    wrapper = io.TextIOWrapper(raw, encoding=encoding, newline="")
    assert utf8_bytes(wrapper) is None
    report = _report(make_xlsx)
    text = io.StringIO()
    api.render_report(report, "json", text)
    api.render_report(report, "json", wrapper)
    wrapper.flush()
    assert raw.getvalue().decode(encoding) == text.getvalue()


def test_a_text_stream_without_bytes_under_it_is_written_as_text() -> None:
    assert utf8_bytes(io.StringIO()) is None
