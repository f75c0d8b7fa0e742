"""Read rule files: the TOML of one file, and the files an ``extends`` chain names.

A rule file is read as data only (:mod:`compliance.tomlsafe`, capped in size);
:func:`merge_chain` merges a file with everything it extends, keeping the origin
of every value (see :mod:`compliance.rules.inherit`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from compliance.errors import RuleSetError
from compliance.labels.messages import msg
from compliance.rules.files import find_rulesets
from compliance.rules.inherit import MAX_DEPTH, Layer, Merged, merge_layers
from compliance.rules.locate import LineIndex
from compliance.tomlsafe import loads as toml_loads
from compliance.tomlsafe import read_capped

MAX_RULE_FILE_BYTES = 1_000_000


def read_rule_file(path: Path) -> tuple[dict[str, Any], str]:
    """The raw TOML tables of a rule file, and the SHA-256 of its bytes."""
    data = read_capped(path, MAX_RULE_FILE_BYTES, RuleSetError, "what_rule_file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleSetError("rules_not_utf8", where=str(path)) from None
    return toml_loads(text, RuleSetError, str(path)), hashlib.sha256(data).hexdigest()


def _layer(path: Path) -> Layer:
    raw, digest = read_rule_file(path)
    info = raw.get("ruleset")
    rid = info.get("id") if isinstance(info, dict) else None
    text = path.read_text("utf-8-sig")
    return Layer(
        ruleset=rid if isinstance(rid, str) else path.stem,
        path=path,
        raw=raw,
        index=LineIndex.of(text),
        sha256=digest,
    )


def _parent(name: str, child: Path) -> Path:
    """The file an ``extends`` names: a path relative to the child, or a rule-set name."""
    p = Path(name)
    if p.suffix.lower() == ".toml" or "/" in name or os.sep in name:
        target = p if p.is_absolute() else child.parent / p
        if not target.is_file():
            raise RuleSetError(
                "extends_file_missing", name=repr(name), target=str(target), where=str(child)
            )
        return target
    for entry in find_rulesets():
        # A local copy may extend the shipped rule set of the same name.
        if entry.id == name and entry.path.resolve() != child.resolve():
            return entry.path
    known = ", ".join(e.id for e in find_rulesets()) or msg("none_known")
    raise RuleSetError("extends_unknown", name=repr(name), known=known, where=str(child))


def load_chain(path: Path) -> list[Layer]:
    """The files of an ``extends`` chain, base first, ending with ``path``."""
    chain: list[Layer] = []
    current: Path | None = path
    while current is not None:
        if any(layer.path.resolve() == current.resolve() for layer in chain):
            names = " -> ".join(str(layer.path) for layer in reversed(chain))
            raise RuleSetError("extends_circle", names=names, current=str(current), where=str(path))
        if len(chain) >= MAX_DEPTH:
            raise RuleSetError("extends_too_deep", depth=MAX_DEPTH, where=str(path))
        layer = _layer(current)
        chain.append(layer)
        info = layer.raw.get("ruleset")
        parent = info.get("extends") if isinstance(info, dict) else None
        if parent is not None and not isinstance(parent, str):
            raise RuleSetError("extends_not_text", where=str(current))
        current = _parent(parent, current) if parent else None
    chain.reverse()
    return chain


def merge_chain(path: Path) -> Merged:
    """Read ``path`` and everything it extends, merged, with the origin of every value."""
    return merge_layers(load_chain(path))
