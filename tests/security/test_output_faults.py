"""Output faults and side files: one line and exit 2, no temporary file left, inputs intact."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE
from tests.security import hostile
from tests.security.test_hostile_set import assert_refused, run_cli


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize("option", ["--rules", "--mapping", "--waivers"])
def test_output_may_not_name_a_side_file(tmp_path: Path, option: str) -> None:
    side = {
        "--rules": (tmp_path / "rules.toml", (REPO / "rules" / "zhejiang-2007.toml").read_text()),
        "--mapping": (tmp_path / "mapping.toml", hostile.MAPPING_TOML),
        "--waivers": (tmp_path / "waivers.toml", hostile.WAIVERS_TOML),
    }[option]
    path, text = side
    path.write_text(text, encoding="utf-8")
    before = (_digest(path), path.stat().st_mtime)
    result = run_cli(
        ["check", str(SAMPLE), option, str(path), "--format", "json", "-o", str(path), "-q"],
        tmp_path,
    )
    assert_refused(result, "one of the files this run reads")
    assert (_digest(path), path.stat().st_mtime) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_output_through_a_symlink_onto_a_side_file(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(hostile.MAPPING_TOML, encoding="utf-8")
    link = tmp_path / "out.json"
    link.symlink_to(mapping)
    result = run_cli(
        ["check", str(SAMPLE), "--mapping", str(mapping), "-o", str(link), "-f", "json", "-q"],
        tmp_path,
    )
    assert_refused(result, "one of the files this run reads")
    assert mapping.read_text(encoding="utf-8") == hostile.MAPPING_TOML


@pytest.mark.parametrize(
    ("target", "pattern"),
    [
        ("/dev/full", "not a regular file"),
        ("{tmp}", "it is a folder"),
        ("/proc/compliance-report.json", "cannot write"),
        ("{tmp}/missing/out.json", "does not exist"),
    ],
)
def test_output_errors_are_one_line(tmp_path: Path, target: str, pattern: str) -> None:
    out = target.format(tmp=tmp_path)
    if out.startswith("/dev/") and not Path(out).exists():
        pytest.skip(f"no {out}")
    result = run_cli(["check", str(SAMPLE), "-f", "json", "-o", out, "-q"], tmp_path)
    assert_refused(result, pattern)
    if out.startswith("/dev/"):
        assert not Path(out).is_file()  # the device node was not replaced
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_full_file_system_is_one_line(tmp_path: Path) -> None:
    # RLIMIT_FSIZE stands in for a full disk: the write fails with EFBIG/ENOSPC.
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        from compliance.cli import main
        sys.argv = ["compliance", "check", {str(SAMPLE)!r}, "-f", "json", "-o",
                    {str(tmp_path / "out.json")!r}, "-q"]
        main()
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        check=False,
    )
    assert_refused(result, "cannot write")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def _default_signals() -> None:
    for name in ("SIGTERM", "SIGHUP", "SIGINT"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_during_the_write_leaves_no_temporary_file(tmp_path: Path, signame: str) -> None:
    # The signal arrives from outside while the report is half written.
    script = textwrap.dedent(
        f"""
        import os, signal, sys, time
        from compliance.cli.errors import handle_errors
        from compliance.output import atomic_writer

        @handle_errors
        def write():
            with atomic_writer(sys.argv[1] if len(sys.argv) > 1 else {str(tmp_path / "r.json")!r}) as fh:
                fh.write("x" * 100000)
                fh.flush()
                print("writing", flush=True)
                time.sleep(600)

        import typer
        try:
            write()
        except typer.Exit as e:
            sys.exit(e.exit_code)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        # As from a terminal: a run started under nohup ignores SIGHUP, and the writer
        # rightly leaves an ignored signal ignored.
        preexec_fn=_default_signals,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    assert next(p.name for p in tmp_path.iterdir()).endswith(".tmp")
    proc.send_signal(getattr(signal, signame))
    _, err = proc.communicate(timeout=120)
    signum = int(getattr(signal, signame))
    assert proc.returncode == (130 if signame == "SIGINT" else 128 + signum), err
    assert len(err.strip().splitlines()) == 1, err
    assert list(tmp_path.iterdir()) == []


def test_a_report_is_written_for_a_single_unreadable_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "out.json"
    result = run_cli(["check", str(bad), "-f", "json", "-o", str(out), "-q"], tmp_path)
    assert_refused(result, "damaged")
    import json

    report = json.loads(out.read_text("utf-8"))
    assert [u["path"] for u in report["unreadable"]] == [str(bad)]
