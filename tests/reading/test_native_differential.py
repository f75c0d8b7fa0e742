"""The native tokeniser against the pure reader: the same cells, or the same error.

Two levels. Block by block, thousands of mutants of every kind of sheet XML
(quoted ``>``, prefixes, rich text, rows and cells without ``r``, entities,
broken tags, non-ASCII inside and outside tags, invalid UTF-8) go through
:class:`~compliance.reading.xlsx_native.Scanner` and through
:func:`~compliance.reading.xlsx_tags.general_block` from the same state; the
cells kept, the state carried on and any error must be equal. A block the
native tokeniser hands back (non-ASCII inside a tag, invalid UTF-8) must leave
the state as it was. File by file, every .xlsx of the fuzz corpus, the fuzz
regressions, the test data and the hostile set is read whole by both readers,
with and without a column and row filter.
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import astuple
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from compliance.errors import ComplianceError, InputError
from compliance.reading import guards, xlsx_cells, xlsx_native, xlsx_xml
from compliance.reading.records import read_frame
from compliance.reading.xlsx_meanings import date_mask, typed_block
from compliance.reading.xlsx_tags import BadReference, CellState, TooLarge, general_block
from tests.conftest import REPO
from tests.reading.paths import choose
from tests.reading.test_xlsx_reader import MIXED
from tests.security import hostile

#: Pieces a mutant is made of: the kinds of XML the readers must agree on.
TOKENS = [
    "<",
    ">",
    "/",
    '"',
    "'",
    "=",
    " ",
    "\n",
    "\x1c",
    ":",
    "&amp;",
    "&#31038;",
    "&bogus;",
    "&",
    '<c r="B2">',
    "<c>",
    "<c/>",
    "</c>",
    '<c r="A0">',
    '<c r=" C3 ">',
    '<c r="a1">',
    '<c r="AAAA1">',
    '<c r="XFD1048576">',
    '<c r="A12345678">',
    '<row r="5">',
    "<row>",
    "</row>",
    "<row/>",
    '<row r="B2">',
    '<row r="0">',
    "<v>",
    "</v>",
    "<v/>",
    "<f>",
    "<f/>",
    "</f>",
    "<is>",
    "<t>",
    "</t>",
    "<rPh>",
    "</rPh>",
    "<x:c ",
    "</x:c>",
    "<a:b:c>",
    '<c t="inlineStr" s="3">',
    "<c r='D4' t='b'>",
    "名",
    "\u3000",
    "é",
    '<c\u3000r="A1">',
    "<cé>",
    "<!--",
    "<?pi?>",
    '<c r="E5" s="3">',
    '<c t="n" s="14">',
    '<c t="str">',
    "<v>1e5</v>",
    "<v> 7 </v>",
    "<v>-nan</v>",
    "<v>inf</v>",
    "<v>.5</v>",
    "<v>1_000</v>",
]


def _mutants(n: int, seed: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    # As the blocks come: comments and instructions gone, CDATA escaped.
    base = xlsx_xml._neutralise(MIXED.encode())[0].decode()
    for _ in range(n):
        text = base
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.6:  # at a tag's start: more mutants stay well formed
                at = text.rfind("<", 0, at + 1) % (len(text) + 1)
            op = rng.random()
            if op < 0.6:
                text = text[:at] + rng.choice(TOKENS) + text[at:]
            elif op < 0.85:
                text = text[:at] + text[at + rng.randint(1, 12) :]
            else:
                end = min(len(text), at + rng.randint(1, 40))
                text = text[:at] + text[at:end] * 2 + text[end:]
        data = text.encode()
        if rng.random() < 0.03:
            data = data[: rng.randrange(len(data) + 1)] + b"\xff" + data[len(data) // 2 :]
        yield data


def _outcome(run: Callable[[], pl.DataFrame | None]) -> Any:
    try:
        return run()
    except TooLarge as exc:
        return ("TooLarge", exc.rows, exc.cols)
    except BadReference:
        return ("BadReference",)
    except InputError as exc:
        return ("InputError", exc.msg, str(exc))


def _pure(data: bytes, state: CellState, max_cells: int, keep: pl.Expr) -> Any:
    frame = _outcome(lambda: general_block(data, state, max_cells))
    return frame.filter(keep) if isinstance(frame, pl.DataFrame) else frame


@pytest.fixture
def lib() -> Any:
    found = xlsx_native.library()
    if found is None:
        choose(True, pytest.MonkeyPatch())  # skipped, or failed in CI
    return found


#: Date styles of the typed readings (as written in ``s="…"``).
DATES = ["3", "14"]


def _same(got: pl.DataFrame, want: pl.DataFrame) -> bool:
    # NaN equals NaN here: the sign of a NaN ("-nan") is not a meaning.
    nan = [pl.col(c).fill_nan(None) for c, t in got.schema.items() if t == pl.Float64]
    return got.with_columns(nan).equals(want.with_columns(nan))


@pytest.mark.parametrize("typed", [False, True])
@pytest.mark.parametrize(
    ("max_cells", "columns", "first_row", "stop_row"),
    [(10**9, None, 0, None), (40, None, 0, None), (10**9, [0, 2, 5], 1, 5)],
)
def test_blocks_give_the_same_cells_or_the_same_error(
    lib: Any,
    max_cells: int,
    columns: list[int] | None,
    first_row: int,
    stop_row: int | None,
    typed: bool,
) -> None:
    # Typed: the cells' meanings, decided natively and by typed_block from the same cells.
    keep = pl.col("row") >= first_row
    if stop_row is not None:
        keep &= pl.col("row") < stop_row
    if columns is not None:
        keep &= pl.col("col").is_in(columns)
    counts = {"cells": 0, "errors": 0, "handed back": 0}
    dates = date_mask(DATES) if typed else None
    with xlsx_native.Scanner(
        lib,
        max_cells=max_cells,
        columns=columns,
        first_row=first_row,
        stop_row=stop_row,
        dates=dates,
    ) as scanner:
        for i, data in enumerate(_mutants(1500, seed=max_cells + first_row)):
            start = CellState(row=i % 3, col=i % 5, max_row=i % 4, max_col=i % 2)
            mine, theirs = CellState(*astuple(start)), CellState(*astuple(start))
            got = _outcome(lambda: scanner.block(data, mine))  # noqa: B023
            if got is None:
                assert mine == start, data
                counts["handed back"] += 1
                continue
            want = _pure(data, theirs, max_cells, keep)
            if isinstance(want, pl.DataFrame):
                want = typed_block(want, DATES) if typed else want
                assert isinstance(got, pl.DataFrame), (data, got)
                assert _same(got, want), (data, got, want)
                assert mine == theirs, data
                counts["cells"] += 1
            else:
                assert got == want, data
                counts["errors"] += 1
    # The mutants reach every outcome, most of them natively.
    assert counts["cells"] > 200 and counts["errors"] > 200, counts
    assert counts["handed back"] < 300, counts


def _workbooks(tmp: Path, hostile_set: bool = True) -> Iterator[Path]:
    yield from sorted((REPO / "tests" / "fuzz" / "corpus" / "xlsx").iterdir())
    yield from sorted((REPO / "tests" / "fuzz" / "regressions").glob("*xlsx*"))
    yield from sorted((REPO / "tests" / "data").glob("*.xls[xm]"))
    if hostile_set:
        yield from sorted(c.path for c in hostile.cases(tmp) if c.target == "xlsx")


def _read(zf: zipfile.ZipFile, member: str, **filt: Any) -> Any:
    try:
        return _outcome(
            lambda: _whole(xlsx_cells.read_cells(zf, member, max_cells=2_000_000, **filt))
        )
    except guards.ZIP_ERRORS as exc:  # a damaged member: the same error both ways
        return (type(exc).__name__, str(exc))


def _whole(read: xlsx_cells.SheetCells) -> Any:
    cells = read.cells.with_columns(pl.col(pl.Float64).fill_nan(None))
    return (cells.rows(), read.rows, read.cols, read.complete)


def test_whole_files_give_the_same_cells_or_the_same_error(
    lib: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared = 0
    for path in _workbooks(tmp_path):
        try:
            zf = zipfile.ZipFile(path)
            # (the first 20: one hostile workbook has 9,000 sheets)
            members = [n for n in zf.namelist() if n.startswith("xl/worksheets/")][:20]
        except (zipfile.BadZipFile, OSError, ValueError):
            continue
        for member in members:
            if zf.getinfo(member).file_size > 16 << 20:
                continue  # a bomb: the hostile set's tests read it through the CLI
            for filt in (
                {},
                {"columns": [0, 1, 3], "first_row": 1, "stop_row": 3},
                {"dates": DATES},
                {"columns": [0, 2], "first_row": 1, "dates": DATES},
            ):
                monkeypatch.setenv("COMPLIANCE_NATIVE", "1")
                native = _read(zf, member, **filt)
                monkeypatch.setenv("COMPLIANCE_NATIVE", "0")
                monkeypatch.setattr(xlsx_cells, "_SMALL", 1 << 62)  # tag by tag
                pure = _read(zf, member, **filt)
                monkeypatch.undo()
                assert native == pure, (path.name, member, filt)
                compared += 1
    assert compared > 20


def _frame(path: Path) -> Any:
    try:
        read = read_frame(path)
    except ComplianceError as exc:
        return (type(exc).__name__, str(exc))
    frame = read.frame.with_columns(pl.col(pl.Float64).fill_nan(None))
    subtotals = None if read.subtotals is None else read.subtotals.rows()
    return frame.rows(), frame.schema, read.problems, subtotals


def test_whole_files_give_the_same_frames(
    lib: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The final frames (cells, meanings, shared strings, columns), natively and purely.
    compared = 0
    for path in [*_workbooks(tmp_path, hostile_set=False), *_made(tmp_path)]:
        if path.stat().st_size > 4 << 20:
            continue
        monkeypatch.setenv("COMPLIANCE_NATIVE", "1")
        native = _frame(path)
        monkeypatch.setenv("COMPLIANCE_NATIVE", "0")
        assert native == _frame(path), path.name
        monkeypatch.undo()
        compared += 1
    assert compared > 12


def _made(tmp: Path) -> Iterator[Path]:
    """Workbooks whose data column holds every value of the meanings table, in every type."""
    from tests.reading import builders as b
    from tests.reading.test_native_meanings import TYPES, VALUES

    for k, t in enumerate(TYPES):
        rows = "".join(
            f'<row r="{n + 3}"><c r="A{n + 3}" t="inlineStr"><is><t>社区{n}</t></is></c>'
            f'<c r="B{n + 3}"{f" t={chr(34)}{t}{chr(34)}" if t else ""} s="{n % 3 * 7}">'
            f"<v>{v}</v></c></row>"
            for n, v in enumerate(VALUES)
        )
        body = b.VALID_BODY + rows
        yield b.raw_xlsx(tmp / f"values-{k}.xlsx", b.sheet(body))
