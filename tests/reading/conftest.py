"""Fixtures of this folder's tests."""

from tests.reading.paths import xlsx_reader

__all__ = ["xlsx_reader"]
