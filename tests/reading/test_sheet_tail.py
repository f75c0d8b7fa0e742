"""Merged ranges found after </sheetData>, however the sheet's XML is cut into pieces."""

from __future__ import annotations

import pytest

from compliance.reading import sheet_tail

SHEET = (
    b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    b'<row r="2"><c r="B2"><v>1</v></c></row></sheetData>'
    b'<mergeCells count="3"><mergeCell ref="A1:T1"/><mergeCell  ref="B2:B40"/>'
    b'<mergeCell ref="AA10:XFD1048576"/></mergeCells><pageMargins left="0.7"/></worksheet>'
)
EXPECTED = [((0, 0), (0, 19)), ((1, 1), (39, 1)), ((9, 26), (1048575, 16383))]


def _pieces(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("size", range(1, len(SHEET) + 1))
def test_the_ranges_are_found_whatever_the_cuts(size: int) -> None:
    assert sheet_tail.merged_ranges(_pieces(SHEET, size)) == EXPECTED


def test_merge_tags_before_the_end_of_the_sheet_data_are_not_ranges() -> None:
    # Only what follows </sheetData> is read (a sheet has its merged ranges there).
    early = b'<sheetData><!-- <mergeCell ref="C3:D4"/> --></sheetData><mergeCell ref="A1:B1"/>'
    assert sheet_tail.merged_ranges([early]) == [((0, 0), (0, 1))]
    assert sheet_tail.merged_ranges([b'<sheetData><mergeCell ref="A1:B1"/>']) == []
    assert sheet_tail.merged_ranges([b"<sheetData/>"]) == []


def test_too_many_ranges_are_not_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_tail, "MAX_MERGES", 2)
    assert sheet_tail.merged_ranges([SHEET]) == []
    monkeypatch.setattr(sheet_tail, "MAX_MERGES", 3)
    assert sheet_tail.merged_ranges([SHEET]) == EXPECTED
