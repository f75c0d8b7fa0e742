"""Atomic output files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from compliance.errors import UsageError
from compliance.output import atomic_writer, guard_inputs


def test_written_file_has_the_usual_mode(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    with atomic_writer(target) as fh:
        fh.write("x")  # type: ignore[arg-type]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert target.read_text() == "x"


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    target.write_text("old")

    def interrupted() -> None:
        with atomic_writer(target) as fh:
            fh.write("half")  # type: ignore[arg-type]
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        interrupted()
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.txt"]


def test_missing_folder_and_input_guard(tmp_path: Path) -> None:
    with (
        pytest.raises(UsageError, match="does not exist"),
        atomic_writer(tmp_path / "no" / "r.txt"),
    ):
        pass
    data = tmp_path / "in.xlsx"
    data.write_bytes(b"x")
    with pytest.raises(UsageError, match="refusing to overwrite"):
        guard_inputs(tmp_path / "." / "in.xlsx", [data])
