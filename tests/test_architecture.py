"""The package reads as its pipeline: no import circles, no import that runs back up
the layers, and no module too long to read in one sitting.

Imports are found by parsing every module (module-level and function-level
imports alike; only ``if TYPE_CHECKING:`` blocks are left out, since they never
run). Importing ``a.b.c`` also runs the ``__init__`` of ``a.b``, so an import
counts as an import of each package on the way too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import compliance

SRC = Path(compliance.__file__).resolve().parent
MAX_LINES = 300

#: The layers, bottom first. A module may import its own layer and those below it,
#: never one above. Each entry is a module or a package (with all it holds).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # What every layer shares: errors, the record and finding types, the field
    # catalogue, user-facing words, and small date, text, TOML and GC helpers.
    (
        "base",
        (
            "compliance._version",
            "compliance._perf",
            "compliance.errors",
            "compliance.dates",
            "compliance.safetext",
            "compliance.tomlsafe",
            "compliance.catalogue",
            "compliance.model",
            "compliance.labels",
            "compliance.attestation",
        ),
    ),
    # Files to records: format sniffing, hostile-file guards, headers, columns.
    ("reading", ("compliance.reading",)),
    # Rule-set files to compiled rules: finding, reading, validating, compiling.
    ("rules", ("compliance.rules",)),
    # The findings table the engine fills, and the results that hold it (one check,
    # one run). Below the engine because the engine builds them.
    (
        "findings",
        (
            "compliance.findings_schema",
            "compliance.findings_rows",
            "compliance.findings",
            "compliance.results",
            "compliance.findings_subset",
            "compliance.record_values",
        ),
    ),
    # Records x rules to findings: the columnar engine, and what it calls for
    # stand-ins, consistency checks and sub-district rules.
    (
        "engine",
        (
            "compliance.engine",
            "compliance.consistency",
            "compliance.subdistricts",
            "compliance.subtotals",
            "compliance.explanations",
        ),
    ),
    # What is made of a finished run: waivers, the roll-up by region, progress
    # between two runs, and the exit code.
    (
        "judging",
        (
            "compliance.waivers",
            "compliance.summary",
            "compliance.progress",
            "compliance.exitcodes",
            "compliance.verdict",
            "compliance.duplicates",
            "compliance.coverage",
            "compliance.unknowns",
        ),
    ),
    # One module (or package) per output format.
    ("render", ("compliance.render",)),
    # Files written for people: the annotated workbook, input templates, safe writes.
    (
        "files",
        (
            "compliance.annotate",
            "compliance.annotate_columns",
            "compliance.annotate_copy",
            "compliance.notice",
            "compliance.template",
            "compliance.output",
        ),
    ),
    # One input through the pipeline, and many in isolated worker processes.
    (
        "batch",
        (
            "compliance.pipeline",
            "compliance.inputs",
            "compliance.isolation",
            "compliance.batch",
        ),
    ),
    # The Python API, and the package's __init__ that names it lazily.
    ("api", ("compliance.api", "compliance")),
    # The command line: it parses, calls the API and renders.
    ("cli", ("compliance.cli", "compliance.__main__")),
)

#: Modules allowed over MAX_LINES for now, each with its reason. An entry that is
#: no longer needed makes the test fail, so that the list only shrinks.
LONG_MODULES: dict[str, str] = {}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = ["compliance", *path.relative_to(SRC).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    return any(
        isinstance(n, ast.Name | ast.Attribute)
        and (getattr(n, "id", None) or getattr(n, "attr", None)) == "TYPE_CHECKING"
        for n in ast.walk(node.test)
    )


def _import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that can run: all but the body of ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        elif isinstance(child, ast.If) and _is_type_checking(child):
            for other in child.orelse:
                yield from _import_nodes(other)
        else:
            yield from _import_nodes(child)


def _owning_module(name: str) -> str | None:
    while name not in MODULES:
        if "." not in name:
            return None
        name = name.rsplit(".", 1)[0]
    return name


def _imports(module: str, path: Path) -> set[str]:
    """The modules of the package that ``module`` runs when imported (or later, when
    one of its functions runs), with the packages each of them lies in."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names
            ]
        for name in names:
            found = _owning_module(name)
            if found is None:
                continue
            targets.add(found)
            # Importing a.b.c runs a/__init__ and a/b/__init__ first.
            parts = found.split(".")
            targets.update(".".join(parts[:i]) for i in range(1, len(parts)))
    # A module's own packages are running already when it is imported.
    return {t for t in targets if t != module and not module.startswith(t + ".")}


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def _layer_of(module: str) -> int:
    best: tuple[int, int] | None = None  # (length of the matching entry, layer)
    for i, (_, entries) in enumerate(LAYERS):
        for entry in entries:
            # "compliance" is the package's own __init__, not everything in it.
            inside = entry != "compliance" and module.startswith(entry + ".")
            if (module == entry or inside) and (best is None or len(entry) > best[0]):
                best = (len(entry), i)
    if best is None:
        raise LookupError(module)
    return best[1]


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return found


def test_the_finder_sees_every_kind_of_import() -> None:
    # Function-level imports count, and so does the package an import passes through.
    assert "compliance.engine" in GRAPH["compliance.pipeline"]
    assert "compliance.reading.header" in GRAPH["compliance.reading.overrides"]
    # TYPE_CHECKING imports do not: they never run.
    assert "compliance.waivers" not in GRAPH["compliance.results"]


def test_every_module_has_a_layer() -> None:
    unplaced = []
    for module in MODULES:
        try:
            _layer_of(module)
        except LookupError:
            unplaced.append(module)
    assert unplaced == [], f"add these to LAYERS in {Path(__file__).name}: {unplaced}"


def _loop(component: list[str]) -> str:
    """One shortest import loop through a cycle's first module: 'a -> b -> a'."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(GRAPH[v] & members):
            if w == start:
                return " -> ".join([*paths[v], start])
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    raise AssertionError(component)  # pragma: no cover - a component always loops


def test_there_are_no_import_cycles() -> None:
    assert [_loop(c) for c in _cycles()] == []


def test_no_import_runs_back_up_the_layers() -> None:
    upward = [
        f"{m} ({LAYERS[_layer_of(m)][0]}) imports {t} ({LAYERS[_layer_of(t)][0]})"
        for m in sorted(GRAPH)
        for t in sorted(GRAPH[m])
        if _layer_of(t) > _layer_of(m)
    ]
    assert upward == []


@pytest.mark.parametrize("path", sorted(MODULES.values()), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_is_too_long(path: Path) -> None:
    name = path.relative_to(SRC).as_posix()
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if name in LONG_MODULES:
        assert lines > MAX_LINES, f"{name} is {lines} lines now: remove it from LONG_MODULES"
    else:
        assert lines <= MAX_LINES, f"{name} is {lines} lines; split it (at most {MAX_LINES})"


def test_long_modules_names_only_modules_that_exist() -> None:
    assert [n for n in LONG_MODULES if not (SRC / n).is_file()] == []


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    # `compliance --help` imports every command module; none may load a reader, the
    # engine's dataframes, a workbook writer or the rule-file schema at start-up.
    heavy = ("polars", "pyarrow", "pandas", "openpyxl", "fastexcel", "python_calamine", "pydantic")
    code = (
        f"import sys, compliance.cli.app\nprint(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
