"""Where rule sets are: the shipped ones, ``./rules`` and ``$COMPLIANCE_RULES_PATH``.

A rule set is named by its file's stem (``zhejiang-2007``) or given by path;
:func:`resolve` turns either into a file. Nothing here reads a rule file, so the
command line can name the default rule set without loading the rule compiler.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from compliance.errors import RuleSetError
from compliance.labels.messages import msg

DEFAULT_RULESET = "zhejiang-2007"


def builtin_rules_dir() -> Path:
    """The rule sets shipped with the tool.

    An installed wheel carries them as ``compliance/rulesets``; a source
    checkout (editable install) reads the repository's ``rules/`` directly.
    """
    packaged = Path(__file__).resolve().parent.parent / "rulesets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def search_path() -> list[Path]:
    """Folders searched for a rule set given by name, first match wins:
    ``$COMPLIANCE_RULES_PATH``, ``./rules`` and the shipped rule sets."""
    dirs = [Path(p) for p in os.environ.get("COMPLIANCE_RULES_PATH", "").split(os.pathsep) if p]
    dirs += [Path.cwd() / "rules", builtin_rules_dir()]
    out: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in {o.resolve() for o in out}:
            out.append(d)
    return out


@dataclass(frozen=True)
class RuleSetEntry:
    """A rule-set file found on the search path."""

    id: str
    path: Path
    builtin: bool


def find_rulesets() -> Iterator[RuleSetEntry]:
    """Every ``*.toml`` rule set on the search path (the first of each name)."""
    seen: set[str] = set()
    builtin = builtin_rules_dir().resolve()
    for d in search_path():
        for p in sorted(d.glob("*.toml")):
            if p.stem not in seen:
                seen.add(p.stem)
                yield RuleSetEntry(p.stem, p, d.resolve() == builtin)


def resolve(name_or_path: str | os.PathLike[str]) -> Path:
    """The file for a rule-set name ("zhejiang-2007") or path."""
    text = os.fspath(name_or_path)
    p = Path(text)
    if p.suffix.lower() == ".toml" or os.sep in text or "/" in text:
        if not p.exists():
            raise RuleSetError("rules_file_missing", where=text)
        return p  # read_rule_file refuses what is not a regular file
    for entry in find_rulesets():
        if entry.id == text:
            return entry.path
    known = ", ".join(e.id for e in find_rulesets()) or msg("none_known")
    raise RuleSetError("rules_unknown", name=repr(text), known=known)
