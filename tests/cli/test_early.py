"""The reader worker started before the command line is parsed (cli/early.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from compliance.cli import early
from compliance.isolation import DEFAULT_MAX_MEMORY, parse_size
from compliance.isolation import spares as waiting


@pytest.fixture
def spares() -> Iterator[list[tuple[int, object]]]:
    yield waiting._SPARES
    while waiting._SPARES:
        waiting._SPARES.pop()[1].stop()  # type: ignore[attr-defined]


def test_the_max_memory_option_is_found_in_either_spelling() -> None:
    assert early.max_memory_option(["check", "a.xlsx"]) is None
    assert early.max_memory_option(["check", "--max-memory", "2G", "a.xlsx"]) == "2G"
    assert early.max_memory_option(["check", "--max-memory=3G", "--max-memory", "1G"]) == "1G"
    assert early.max_memory_option(["check", "a.xlsx", "--max-memory"]) is None


def test_a_check_starts_one_worker_with_the_limit_it_asks_for(spares: list) -> None:  # type: ignore[type-arg]
    early.start_reader(["check", "a.xlsx", "--max-memory", "2G"])
    assert [cap for cap, _ in spares] == [parse_size("2G")]
    # The pool takes it: the same cap, and it is running.
    taken = waiting._take_spare(parse_size("2G"))
    assert taken is not None and taken.proc.poll() is None
    taken.stop()
    assert spares == []


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["rules"],
        ["template", "x.xlsx"],
        ["check", "--help"],
        ["summary", "-h"],
        ["check", "a.xlsx", "--max-memory", "lots"],  # the parser will say what is wrong
    ],
)
def test_no_worker_for_commands_that_read_nothing_or_will_not_run(
    argv: list[str],
    spares: list,  # type: ignore[type-arg]
) -> None:
    early.start_reader(argv)
    assert spares == []


def test_the_default_limit_when_none_is_given(spares: list) -> None:  # type: ignore[type-arg]
    early.start_reader(["summary", "a.xlsx"])
    assert [cap for cap, _ in spares] == [DEFAULT_MAX_MEMORY]
