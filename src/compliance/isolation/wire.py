"""The words of a worker's reply that are not frames: JSON values checked as read.

Each reader below takes a JSON value and gives it back typed, or raises
:class:`Malformed`. Decoding builds :class:`~compliance.labels.messages.Msg` values and our own
error classes from plain JSON, checked as it goes; it never names a class or a
function the reply could choose beyond those listed here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any

from compliance.errors import ComplianceError, InputError, RuleSetError, UsageError
from compliance.labels.messages import Clauses, Msg

#: The errors a task may raise on purpose, by name (anything else is a bug).
ERRORS: dict[str, type[ComplianceError]] = {
    cls.__name__: cls for cls in (ComplianceError, InputError, RuleSetError, UsageError)
}


class Malformed(ValueError):
    """A reply that is not what :func:`encode_outcome` writes."""


# -- JSON values ---------------------------------------------------------------


def msg_out(value: Any) -> Any:
    """A message parameter as JSON: messages, clauses and lists tagged."""
    if isinstance(value, Msg):
        return {"msg": value.key, "params": {k: msg_out(v) for k, v in value.params.items()}}
    if isinstance(value, Clauses):
        return {"clauses": [msg_out(v) for v in value]}
    if isinstance(value, list | tuple):
        return {"list": [msg_out(v) for v in value]}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def msg_in(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"msg", "params"} and isinstance(value["params"], dict):
            try:
                return Msg(text(value["msg"]), {k: msg_in(v) for k, v in value["params"].items()})
            except KeyError as exc:
                raise Malformed(f"no message {value['msg']!r}") from exc
        if set(value) == {"clauses"} and isinstance(value["clauses"], list):
            return Clauses(msg_in(v) for v in value["clauses"])
        if set(value) == {"list"} and isinstance(value["list"], list):
            return [msg_in(v) for v in value["list"]]
        raise Malformed("a message parameter of unknown form")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise Malformed("a message parameter of unknown form")


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise Malformed(f"expected text, got {type(value).__name__}")
    return value


def opt(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda v: None if v is None else check(v)


def whole(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise Malformed(f"expected a whole number, got {type(value).__name__}")
    return value


def number(value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise Malformed(f"expected a number, got {type(value).__name__}")
    return float(value)


def texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise Malformed("expected a list")
    return tuple(map(text, value))


def obj(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Malformed("expected an object")
    return value


def scalar(value: Any) -> Any:
    """A record value: text, a number, a flag or nothing (lists as tuples)."""
    if isinstance(value, list):
        return tuple(scalar(v) for v in value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise Malformed("a value of unknown form")


def build(cls: type, doc: Any, checks: Mapping[str, Callable[[Any], Any]]) -> Any:
    """``cls`` from a JSON object, each field through its check (unknown keys refused)."""
    data = obj(doc)
    names = {f.name for f in fields(cls)}
    if not set(data) <= names or not set(checks) >= set(data):
        raise Malformed(f"unexpected keys for {cls.__name__}: {sorted(set(data) - set(checks))}")
    return cls(**{k: checks[k](v) for k, v in data.items()})


def strmap(doc: Any) -> dict[str, str]:
    return {text(k): text(v) for k, v in obj(doc).items()}


def error_out(exc: BaseException) -> bytes:
    """An exception a task raised, as JSON: one of :data:`ERRORS` by its message and
    place, anything else as its traceback text."""
    if type(exc).__name__ in ERRORS and isinstance(exc, ComplianceError):
        doc: dict[str, Any] = {
            "error": type(exc).__name__,
            "msg": msg_out(exc.msg),
            "where": msg_out(exc.where),
            "parts": [msg_out(p) for p in exc.parts],
        }
    else:
        import traceback

        doc = {"text": "".join(traceback.format_exception(exc))}
    return json.dumps(doc, ensure_ascii=False).encode()


def error_in(data: bytes) -> ComplianceError | None:
    """The error :func:`error_out` wrote, or None where it was not one of ours (or
    not readable); raises nothing."""
    try:
        doc = json.loads(data.decode())
        cls = ERRORS.get(str(doc.get("error"))) if isinstance(doc, dict) else None
        if cls is None:
            return None
        said = msg_in(doc["msg"])
        where = msg_in(doc["where"])
        parts = [msg_in(p) for p in doc["parts"]]
        if not isinstance(said, Msg) or not all(isinstance(p, Msg) for p in parts):
            return None
        if where is not None and not isinstance(where, str | Msg):
            return None
        return cls(said, where=where, problems=parts)
    except (Malformed, ValueError, KeyError, TypeError, AttributeError):
        return None


def error_text(data: bytes) -> str:
    """The traceback text of an error that is not one of ours."""
    try:
        doc = json.loads(data.decode())
    except ValueError:
        return ""
    return str(doc.get("text", "")) if isinstance(doc, dict) else ""
