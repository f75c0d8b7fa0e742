"""`compliance check` over folders and patterns: one report, --jobs, --fail-on, exit codes."""

from __future__ import annotations

import io
import json
import shutil
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
