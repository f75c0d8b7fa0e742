"""Rule sets that extend other rule sets, and where each value came from.

A rule file may say ``extends = "zhejiang-2007"`` in its ``[ruleset]`` table.
It then starts from that rule set and changes what it writes:

- ``[ruleset]`` keys replace the parent's (a child must give its own ``id`` and
  ``version``; titles, documents and notes are inherited unless given);
- ``[fields.x]``, ``[parameters.x]`` and ``[lookups.x]`` are merged key by key, so
  ``[parameters.min_premises_m2] value = 400`` keeps the parent's labels; a
  lookup's ``values`` are merged entry by entry;
- a ``[[rules]]`` entry whose ``id`` the parent has changes only the keys it
  writes (``replace = true`` starts that rule afresh); a new id adds a rule;
- ``remove_rules = ["maternity"]`` in ``[ruleset]`` leaves parent rules out;
- ``[progress]`` is merged key by key.

Merging works on the raw TOML tables, before validation, and records an
:class:`Origin` for every value, so that ``compliance rules show`` can say
which file set it and what it replaced, and an error can point at the file and
line that caused it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.labels.messages import Msg, msg
from compliance.rules.locate import LineIndex

#: A place in the merged tables: ("rules", "premises", "deadline"),
#: ("parameters", "min_premises_m2", "value"), ("ruleset", "title_zh").
Key = tuple[str, ...]

MAX_DEPTH = 8
_MERGED_TABLES = ("fields", "parameters", "lookups")


@dataclass(frozen=True)
class Layer:
    """One file in an ``extends`` chain."""

    ruleset: str
    path: Path
    raw: Mapping[str, Any]
    index: LineIndex
    sha256: str = ""


@dataclass(frozen=True)
class Origin:
    """Which rule set (file, line) gave a value, and the values it replaced."""

    ruleset: str
    path: str
    line: int | None = None
    #: (rule set id, value) pairs this value replaced, nearest first.
    overrides: tuple[tuple[str, Any], ...] = ()

    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass
class Merged:
    """The merged tables of a chain, with an origin for every value written."""

    raw: dict[str, Any]
    origins: dict[Key, Origin]
    layers: tuple[Layer, ...]
    #: (layer, place, message) for problems merging found, such as removing a rule
    #: the parent does not have.
    problems: list[tuple[Layer, tuple[str | int, ...], Msg]] = field(default_factory=list)

    @property
    def top(self) -> Layer:
        return self.layers[-1]

    @property
    def removed_rules(self) -> set[str]:
        """The rule ids the files of the chain leave out (``remove_rules``)."""
        out: set[str] = set()
        for layer in self.layers:
            info = layer.raw.get("ruleset")
            ids = info.get("remove_rules") if isinstance(info, Mapping) else None
            if isinstance(ids, list):
                out.update(r for r in ids if isinstance(r, str))
        return out

    def origin(self, key: Key) -> Origin | None:
        """The origin of a value, or of the nearest enclosing table that has one."""
        for cut in range(len(key), 0, -1):
            hit = self.origins.get(key[:cut])
            if hit is not None:
                return hit
        return None


def _rule_key(entry: object, position: int) -> str:
    if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
        return str(entry["id"])
    return f"#{position + 1}"


def _set(
    merged: Merged,
    layer: Layer,
    key: Key,
    value: Any,
    line_path: Sequence[str | int],
    previous: Any = None,
    had_previous: bool = False,
) -> None:
    old = merged.origins.get(key)
    overrides: tuple[tuple[str, Any], ...] = ()
    if had_previous and old is not None:
        overrides = ((old.ruleset, previous), *old.overrides)
    merged.origins[key] = Origin(
        layer.ruleset, str(layer.path), layer.index.line(line_path), overrides
    )


def _merge_table(
    merged: Merged,
    layer: Layer,
    target: dict[str, Any],
    source: Mapping[str, Any],
    key: Key,
    line_path: tuple[str | int, ...],
    deep: tuple[str, ...] = (),
) -> None:
    """Merge ``source`` into ``target`` key by key, recording origins under ``key``."""
    for k, v in source.items():
        sub = (*key, str(k))
        lp = (*line_path, str(k))
        if k in deep and isinstance(v, Mapping) and isinstance(target.get(k), Mapping):
            inner = dict(target[k])
            _merge_table(merged, layer, inner, v, sub, lp)
            target[k] = inner
            continue
        had = k in target
        _set(merged, layer, sub, v, lp, target.get(k), had)
        target[k] = v
        if isinstance(v, Mapping) and k in deep:
            for kk in v:
                _set(merged, layer, (*sub, str(kk)), v[kk], (*lp, str(kk)))


def merge_layers(layers: Sequence[Layer]) -> Merged:
    """Merge a chain of rule files, base first, into one set of tables."""
    merged = Merged(raw={}, origins={}, layers=tuple(layers))
    raw = merged.raw
    rules: list[Any] = []
    for depth, layer in enumerate(layers):
        src = layer.raw
        for top, value in src.items():
            if top == "rules":
                continue
            if top == "ruleset" and isinstance(value, Mapping):
                info = dict(raw.get("ruleset") or {})
                body = {k: v for k, v in value.items() if k not in ("extends", "remove_rules")}
                _merge_table(merged, layer, info, body, ("ruleset",), ("ruleset",))
                raw["ruleset"] = info
                if depth:
                    for required in ("id", "version"):
                        if required not in value:
                            merged.problems.append(
                                (
                                    layer,
                                    ("ruleset", required),
                                    msg("extends_needs_own", key=required),
                                )
                            )
                removals = value.get("remove_rules")
                if removals is not None:
                    _remove(merged, layer, rules, removals, depth)
            elif top in _MERGED_TABLES and isinstance(value, Mapping):
                table = dict(raw.get(top) or {})
                for name, spec in value.items():
                    key: Key = (top, str(name))
                    if isinstance(spec, Mapping) and isinstance(table.get(name), Mapping):
                        entry = dict(table[name])
                        _merge_table(merged, layer, entry, spec, key, key, deep=("values",))
                        table[name] = entry
                    else:
                        _set(merged, layer, key, spec, key)
                        if isinstance(spec, Mapping):
                            entry = {}
                            _merge_table(merged, layer, entry, spec, key, key, deep=("values",))
                            spec = entry
                        table[name] = spec
                raw[top] = table
            elif top == "progress" and isinstance(value, Mapping):
                table = dict(raw.get("progress") or {})
                _merge_table(merged, layer, table, value, ("progress",), ("progress",))
                raw["progress"] = table
            else:
                _set(merged, layer, (str(top),), value, (str(top),), raw.get(top), top in raw)
                raw[top] = value
        _merge_rules(merged, layer, rules, src.get("rules"))
    if rules or any("rules" in layer.raw for layer in layers):
        raw["rules"] = rules
    return merged


def _merge_rules(merged: Merged, layer: Layer, rules: list[Any], entries: object) -> None:
    if entries is None:
        return
    if isinstance(entries, Mapping) and all(isinstance(v, Mapping) for v in entries.values()):
        # [rules.pay] instead of [[rules]]: say so at its line, rather than let the
        # schema report fields the user never wrote.
        for name in entries:
            merged.problems.append(
                (
                    layer,
                    ("rules", str(name)),
                    msg("rules_as_table", name=name),
                )
            )
        return
    if not isinstance(entries, list):
        # Not an array of tables: leave it for validation to report.
        rules[:] = [entries]
        return
    by_id = {_rule_key(r, i): i for i, r in enumerate(rules)}
    own: set[str] = set()
    for position, entry in enumerate(entries):
        rid = _rule_key(entry, position)
        if not isinstance(entry, Mapping) or rid in own:
            # Not a table, or an id used twice in one file: keep it for validation to report.
            rules.append(entry)
            continue
        own.add(rid)
        body = {k: v for k, v in entry.items() if k != "replace"}
        replace = entry.get("replace") is True
        if rid in by_id and not replace:
            current = dict(rules[by_id[rid]])
            changes = {k: v for k, v in body.items() if k != "id"}
            _merge_table(merged, layer, current, changes, ("rules", rid), ("rules", position))
            rules[by_id[rid]] = current
            continue
        for key in [k for k in merged.origins if k[:2] == ("rules", rid)]:
            del merged.origins[key]
        fresh: dict[str, Any] = {}
        _merge_table(merged, layer, fresh, body, ("rules", rid), ("rules", position))
        merged.origins[("rules", rid)] = Origin(
            layer.ruleset, str(layer.path), layer.index.line(("rules", position))
        )
        if rid in by_id:
            rules[by_id[rid]] = fresh
        else:
            by_id[rid] = len(rules)
            rules.append(fresh)


def _remove(merged: Merged, layer: Layer, rules: list[Any], removals: object, depth: int) -> None:
    place = ("ruleset", "remove_rules")
    if not depth:
        merged.problems.append((layer, place, msg("remove_needs_extends")))
        return
    if not isinstance(removals, list):
        merged.problems.append((layer, place, msg("remove_not_list")))
        return
    for rid in removals:
        i = next((i for i, r in enumerate(rules) if _rule_key(r, i) == rid), None)
        if i is None:
            known = ", ".join(_rule_key(r, i) for i, r in enumerate(rules))
            merged.problems.append((layer, place, msg("remove_no_rule", id=repr(rid), known=known)))
            continue
        del rules[i]
        for key in [k for k in merged.origins if k[:2] == ("rules", str(rid))]:
            del merged.origins[key]
