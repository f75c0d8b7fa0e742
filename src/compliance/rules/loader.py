"""Load a rule set: find its file, read it and what it extends, validate, compile.

The steps are modules of their own: :mod:`~compliance.rules.files` finds the
file, :mod:`~compliance.rules.chain` reads it (TOML, data only) with its
``extends`` chain, :mod:`~compliance.rules.validate` checks the tables against
:mod:`compliance.rules.schema`, and :mod:`~compliance.rules.compile` checks and
compiles the expressions (:mod:`compliance.rules.expressions`). Nothing in a
rule file is ever executed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from compliance.catalogue import Catalogue
from compliance.errors import RuleSetError
from compliance.labels.messages import Clauses, Msg, msg
from compliance.rules.chain import merge_chain
from compliance.rules.compile import compile_ruleset
from compliance.rules.files import DEFAULT_RULESET, resolve
from compliance.rules.inherit import Merged
from compliance.rules.locate import Locator
from compliance.rules.model import RuleSet
from compliance.rules.validate import expression_problems, validate_file

__all__ = ["DEFAULT_RULESET", "compile_merged", "load_ruleset"]


def _locator(merged: Merged) -> Locator:
    top = merged.top

    def at(place: tuple[str | int, ...]) -> Msg | str:
        key = tuple(str(p) for p in place)
        origin = merged.origin(key)
        if origin is not None and origin.line:
            line: int | None = origin.line
            if key[0] == "checks":
                # The checks come whole from one file: find the entry's own line there.
                layer = next((x for x in merged.layers if str(x.path) == origin.path), None)
                line = (layer.index.line(place) if layer is not None else None) or line
            if origin.path == str(top.path):
                return msg("at_line", line=line)
            return msg("at_file_line", file=Path(origin.path).name, line=line)
        line = top.index.line(place)
        return msg("at_line", line=line) if line else ""

    return at


def compile_merged(merged: Merged, *, catalogue: Catalogue | None = None) -> RuleSet:
    """Validate and compile merged tables; problems name the file and line that caused them."""
    top = merged.top
    where = str(top.path)
    at = _locator(merged)
    problems: list[Msg] = []
    for layer, place, message in merged.problems:
        line = layer.index.line(place)
        loc: Msg | str = ""
        if line:
            loc = (
                msg("at_line", line=line)
                if layer is top
                else msg("at_file_line", file=layer.path.name, line=line)
            )
        elif layer is not top:
            loc = msg("at_file", file=layer.path.name)
        place_text = ".".join(str(p) for p in place)
        problems.append(msg("problem", place=place_text, at=loc, detail=message))
    try:
        spec = validate_file(merged.raw, where, locate=at)
    except RuleSetError as exc:
        problems += exc.parts
        problems += expression_problems(merged.raw, catalogue, at)
        raise several(problems, where) from None
    if problems:
        raise several(problems, where)
    digest = (
        top.sha256
        if len(merged.layers) == 1
        else hashlib.sha256("".join(layer.sha256 for layer in merged.layers).encode()).hexdigest()
    )
    return compile_ruleset(
        spec,
        where=where,
        catalogue=catalogue,
        path=top.path,
        sha256=digest,
        locate=at,
        merged=merged,
    )


def several(problems: list[Msg], where: str) -> RuleSetError:
    """One error for a rule file's problems, each kept apart for ``rules validate``."""
    return RuleSetError(msg("problems", problems=Clauses(problems)), where=where, problems=problems)


def load_ruleset(
    name_or_path: str | os.PathLike[str] = DEFAULT_RULESET,
    *,
    catalogue: Catalogue | None = None,
) -> RuleSet:
    """Load a rule set by name (searched on :func:`~compliance.rules.files.search_path`) or by file path.

    A rule set that ``extends`` another is merged with it first (see
    :mod:`compliance.rules.inherit`). Raises :class:`~compliance.errors.RuleSetError`
    naming the file, the rule, the field and the line when the file is missing,
    malformed or unsafe; ``error.problems`` lists every problem found.
    """
    return compile_merged(merge_chain(resolve(name_or_path)), catalogue=catalogue)
