"""`compliance check` over folders and patterns: one report, --jobs, --fail-on, exit codes."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.batch import Progress
from compliance.cli import app
from compliance.cli.batch import progress_display, progress_enabled
from tests.conftest import SAMPLE, WorkbookFactory, community

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def folder_with_a_corrupt_file(tmp_path: Path) -> Path:
    folder = tmp_path / "samples"
    folder.mkdir()
    shutil.copyfile(SAMPLE, folder / "jinhua-2007.xlsx")
    data = SAMPLE.read_bytes()
    (folder / "corrupt.xlsx").write_bytes(data[: len(data) // 2])
    return folder


def test_folder_with_a_good_and_a_corrupt_file_reports_both_and_exits_2(tmp_path: Path) -> None:
    folder = folder_with_a_corrupt_file(tmp_path)
    code, out, err = run("check", str(folder), "--jobs", "2", "--format", "json", "--lang", "en")
    assert code == 2, err
    doc = json.loads(out)
    assert [Path(i["path"]).name for i in doc["inputs"]] == ["jinhua-2007.xlsx"]
    assert [Path(u["path"]).name for u in doc["unreadable"]] == ["corrupt.xlsx"]
    assert doc["unreadable"][0]["message"]
    assert doc["exit_code"] == 2
    assert doc["summary"]["records"] == 200
    assert doc["summary"]["unreadable"] == 1
    assert {Path(r["source"]).name for r in doc["records"]} == {"jinhua-2007.xlsx"}
    assert err.rstrip().endswith("; 1 input could not be read (exit 2)")


def test_the_report_is_the_same_for_one_job_and_two(tmp_path: Path) -> None:
    folder = folder_with_a_corrupt_file(tmp_path)
    shutil.copyfile(SAMPLE, folder / "again.xlsx")
    docs = []
    for jobs in ("1", "2"):
        code, out, _ = run("check", str(folder), "-j", jobs, "-f", "json", "-q")
        assert code == 2
        doc = json.loads(out)
        doc.pop("started_at")
        docs.append(doc)
    assert docs[0] == docs[1]
    assert [Path(i["path"]).name for i in docs[0]["inputs"]] == ["again.xlsx", "jinhua-2007.xlsx"]


def test_one_missing_file_is_still_a_one_line_error(tmp_path: Path) -> None:
    code, out, err = run("check", str(tmp_path / "nope.xlsx"))
    assert code == 2
    assert out == ""
    assert err.startswith("compliance: error:") and len(err.strip().splitlines()) == 1


def test_a_pattern_that_matches_nothing_is_an_unreadable_entry(
    make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    path = make_xlsx([community("甲社区")])
    code, out, _ = run("check", str(path), str(tmp_path / "*.xls"), "-f", "json", "-q")
    assert code == 2
    doc = json.loads(out)
    assert doc["unreadable"][0]["message"].endswith(
        "the pattern matches no spreadsheet or CSV file"
    )


def test_fail_on(make_xlsx: WorkbookFactory) -> None:
    failing = make_xlsx([community("甲社区", area=300)], name="f.xlsx")
    unknown = make_xlsx([community("乙社区", area=None)], name="u.xlsx")
    assert run("check", str(failing), "-q")[0] == 1
    assert run("check", str(failing), "-q", "--fail-on", "never")[0] == 0
    assert run("check", str(unknown), "-q")[0] == 0
    assert run("check", str(unknown), "-q", "--fail-on", "unknown")[0] == 1
    code, _, err = run("check", str(unknown), "--fail-on", "sometimes")
    assert code == 2
    assert "sometimes" in err


def test_jobs_must_be_at_least_one(make_xlsx: WorkbookFactory) -> None:
    path = make_xlsx([community("甲社区")])
    code, _, err = run("check", str(path), "--jobs", "0")
    assert code == 2
    assert "--jobs" in err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_display_only_on_a_terminal_and_not_when_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert progress_enabled(quiet=False) is False
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert progress_enabled(quiet=False) is True
    assert progress_enabled(quiet=True) is False


def test_progress_display_counts_files_and_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with progress_display(2, enabled=True, lang="en") as step:
        assert step is not None
        step(Progress(1, 2, "a.xlsx", 1500))
        step(Progress(2, 2, "b.xlsx", 0))
    assert "2/2 files" in screen.getvalue()
    assert "1,500 rows" in screen.getvalue()
    with progress_display(2, enabled=False, lang="en") as step:
        assert step is None


# --- isolated reading (issue 9) ------------------------------------------------


def cli(*args: str, ulimit_kb: int | None = None, cwd: Path | None = None) -> tuple[int, str, str]:
    """The command in a process of its own, so that the stderr of its workers
    (which CliRunner cannot see) is part of what is checked."""
    command = [sys.executable, "-m", "compliance", *args]
    if ulimit_kb is not None:
        command = ["bash", "-c", f'ulimit -v {ulimit_kb} && exec "$@"', "bash", *command]
    env = {**os.environ, "COLUMNS": "200", "COMPLIANCE_LANG": "en"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, timeout=600)
    return done.returncode, done.stdout, done.stderr


def test_hostile_files_are_unreadable_entries_and_the_good_file_is_reported(
    tmp_path: Path,
) -> None:
    from tests.isolation.hostile import repeated_ods, sst_after_comment

    folder = tmp_path / "returns"
    folder.mkdir()
    shutil.copyfile(SAMPLE, folder / "a-good.xlsx")
    sst_after_comment(folder / "b-strings.xlsx")
    repeated_ods(folder / "c-repeated.ods")
    report = tmp_path / "r.json"
    code, out, err = cli("check", str(folder), "--jobs", "1", "--format", "json", "-o", str(report))
    assert code == 2
    assert out == ""
    # Only the command's own summary line; no panic text, no backtrace from a worker.
    assert err.splitlines() == [
        "200 communities: 50 pass every standard, 146 fail at least one, 4 have unknowns "
        "but no failure; 2 inputs could not be read (exit 2)"
    ]
    doc = json.loads(report.read_text("utf-8"))
    assert [Path(i["path"]).name for i in doc["inputs"]] == ["a-good.xlsx"]
    assert len(doc["records"]) == 200
    unreadable = {Path(u["path"]).name: u["message"] for u in doc["unreadable"]}
    assert sorted(unreadable) == ["b-strings.xlsx", "c-repeated.ods"]
    for name, message in unreadable.items():
        assert message.startswith(f"{folder / name}: ")
        assert "\n" not in message


def test_the_caps_are_options_and_a_file_past_them_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from compliance import batch
    from compliance.isolation import pool
    from tests.isolation.faults import HangClock

    folder = tmp_path / "returns"
    folder.mkdir()
    shutil.copyfile(SAMPLE, folder / "a.xlsx")
    shutil.copyfile(SAMPLE, folder / "b.xlsx")
    code, _, err = run("check", str(folder), "--max-memory", "20M", "-f", "json", "-q")
    assert code == 2
    # Files that hang their reader, on a fake clock (tests/isolation/faults.HangClock).
    for name in ("a.xlsx", "b.xlsx"):
        (folder / name).rename(folder / f"slow-{name}")
    with monkeypatch.context() as m:
        m.setattr(batch, "WORK_TASK", "tests.isolation.faults:check_or_fail")
        m.setattr(pool, "clock", HangClock(folder))
        code, out, _ = run("check", str(folder), "--file-timeout", "90", "-f", "json", "-q")
    assert code == 2
    doc = json.loads(out)
    assert [u["message"] for u in doc["unreadable"]] == [
        f"{folder / n}: the reader process took longer than 90 s"
        for n in ("slow-a.xlsx", "slow-b.xlsx")
    ]
    code, out, err = run("check", str(SAMPLE), "--max-memory", "20M", "-q")
    assert (code, out) == (2, "")
    assert (
        err == f"compliance: error: {SAMPLE}: the reader process ran out of memory (limit 20 MiB)\n"
    )


@pytest.mark.parametrize("command", ["check", "summary", "progress"])
def test_the_caps_are_in_the_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "--max-memory" in out and "--file-timeout" in out


def test_a_bad_memory_size_is_a_usage_error() -> None:
    code, out, err = run("check", str(SAMPLE), "--max-memory", "lots")
    assert (code, out) == (2, "")
    assert err == "compliance: error: --max-memory 'lots' is not a size; use e.g. 4G, 512M\n"


def test_an_xlsb_is_checked_under_an_address_space_limit(tmp_path: Path) -> None:
    # Batch schedulers and CI run under ulimit -v; the worker must lower it, never raise it.
    from tests.conftest import HEADERS
    from tests.isolation.xlsb import write_xlsb

    path = write_xlsb(
        tmp_path / "return.xlsb", [HEADERS, community("甲社区"), community("乙社区", area=300)]
    )
    code, out, err = cli("check", str(path), "-f", "json", "-q", ulimit_kb=4_000_000)
    assert (code, err) == (1, "")
    doc = json.loads(out)
    assert [r["name"] for r in doc["records"]] == ["甲社区", "乙社区"]
    assert doc["inputs"][0]["format"] == "xlsb"
