"""The worker pool: each way a worker can fail becomes one line, and the pool goes on."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from compliance.isolation import Limits, Reply, WorkerPool, spares
from compliance.isolation import pool as pool_module
from tests.isolation import faults
from tests.isolation.faults import HangClock

FAULTS = "tests.isolation.faults"
# A generous timeout: a loaded machine must never make a task that ends time out.
# The timeout itself is shown on a fake clock (test_a_task_that_hangs_...).
LIMITS = Limits(max_memory=400 * 1024**2, file_timeout=60)


def run(pool: WorkerPool, task: str, *args: object) -> Reply:
    """The reply to one task, its failure said in English (failures are messages by key)."""
    ((index, reply),) = list(pool.imap(f"{FAULTS}:{task}", [args]))
    assert index == 0
    failure = reply.failure
    return Reply(reply.data, failure.text("en") if failure is not None else None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("task", "args", "failure"),
    [
        ("abort", (), "aborted (signal 6)"),
        ("segfault", (), "crashed (signal 11, SIGSEGV)"),
        ("allocate", (10_000,), "ran out of memory (limit 400 MiB)"),
        ("allocate_at_once", (1 << 40,), "ran out of memory (limit 400 MiB)"),
    ],
)
def test_a_failing_worker_is_one_line_and_is_replaced(
    task: str, args: tuple[object, ...], failure: str
) -> None:
    with WorkerPool(1, LIMITS) as pool:
        assert run(pool, task, *args) == Reply(failure=failure)
        # The next task runs in a new worker.
        assert run(pool, "echo", "next") == Reply(data=b"next")
        assert pool.started == 2


def test_a_task_that_hangs_is_stopped_at_the_timeout_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "task.running"
    monkeypatch.setattr(pool_module, "clock", HangClock(tmp_path))
    with WorkerPool(1, LIMITS) as pool:
        assert run(pool, "hang", str(marker)) == Reply(failure="took longer than 60 s")
        # The next task runs in a new worker, with the whole timeout before it.
        assert run(pool, "echo", "next") == Reply(data=b"next")
        assert pool.started == 2


def test_the_timeout_is_measured_from_when_a_task_begins(monkeypatch: pytest.MonkeyPatch) -> None:
    # On a clock that never moves, nothing times out however long a task takes.
    monkeypatch.setattr(pool_module, "clock", lambda: 0.0)
    with WorkerPool(1, Limits(file_timeout=1e-9)) as pool:
        assert run(pool, "sleep", 0.2) == Reply(data=b"woke")


def test_the_cap_is_on_resident_memory_not_on_address_space() -> None:
    # 300 MB touched under a 512 MiB cap is fine (the worker holds about 110 MB once
    # its readers are imported), though polars and the allocators have reserved far
    # more address space than that.
    with WorkerPool(1, Limits(max_memory=512 * 1024**2, file_timeout=60)) as pool:
        assert run(pool, "allocate", 300) == Reply(data=b"300")


def test_workers_are_reused_across_tasks() -> None:
    with WorkerPool(2, LIMITS) as pool:
        pids = {r.data for _, r in pool.imap(f"{FAULTS}:pid", [("x",)] * 40)}
        assert len(pids) <= 2
        assert pool.started <= 2


def test_results_come_back_for_every_task_whatever_fails_between() -> None:
    tasks = [("echo", ("a",)), ("abort", ()), ("echo", ("b",)), ("segfault", ()), ("echo", ("c",))]
    with WorkerPool(2, LIMITS) as pool:
        replies: dict[int, Reply] = {}
        for name, args in tasks:
            replies[len(replies)] = run(pool, name, *args)
    assert [r.data for r in replies.values()] == [b"a", None, b"b", None, b"c"]


def test_what_a_worker_prints_corrupts_nothing() -> None:
    with WorkerPool(1, LIMITS) as pool:
        assert run(pool, "chatter") == Reply(data=b"quiet")
        assert run(pool, "echo", "after") == Reply(data=b"after")


def test_a_bug_in_a_task_raises_in_the_parent() -> None:
    # As its traceback's text: the parent rebuilds only its own error classes.
    with (
        WorkerPool(1, LIMITS) as pool,
        pytest.raises(pool_module.WorkerError, match="ValueError: a bug in a task"),
    ):
        run(pool, "fail")


def test_the_init_runs_once_per_worker() -> None:
    with WorkerPool(1, LIMITS, (f"{FAULTS}:echo", ("init",))) as pool:
        assert run(pool, "echo", "one") == Reply(data=b"one")
        assert run(pool, "echo", "two") == Reply(data=b"two")


_UNDER_ULIMIT = textwrap.dedent(
    """
    import resource
    from compliance.isolation import Limits, WorkerPool
    with WorkerPool(1, Limits(max_memory={cap})) as pool:
        ((_, reply),) = pool.imap("tests.isolation.faults:address_space", [()])
    print(resource.getrlimit(resource.RLIMIT_AS)[0], reply.data.decode())
    """
)


@pytest.mark.parametrize("cap", [512 * 1024**2, 4 * 1024**3])
def test_limits_only_ever_lower_what_the_process_has(cap: int) -> None:
    code = _UNDER_ULIMIT.format(cap=cap)
    done = subprocess.run(
        ["bash", "-c", f'ulimit -v 4000000 && exec "{sys.executable}" -c "$0"', code],
        capture_output=True,
        text=True,
        check=True,
        cwd=os.getcwd(),
    )
    parent, worker = (int(x) for x in done.stdout.split())
    assert parent == 4_000_000 * 1024
    # The backstop (at least the cap + 8 GiB) is above the inherited 3.8 GiB: kept as it is.
    assert worker == parent
    assert done.stderr == ""


def test_what_an_earlier_task_wrote_on_stderr_does_not_word_a_later_failure() -> None:
    with WorkerPool(1, LIMITS) as pool:
        replies = [r for _, r in pool.imap(f"{FAULTS}:warn_memory", [()] * 3)]
        assert replies == [Reply(data=b"ok")] * 3
        assert run(pool, "abort") == Reply(failure="aborted (signal 6)")


def test_while_waiting_runs_once_after_the_tasks_are_handed_out() -> None:
    calls: list[int] = []
    with WorkerPool(2, Limits()) as pool:
        replies = pool.imap(f"{FAULTS}:pid", [("x",)] * 6, lambda: calls.append(pool.started))
        pids = {r.data for _, r in replies}
        assert calls == [2]  # both workers had their tasks when it ran
        assert len(pids) == 2
        idle = list(pool._idle)
    # Closing the pool ends its idle workers at once.
    assert all(w.proc.poll() is not None for w in idle)


@pytest.mark.parametrize(
    ("task", "why"),
    [
        ("evil_outcome", "not a worker's reply"),
        ("bad_manifest", "a manifest that is not JSON"),
        ("wrong_manifest", "a manifest without its frames"),
    ],
)
def test_a_reply_that_is_not_an_outcome_is_that_file_failure(task: str, why: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from compliance import api, batch

    rs = api.load_ruleset()
    marker = tmp_path / "ran"
    outcomes: dict[int, object] = {}
    batch.isolated(
        [marker, marker],
        rs,
        rs.rules,
        {},
        jobs=1,
        limits=LIMITS,
        finish=outcomes.__setitem__,
        task=f"{FAULTS}:{task}",
    )
    assert not marker.exists()
    assert sorted(outcomes) == [0, 1]  # the next file is still read
    for out in outcomes.values():
        assert out.message == (  # type: ignore[attr-defined]
            f"{marker}: the reader process sent back something that is not a check's "
            f"outcome ({why})"
        )


def test_a_reply_frame_of_no_known_kind_is_refused_unread(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pickle

    from compliance.isolation import protocol

    marker = tmp_path / "ran"
    body = pickle.dumps((b"o", faults._Run(f"touch {marker}")))
    buffer = bytearray(len(body).to_bytes(8, "big") + body)
    with pytest.raises(protocol.BadReply):
        protocol.split(buffer)
    assert not marker.exists()
    ok = bytearray(b"\x00" * 7 + b"\x03" + b"ohi")
    assert protocol.split(ok) == (b"o", b"hi") and not ok


def test_the_pool_waits_on_its_workers_without_select_on_pipes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Windows has no select() on pipes: the pool reads each pipe in a thread.
    import select

    def refuse(*_: object) -> None:
        raise OSError("select() on a pipe")

    monkeypatch.setattr(select, "select", refuse)
    with WorkerPool(2, LIMITS) as pool:
        replies = dict(pool.imap(f"{FAULTS}:echo", [(str(i),) for i in range(20)]))
        assert replies == {i: Reply(data=str(i).encode()) for i in range(20)}
        assert run(pool, "abort") == Reply(failure="aborted (signal 6)")


def test_a_worker_starts_where_there_are_no_resource_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from compliance.isolation.limits import lower_limits

    monkeypatch.setitem(sys.modules, "resource", None)  # import resource fails, as on Windows
    lower_limits(400 * 1024**2)  # nothing to lower, and no error


def test_a_later_pool_reuses_an_idle_worker_started_under_the_same_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(spares, "_KEPT", [])
    with WorkerPool(1, LIMITS) as pool:
        first = run(pool, "pid").data
    assert len(spares._KEPT) == 1
    with WorkerPool(1, LIMITS) as pool:
        assert run(pool, "pid").data == first
    # Another memory cap, or another environment, is another worker.
    with WorkerPool(1, Limits(max_memory=LIMITS.max_memory * 2, file_timeout=60)) as pool:
        assert run(pool, "pid").data != first
    monkeypatch.setenv("COMPLIANCE_NATIVE", "0")
    with WorkerPool(1, LIMITS) as pool:
        assert run(pool, "pid").data != first
    spares._end_kept()
    assert spares._KEPT == []


def test_a_worker_that_grew_large_is_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spares, "_KEPT", [])
    monkeypatch.setattr(spares, "_KEEP_BELOW", 1)
    with WorkerPool(1, LIMITS) as pool:
        assert run(pool, "echo", "x") == Reply(data=b"x")
        (worker,) = pool._idle
    assert spares._KEPT == []
    assert worker.proc.poll() is not None


def test_no_spare_is_started_where_a_kept_worker_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spares, "_KEPT", [])
    monkeypatch.setattr(spares, "_SPARES", [])
    with WorkerPool(1, LIMITS) as pool:
        run(pool, "echo", "x")
    spares.prestart(LIMITS, 1)
    assert spares._SPARES == []
    spares.prestart(LIMITS, 2)
    assert len(spares._SPARES) == 1
    spares._SPARES.pop()[1].stop()
    spares._end_kept()
