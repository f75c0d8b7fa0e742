"""The whole hostile set through the command line, under a 3 GB address-space limit.

Every case must end with exit 2 and one stderr line under 500 characters that
names the problem, within a 300 s safety net, leaving no temporary file and its inputs
byte-for-byte and mtime unchanged. The limit is applied in the child only and
only ever lowers what the test process already has.
"""

from __future__ import annotations

import hashlib
import os
import re
import resource
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest

from tests.conftest import REPO, SAMPLE
from tests.security import hostile

#: Every test here runs on the native tokeniser and on the pure reader.
pytestmark = pytest.mark.usefixtures("xlsx_reader")

ADDRESS_SPACE = 3 * 1024**3
#: A generous safety net, not a speed claim: a case that loops or grinds fails, a loaded
#: machine does not (the 9,000-sheet case took 93-108 s at a load average of 10-14 on two
#: cores with the pure reader; its speed is bench/'s to show).
TIMEOUT = 300


def _cap() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = min(x for x in (ADDRESS_SPACE, soft, hard) if x != resource.RLIM_INFINITY)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _state(paths: list[Path]) -> list[tuple[str, float] | None]:
    out: list[tuple[str, float] | None] = []
    for p in paths:
        if p.is_file():
            out.append((hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime))
        else:
            out.append(None)
    return out


def run_cli(
    args: list[str], cwd: Path, stdout: IO[str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command line in a child; its stdout is captured unless ``stdout`` is given."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "120"}
    env.pop("COMPLIANCE_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "compliance", *args],
        cwd=cwd,
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=_cap,
        env=env,
        check=False,
    )


def assert_refused(result: subprocess.CompletedProcess[str], pattern: str) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr[-2000:]
    assert len(lines) == 1, lines[:5]
    line = lines[0]
    assert len(line) < 500 and line.startswith("compliance: error: "), line[:600]
    assert line.isprintable(), line
    assert re.search(pattern, line), line
    return line


def _no_temporaries(folder: Path) -> None:
    assert not list(folder.rglob("*.tmp"))


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[hostile.Case]:
    return list(hostile.cases(tmp_path_factory.mktemp("hostile")))


@pytest.mark.parametrize("name", [b[0] for b in hostile._builders()])
def test_hostile_case_under_address_space_limit(cases: list[hostile.Case], name: str) -> None:
    case = next(c for c in cases if c.name == name)
    inputs = list(case.inputs) or [SAMPLE]
    side = [Path(a) for a in case.args if Path(a).is_file()]
    before = _state([*inputs, *side])
    result = run_cli(["check", *map(str, inputs), *case.args, "-q"], case.path.parent)
    assert_refused(result, case.pattern)
    assert _state([*inputs, *side]) == before
    _no_temporaries(case.path.parent)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "p.xlsx"
    os.mkfifo(fifo)
    assert_refused(run_cli(["check", str(fifo), "-q"], tmp_path), "not a regular file")


@pytest.mark.parametrize("device", ["/dev/urandom", "/dev/zero"])
def test_a_device_as_input_is_refused(tmp_path: Path, device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    assert_refused(run_cli(["check", device, "-q"], tmp_path), "not a regular file")


@pytest.mark.parametrize("option", ["--mapping", "--waivers", "--rules"])
def test_a_device_as_side_file_is_refused(tmp_path: Path, option: str) -> None:
    result = run_cli(["check", str(SAMPLE), option, "/dev/zero", "-q"], tmp_path)
    assert_refused(result, "not a regular file|device")
