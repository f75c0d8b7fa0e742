"""Sizes and limits: what --max-memory accepts, and what the worker sets on itself."""

from __future__ import annotations

import pytest

from compliance.isolation import Limits, format_size, parse_size
from compliance.isolation.limits import GIB, address_space_backstop


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("4G", 4 * GIB),
        ("512M", 512 << 20),
        ("1.5GiB", 3 * GIB // 2),
        ("2gb", 2 * GIB),
        ("4096", 4096),
    ],
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "G", "4X", "-1G", "0", "4 G B"])
def test_parse_size_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_size(text)


def test_format_size_names_the_limit_as_given() -> None:
    assert format_size(4 * GIB) == "4 GiB"
    assert format_size(512 << 20) == "512 MiB"
    assert format_size(3 * GIB // 2) == "1.5 GiB"


def test_the_address_space_backstop_is_far_above_the_cap() -> None:
    assert address_space_backstop(4 * GIB) == 16 * GIB
    assert address_space_backstop(512 << 20) == (512 << 20) + 8 * GIB


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Limits(max_memory=0)
    with pytest.raises(ValueError):
        Limits(file_timeout=0)
