"""What crosses back from a worker: one check's outcome as bytes, and back.

:func:`encode_outcome` and :func:`decode_outcome` are the only pair; the pool
moves their bytes and nothing else. The bytes are a small JSON manifest and
Arrow IPC streams::

    b"CMPLX2" | manifest length (4 bytes, big-endian) | manifest | frame | frame ...

The manifest says what the check found besides its tables (the source, the data
problems, the verdict; the sub-district findings are a second table) and, under ``frames``, the name
and length of each frame that follows. Decoding reads JSON into dataclasses,
checking every field's type, and Arrow into polars frames: it runs no code the
bytes could name, so a subverted worker can at worst send a wrong answer, never
make this process do something. The rule set is left out: the worker names its
rules by id, and the parent binds its own, equal rules.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from compliance.isolation.manifest import (
    options_in,
    options_out,
    problem_in,
    problem_out,
    source_in,
    source_out,
    verdict_in,
)
from compliance.isolation.tables import table_in, table_out
from compliance.isolation.wire import Malformed, build, msg_in, msg_out, obj, opt, text, whole
from compliance.labels.messages import Msg
from compliance.results import CheckResult, InputFailure

if TYPE_CHECKING:
    import polars as pl

    from compliance.rules.model import Rule, RuleSet

Reply = CheckResult | InputFailure

MAGIC = b"CMPLX2"
#: Marks the frames of the sub-district findings table.
GROUPS = "groups:"
_LENGTH = struct.Struct(">I")


# -- frames ----------------------------------------------------------------------


def _frame_out(frame: pl.DataFrame, name: str) -> bytes:
    import polars as pl

    out = io.BytesIO()
    # Texts as one contiguous buffer (Arrow's large strings): a column of string views
    # is written with every buffer its views point into, and a sheet's columns share
    # the reader's buffers (a million rows' reply was 524 MB, and 240 MB written so;
    # writing and reading it took about 5 s less). The outcomes' short ids stay views,
    # which hold them inline and compress better.
    # The IPC stream format: polars reads the file format through a query, which costs a
    # small frame several times what the stream's direct read does.
    level = pl.CompatLevel.newest() if name.endswith("outcomes") else pl.CompatLevel.oldest()
    frame.write_ipc_stream(out, compression="lz4", compat_level=level)
    return out.getvalue()


def _frame_in(data: bytes | memoryview) -> pl.DataFrame:
    import polars as pl

    try:
        return pl.read_ipc_stream(io.BytesIO(data))
    except Exception as exc:
        raise Malformed("a frame that is not an Arrow IPC stream") from exc


# -- the whole ------------------------------------------------------------------------


def _pack(manifest: dict[str, Any], frames: Mapping[str, bytes]) -> bytes:
    manifest["frames"] = [[name, len(data)] for name, data in frames.items()]
    head = json.dumps(manifest, ensure_ascii=False, allow_nan=False).encode()
    return b"".join([MAGIC, _LENGTH.pack(len(head)), head, *frames.values()])


def _unpack(data: bytes) -> tuple[dict[str, Any], dict[str, memoryview]]:
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + _LENGTH.size:
        raise Malformed("not a worker's reply")
    at = len(MAGIC)
    (size,) = _LENGTH.unpack_from(data, at)
    at += _LENGTH.size
    try:
        manifest = obj(json.loads(data[at : at + size].decode()))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Malformed("a manifest that is not JSON") from exc
    at += size
    # Views of the reply, not copies: the frames of a large reply are hundreds of MB.
    view = memoryview(data)
    frames: dict[str, memoryview] = {}
    listed = manifest.pop("frames", None)
    if not isinstance(listed, list):
        raise Malformed("a manifest without its frames")
    for entry in listed:
        if not isinstance(entry, list) or len(entry) != 2:
            raise Malformed("a frame entry is [name, length]")
        name, length = text(entry[0]), whole(entry[1])
        if length < 0 or at + length > len(data):
            raise Malformed("a frame longer than the reply")
        frames[name] = view[at : at + length]
        at += length
    if at != len(data):
        raise Malformed("bytes after the last frame")
    return manifest, frames


def encode_outcome(outcome: Reply) -> bytes:
    """One input's outcome as bytes (a JSON manifest and Arrow frames), without the rule set."""
    if isinstance(outcome, InputFailure):
        return _pack(
            {
                "kind": "failure",
                "path": outcome.path,
                "message": outcome.message,
                "sha256": outcome.sha256,
                "reason": None if outcome.reason is None else msg_out(outcome.reason),
            },
            {},
        )
    table, frames = table_out(outcome.table)
    groups = None
    if outcome.groups is not None:
        groups, group_frames = table_out(outcome.groups)
        groups["group_sheet"] = outcome.group_sheet
        frames.update({GROUPS + k: v for k, v in group_frames.items()})
    manifest = {
        "kind": "check",
        "source": source_out(outcome.source),
        "problems": [problem_out(p) for p in outcome.problems],
        "checked_at": outcome.checked_at.isoformat(),
        "options": {k: options_out(v) for k, v in outcome.options.items()},
        "groups": groups,
        "verdict": None if outcome.verdict is None else outcome.verdict.as_dict(),
        "table": table,
    }
    return _pack(manifest, {k: _frame_out(v, k) for k, v in frames.items()})


def decode_outcome(data: bytes, ruleset: RuleSet, rules: tuple[Rule, ...]) -> Reply:
    """The outcome :func:`encode_outcome` encoded, with the parent's rule set put in.

    Raises :class:`Malformed` for bytes that are not such an outcome."""
    try:
        return _decode(data, ruleset, rules)
    except Malformed:
        raise
    except (TypeError, KeyError, ValueError, AttributeError, RecursionError) as exc:
        raise Malformed(f"{type(exc).__name__}: {exc}") from exc


def _decode(data: bytes, ruleset: RuleSet, rules: tuple[Rule, ...]) -> Reply:
    manifest, frames = _unpack(data)
    kind = manifest.pop("kind", None)
    if kind == "failure":
        if frames:
            raise Malformed("a failure holds no frames")
        reason = manifest.get("reason")
        checks = {"path": text, "message": text, "sha256": opt(text), "reason": opt(msg_in)}
        failure: InputFailure = build(InputFailure, manifest, checks)
        if reason is not None and not isinstance(failure.reason, Msg):
            raise Malformed("a reason is a message")
        return failure
    if kind != "check":
        raise Malformed(f"no reply of kind {kind!r}")
    expected = {"source", "problems", "checked_at", "options", "groups", "verdict", "table"}
    if set(manifest) != expected:
        raise Malformed("a check of unknown form")
    try:
        checked_at = dt.datetime.fromisoformat(text(manifest["checked_at"]))
    except ValueError as exc:
        raise Malformed("checked_at is not a time") from exc
    problems = manifest["problems"]
    if not isinstance(problems, list):
        raise Malformed("problems are a list")
    mine = {k: _frame_in(v) for k, v in frames.items() if not k.startswith(GROUPS)}
    table = table_in(obj(manifest["table"]), mine, ruleset)
    groups, group_sheet = None, ""
    if manifest["groups"] is not None:
        doc = obj(manifest["groups"])
        group_sheet = text(doc.pop("group_sheet", None))
        theirs = {k[len(GROUPS) :]: _frame_in(v) for k, v in frames.items() if k.startswith(GROUPS)}
        groups = table_in(doc, theirs, ruleset)
    return CheckResult(
        source=source_in(manifest["source"]),
        ruleset=ruleset,
        table=table,
        problems=tuple(problem_in(p) for p in problems),
        rules=rules,
        checked_at=checked_at,
        options=options_in(manifest["options"]),
        groups=groups,
        group_sheet=group_sheet,
        verdict=None if manifest["verdict"] is None else verdict_in(manifest["verdict"]),
    )
