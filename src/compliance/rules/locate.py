"""Line numbers for places in a rule file, so that an error can say where to look.

:mod:`tomllib` gives data without positions, so this module scans the text for
table headers (``[parameters.x]``, ``[[rules]]``) and keys. It is a best-effort
index for messages: when a place cannot be found the caller names it without a
line, which is still a precise location (``rule 'premises', field compare``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from compliance.labels.messages import Msg

#: Turns a place in the rule file into " (line 12)" (a message; "" when unknown).
Locator = Callable[[tuple[str | int, ...]], "Msg | str"]


def no_line(place: tuple[str | int, ...]) -> Msg | str:
    """The :data:`Locator` that knows no lines."""
    return ""


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")
_ID_VALUE = re.compile(r"""^\s*id\s*=\s*["']([^"']*)["']""")


def _unquote(key: str) -> str:
    return key[1:-1] if key[:1] in "\"'" and key[-1:] == key[:1] else key


@dataclass
class _Block:
    name: str  # "" for the top of the file, "rules" for [[rules]], "parameters.x"...
    array: bool
    line: int
    keys: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class LineIndex:
    """Where tables and keys start in one rule file (1-based line numbers)."""

    blocks: tuple[_Block, ...]

    @classmethod
    def of(cls, text: str) -> LineIndex:
        blocks = [_Block("", False, 1)]
        in_multiline = False
        for n, line in enumerate(text.splitlines(), start=1):
            # Skip the inside of multi-line strings, where '[' and '=' mean nothing.
            quotes = line.count('"""') + line.count("'''")
            if in_multiline:
                if quotes % 2:
                    in_multiline = False
                continue
            if quotes % 2:
                in_multiline = True
            m = _HEADER.match(line)
            if m and "=" not in line.split("]")[0]:
                name = ".".join(_unquote(p.strip()) for p in m.group(2).split("."))
                blocks.append(_Block(name, m.group(1) == "[[", n))
                continue
            k = _KEY.match(line)
            if k:
                blocks[-1].keys.setdefault(_unquote(k.group(1)), n)
                v = _ID_VALUE.match(line)
                if v:
                    blocks[-1].keys.setdefault(f"id={v.group(1)}", n)
        return cls(tuple(blocks))

    def _table(self, name: str) -> _Block | None:
        return next((b for b in self.blocks if b.name == name and not b.array), None)

    def _entry(self, array: str, entry: str | int) -> _Block | None:
        """An ``[[array]]`` entry, by its id or its 0-based position."""
        entries = [b for b in self.blocks if b.name == array and b.array]
        if isinstance(entry, int) or entry.isdigit():
            at = int(entry)
            return entries[at] if 0 <= at < len(entries) else None
        return next((b for b in entries if f"id={entry}" in b.keys), None)

    def line(self, path: Sequence[str | int]) -> int | None:
        """The line of a place: ``("rules", "premises", "compare")``,
        ``("parameters", "min_premises_m2", "value")``, ``("ruleset", "id")``.

        A rule (a check) is named by its id or its 0-based position among
        ``[[rules]]`` (``[[checks]]``).
        Falls back to the nearest enclosing table when the key is not written
        (a missing key is reported at its table).
        """
        if not path:
            return None
        head, rest = str(path[0]), list(path[1:])
        if head in ("rules", "checks"):
            if not rest:
                return next((b.line for b in self.blocks if b.name == head), None)
            block = self._entry(head, rest[0])
            if block is None and head == "checks":
                return None
            if block is None:
                # A rule written as a table, [rules.pay], rather than [[rules]].
                as_table = self._table(f"rules.{rest[0]}")
                return as_table.line if as_table is not None else None
            key = ".".join(str(p) for p in rest[1:2])
            return block.keys.get(key, block.line) if key else block.line
        # A table such as [parameters.x] or [lookups.x.values], or a key in the table above it.
        names = [str(p) for p in path]
        for cut in range(len(names), 0, -1):
            table = ".".join(names[:cut])
            block = self._table(table)
            if block is not None:
                key = ".".join(names[cut:])
                if not key:
                    return block.line
                return block.keys.get(key, block.keys.get(names[cut], block.line))
            # Dotted or inline keys in a parent table: [parameters] x.value = ...
            parent = self._table(".".join(names[: cut - 1])) if cut > 1 else self.blocks[0]
            if parent is not None:
                key = ".".join(names[cut - 1 :])
                if key in parent.keys:
                    return parent.keys[key]
                if names[cut - 1] in parent.keys:
                    return parent.keys[names[cut - 1]]
        return None
