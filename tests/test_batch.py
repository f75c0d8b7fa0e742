"""Batch runs: expanding folders and patterns, isolation of broken files, order under --jobs."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from compliance import api
from compliance.batch import Progress, run_checks
from compliance.exitcodes import ExitCode, FailOn, exit_code
from compliance.inputs import Input, expand_inputs
from compliance.render import RenderOptions
from compliance.render.json import render
from compliance.results import CheckResult, InputFailure, Report
from tests.conftest import WorkbookFactory, community
from tests.findings import communities


def corrupt_xlsx(path: Path) -> Path:
    """A zip archive cut short, as a failed download or copy leaves it."""
    shutil.copyfile(Path(__file__).parent.parent / "samples" / "jinhua-2007.xlsx", path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


@pytest.fixture
def returns(make_xlsx: WorkbookFactory, tmp_path: Path) -> Path:
    """A folder of district returns: two good files (one failing), a corrupt one,
    a sub-folder, and things that are not data."""
    (tmp_path / "returns" / "sub").mkdir(parents=True)
    make_xlsx([community("甲社区"), community("乙社区", area=300)], name="returns/b-jindong.xlsx")
    make_xlsx([community("丙社区")], name="returns/a-wucheng.xlsx")
    make_xlsx([community("丁社区", workers=4)], name="returns/sub/c-lanxi.xlsx")
    corrupt_xlsx(tmp_path / "returns" / "broken.xlsx")
    (tmp_path / "returns" / "~$a-wucheng.xlsx").write_bytes(b"lock")
    (tmp_path / "returns" / ".hidden.csv").write_text("x")
    (tmp_path / "returns" / "readme.txt").write_text("not data")
    return tmp_path / "returns"


def names(inputs: list[Input]) -> list[str]:
    return [i.path.name for i in inputs]


def test_a_folder_gives_its_spreadsheets_sorted_without_lock_or_hidden_files(
    returns: Path,
) -> None:
    assert names(expand_inputs([returns])) == [
        "a-wucheng.xlsx",
        "b-jindong.xlsx",
        "broken.xlsx",
        "c-lanxi.xlsx",
    ]


def test_patterns_and_files_keep_the_argument_order_and_drop_repeats(returns: Path) -> None:
    got = expand_inputs([returns / "b-jindong.xlsx", str(returns / "*.xlsx"), returns])
    assert names(got) == ["b-jindong.xlsx", "a-wucheng.xlsx", "broken.xlsx", "c-lanxi.xlsx"]


def test_recursive_pattern(returns: Path) -> None:
    assert names(expand_inputs([str(returns / "**" / "c-*.xlsx")])) == ["c-lanxi.xlsx"]


def test_arguments_that_name_nothing_are_kept_as_missing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    got = expand_inputs([tmp_path / "nope.xlsx", tmp_path / "empty", str(tmp_path / "*.xls")])
    assert [i.missing.text("en") if i.missing else None for i in got] == [
        "no such file or folder",
        "no .xlsx, .xlsm, .xls, .xlsb, .ods or .csv files in folder",
        "the pattern matches no spreadsheet or CSV file",
    ]


def test_a_broken_file_is_an_entry_and_the_others_are_still_checked(returns: Path) -> None:
    report = api.check_files([returns])
    assert [Path(c.source.path).name for c in report.checks] == [
        "a-wucheng.xlsx",
        "b-jindong.xlsx",
        "c-lanxi.xlsx",
    ]
    [failure] = report.failures
    assert Path(failure.path).name == "broken.xlsx"
    assert "broken.xlsx" in failure.message
    assert failure.sha256 is not None and len(failure.sha256) == 64
    # Each record carries its source file.
    assert {Path(c.source).name for c in communities(report)} == {
        "a-wucheng.xlsx",
        "b-jindong.xlsx",
        "c-lanxi.xlsx",
    }
    assert exit_code(report) is ExitCode.INPUT


def document(report: Report) -> dict[str, object]:
    out = io.StringIO()
    render(report, RenderOptions(exit_code=int(exit_code(report))), out)
    doc = json.loads(out.getvalue())
    doc.pop("started_at")
    return doc


def test_results_are_identical_and_in_order_whatever_the_number_of_jobs(returns: Path) -> None:
    one = api.check_files([returns], jobs=1)
    two = api.check_files([returns], jobs=2)
    assert document(one) == document(two)
    assert [c.name for c in communities(two)] == ["丙社区", "甲社区", "乙社区", "丁社区"]


def test_progress_is_told_about_every_file(returns: Path) -> None:
    seen: list[Progress] = []
    api.check_files([returns, returns / "nope.xlsx"], progress=seen.append)
    assert [p.done for p in seen] == [1, 2, 3, 4, 5]
    assert {p.total for p in seen} == {5}
    assert sorted(p.rows for p in seen) == [0, 0, 1, 1, 2]


def test_run_checks_returns_one_outcome_per_input_in_order(returns: Path) -> None:
    rs = api.load_ruleset()
    inputs = [*expand_inputs([returns]), Input(returns / "gone.xlsx", "no such file or folder")]
    outcomes = run_checks(inputs, rs, rs.rules, jobs=2)
    assert [type(o) for o in outcomes] == [
        CheckResult,
        CheckResult,
        InputFailure,
        CheckResult,
        InputFailure,
    ]
    # Results that came back from a worker hold this process's rule set.
    assert all(o.ruleset is rs for o in outcomes if isinstance(o, CheckResult))


@pytest.mark.parametrize(
    ("fail_on", "files", "expected"),
    [
        # An unreadable input outranks failures, whatever --fail-on says.
        (FailOn.FAIL, ["b-jindong.xlsx", "broken.xlsx"], ExitCode.INPUT),
        (FailOn.NEVER, ["b-jindong.xlsx", "broken.xlsx"], ExitCode.INPUT),
        (FailOn.FAIL, ["b-jindong.xlsx", "a-wucheng.xlsx"], ExitCode.FAIL),
        (FailOn.NEVER, ["b-jindong.xlsx", "a-wucheng.xlsx"], ExitCode.OK),
        (FailOn.FAIL, ["a-wucheng.xlsx"], ExitCode.OK),
    ],
)
def test_exit_code_precedence(
    returns: Path, fail_on: FailOn, files: list[str], expected: ExitCode
) -> None:
    report = api.check_files([returns / f for f in files])
    assert exit_code(report, fail_on) is expected


def test_fail_on_unknown_turns_unknowns_red(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区", area=None)], name="u.xlsx")
    report = api.check_files([path])
    assert exit_code(report) is ExitCode.OK
    assert exit_code(report, FailOn.UNKNOWN) is ExitCode.FAIL


# --- isolation: the worker that reads a file may die; the batch goes on ----------


def faulty_folder(make_xlsx: WorkbookFactory, tmp_path: Path, faults: tuple[str, ...]) -> Path:
    """Good files around files whose names tell tests.isolation.faults how to misbehave."""
    folder = tmp_path / "faulty"
    folder.mkdir()
    make_xlsx([community("甲社区")], name="faulty/good-a.xlsx")
    for name in faults:
        make_xlsx([community("乙社区")], name=f"faulty/{name}")
    make_xlsx([community("丙社区", area=300)], name="faulty/z-good.xlsx")
    return folder


def check_faulty(folder: Path, jobs: int) -> dict[str, object]:
    """Check every file of ``folder`` in workers that misbehave as the names say;
    each file's outcome by its name."""
    from compliance.batch import isolated
    from compliance.isolation import Limits

    paths = [i.path for i in expand_inputs([folder])]
    rs = api.load_ruleset()
    outcomes: dict[int, object] = {}
    isolated(
        paths,
        rs,
        rs.rules,
        {},
        jobs=jobs,
        # A generous timeout: no file that ends may time out on a loaded machine.
        limits=Limits(max_memory=600 * 1024**2, file_timeout=60),
        finish=outcomes.__setitem__,
        task="tests.isolation.faults:check_or_fail",
    )
    by_name = {paths[k].name: out for k, out in outcomes.items()}
    good = {n: o for n, o in by_name.items() if isinstance(o, CheckResult)}
    assert sorted(good) == ["good-a.xlsx", "z-good.xlsx"]
    assert all(o.ruleset is rs for o in good.values())
    assert [len(communities(o)) for o in good.values()] == [1, 1]
    return by_name


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_kind_of_worker_death_is_one_entry_and_the_batch_goes_on(
    make_xlsx: WorkbookFactory, tmp_path: Path, jobs: int
) -> None:
    folder = faulty_folder(make_xlsx, tmp_path, ("abort.xlsx", "hog.xlsx", "segfault.xlsx"))
    by_name = check_faulty(folder, jobs)
    messages = {n: o.message for n, o in by_name.items() if isinstance(o, InputFailure)}
    assert messages == {
        "abort.xlsx": f"{folder}/abort.xlsx: the reader process aborted (signal 6)",
        "hog.xlsx": f"{folder}/hog.xlsx: the reader process ran out of memory (limit 600 MiB)",
        "segfault.xlsx": f"{folder}/segfault.xlsx: the reader process crashed (signal 11, SIGSEGV)",
    }
    assert all(by_name[n].sha256 for n in messages)  # type: ignore[attr-defined]


def test_a_file_that_hangs_is_one_entry_and_the_batch_goes_on(
    make_xlsx: WorkbookFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a fake clock that jumps once the hanging file's task runs
    # (tests/isolation/faults.HangClock): one worker, whose first file it is (the
    # names sort so), so that no other file is running when the clock jumps.
    from compliance.isolation import pool
    from tests.isolation.faults import HangClock

    folder = faulty_folder(make_xlsx, tmp_path, ("a-slow.xlsx",))
    monkeypatch.setattr(pool, "clock", HangClock(folder))
    by_name = check_faulty(folder, jobs=1)
    slow = by_name["a-slow.xlsx"]
    assert isinstance(slow, InputFailure)
    assert slow.message == f"{folder}/a-slow.xlsx: the reader process took longer than 60 s"
    assert slow.sha256


def test_a_native_abort_in_calamine_is_an_entry(tmp_path: Path) -> None:
    # A cell at XFD1048576 makes calamine ask for 17 billion cells and abort.
    # The reader's own guards refuse such a file first; this test goes around
    # them, to show that the isolation holds if a guard ever lets one through.
    from compliance.isolation import Limits, WorkerPool
    from tests.reading.builders import raw_xlsx, sheet

    body = '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row>'
    far = raw_xlsx(tmp_path / "far.xlsx", sheet(body))
    with WorkerPool(1, Limits()) as pool:
        [(_, reply)] = pool.imap("tests.isolation.faults:calamine_cells", [(str(far),)])
    assert reply.failure is not None
    assert reply.failure.text("en") == "ran out of memory (limit 4 GiB)"


def test_one_file_on_its_own_raises_the_worker_failure_as_an_input_error(
    make_xlsx: WorkbookFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from compliance import batch
    from compliance.batch import check_isolated
    from compliance.errors import InputError
    from compliance.isolation import Limits, pool
    from tests.isolation.faults import HangClock

    rs = api.load_ruleset()
    good = make_xlsx([community("甲社区")])
    assert len(communities(check_isolated(good, rs, rs.rules, {}))) == 1
    # A file that hangs its reader, on a fake clock (tests/isolation/faults.HangClock).
    slow = make_xlsx([community("甲社区")], name="slow.xlsx")
    monkeypatch.setattr(batch, "STRICT_TASK", "tests.isolation.faults:check_or_fail")
    monkeypatch.setattr(pool, "clock", HangClock(slow.parent))
    with pytest.raises(InputError, match=r"slow\.xlsx: the reader process took longer than 60 s$"):
        check_isolated(slow, rs, rs.rules, {}, Limits(file_timeout=60))
    monkeypatch.undo()
    # The reader's own errors keep their type and text.
    with pytest.raises(InputError, match="file not found"):
        check_isolated(good.with_name("gone.xlsx"), rs, rs.rules, {})
