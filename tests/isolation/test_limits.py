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


@pytest.mark.parametrize(
    ("text", "why"),
    [("", "not a size"), ("G", "not a size"), ("4X", "not a size"), ("-1G", "not a size"),
     ("4 G B", "not a size"), ("0", "above zero")],
)  # fmt: skip
def test_parse_size_refuses(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_size(text)


def test_format_size_names_the_limit_as_given() -> None:
    assert format_size(4 * GIB) == "4 GiB"
    assert format_size(512 << 20) == "512 MiB"
    assert format_size(3 * GIB // 2) == "1.5 GiB"


def test_the_address_space_backstop_is_far_above_the_cap() -> None:
    assert address_space_backstop(4 * GIB) == 16 * GIB
    assert address_space_backstop(512 << 20) == (512 << 20) + 8 * GIB


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="above zero"):
        Limits(max_memory=0)
    with pytest.raises(ValueError, match="above zero"):
        Limits(file_timeout=0)
