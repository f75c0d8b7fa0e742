"""The parts of a worker's reply manifest that are not the findings table: where the
records came from, the data problems, the verdict and
the options, each as JSON and back into its dataclass, every field checked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from compliance.isolation.wire import (
    Malformed,
    build,
    number,
    obj,
    opt,
    scalar,
    text,
    texts,
    whole,
)
from compliance.model import DataProblem, SourceInfo


def source_out(s: SourceInfo) -> dict[str, Any]:
    return {
        "path": s.path,
        "sha256": s.sha256,
        "format": s.format,
        "sheet": s.sheet,
        "header_rows": list(s.header_rows),
        "columns": {k: list(v) for k, v in s.columns.items()},
        "unmatched_headers": list(s.unmatched_headers),
        "notes_zh": list(s.notes_zh),
        "notes_en": list(s.notes_en),
    }


def _columns(value: Any) -> dict[str, tuple[str, str]]:
    out = {}
    for k, v in obj(value).items():
        pair = texts(v)
        if len(pair) != 2:
            raise Malformed("a column is (letter, header)")
        out[k] = (pair[0], pair[1])
    return out


_SOURCE = {
    "path": text,
    "sha256": text,
    "format": text,
    "sheet": text,
    "header_rows": lambda v: tuple(map(whole, v if isinstance(v, list) else [None])),
    "columns": _columns,
    "unmatched_headers": texts,
    "notes_zh": texts,
    "notes_en": texts,
}

_PROBLEM = {
    "code": text,
    "cell": text,
    "message_zh": text,
    "message_en": text,
    "field": opt(text),
    "raw": opt(text),
    "row": opt(whole),
    "severity": opt(text),
    "check": opt(text),
    "cells": texts,
    "imbalance": opt(number),
    "explanation": opt(text),
}


def problem_out(p: DataProblem) -> dict[str, Any]:
    out = {f.name: getattr(p, f.name) for f in fields(DataProblem)}
    out["cells"] = list(p.cells)
    return out


def verdict_in(doc: Any) -> Any:
    from compliance.verdict import Status, Verdict

    checks: dict[str, Callable[[Any], Any]] = {f.name: whole for f in fields(Verdict)}

    def status(v: Any) -> Status:
        try:
            return Status(text(v))
        except ValueError as exc:
            raise Malformed(f"no status {v!r}") from exc

    def readable(v: Any) -> bool:
        if not isinstance(v, bool):
            raise Malformed("readable is true or false")
        return v

    checks |= {"status": status, "readable": readable}
    return build(Verdict, doc, checks)


def options_in(doc: Any) -> dict[str, Any]:
    return {text(k): scalar(v) for k, v in obj(doc).items()}


def options_out(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [options_out(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def source_in(doc: Any) -> SourceInfo:
    return build(SourceInfo, doc, _SOURCE)  # type: ignore[no-any-return]


def strmap(doc: Any) -> dict[str, str]:
    return {text(k): text(v) for k, v in obj(doc).items()}


def problem_in(doc: Any) -> DataProblem:
    return build(DataProblem, doc, _PROBLEM)  # type: ignore[no-any-return]
