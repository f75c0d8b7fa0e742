"""What `check` and `summary` share: the options that say what to read and which
rules to apply, and the one function that turns them into a checked report."""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, get_type_hints

import typer

from compliance.cli.batch import FailOnOption, JobsOption, check_inputs, progress_enabled
from compliance.cli.options import (
    DEFAULT_RULES,
    AsOfOption,
    CsvLayout,
    CsvLayoutOption,
    LangOption,
    OutputOption,
    RulesOption,
    WaiversOption,
    as_of_date,
    lang_default,
)
from compliance.errors import UsageError
from compliance.exitcodes import FailOn

if TYPE_CHECKING:
    from compliance.model import Report
    from compliance.rules.model import RuleSet

SheetOption = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        metavar="SHEET",
        help="Sheet name or 1-based number (default: the sheet that looks like data).",
    ),
]
ColumnOption = Annotated[
    list[str] | None,
    typer.Option(
        "--column",
        "-c",
        metavar="FIELD=COLUMN",
        help="Map a field to a column letter or header text (or HEADER=FIELD); repeatable.",
    ),
]
MappingOption = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        "-m",
        metavar="FILE",
        help='TOML column mapping: [columns] "表头" = "field", optional sheet and '
        "header_row. --column and --sheet override it.",
    ),
]
MaxCellsOption = Annotated[
    int | None,
    typer.Option(
        "--max-cells",
        metavar="N",
        min=1,
        help="Refuse a sheet larger than N cells (rows × columns; default 30,000,000).",
    ),
]
WorkersOption = Annotated[
    str | None,
    typer.Option(
        "--workers",
        metavar="SHEET|none",
        help="Per-worker roster sheet to roll up (default: a sheet that looks like one; "
        "'none' to ignore rosters).",
    ),
]
SelectOption = Annotated[
    list[str] | None,
    typer.Option(
        "--select", metavar="RULE", help="Only these rule ids (prefix* allowed); repeatable."
    ),
]
IgnoreOption = Annotated[
    list[str] | None,
    typer.Option(
        "--ignore", metavar="RULE", help="Skip these rule ids (prefix* allowed); repeatable."
    ),
]
QuietOption = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="No progress display and no summary line on stderr."),
]


_LETTERS = re.compile(r"[A-Za-z]{1,3}")


def check_columns(columns: dict[str, str], ruleset: RuleSet) -> None:
    """Refuse a --column pair that names no field, with a hint that helps.

    ``-c premises=I`` names a rule, not a field: say which field the rule reads.
    Suggestions come from the side that is not a column letter (``I`` is not a
    misspelt ``id``).
    """
    from compliance.catalogue import default_catalogue

    cat = default_catalogue()
    rules = {r.id: r for r in ruleset.rules}
    for left, right in columns.items():
        if left in cat or right in cat:
            continue
        words = [side for side in (left, right) if not _LETTERS.fullmatch(side)]
        rule = next((rules[w] for w in (left, right) if w in rules), None)
        if rule is not None:
            other = right if left == rule.id else left
            fields = [f for f in rule.fields if f in cat]
            example = f"--column {fields[0]}={other}" if fields else ""
            raise UsageError(
                f"--column {left}={right}: {rule.id} is a rule, not a field; it reads "
                f"{', '.join(fields)}" + (f" (e.g. {example})" if example else "")
            )
        hint = [h for w in words for h in cat.suggest(w)]
        raise UsageError(
            f"--column {left}={right}: neither side is a known field"
            + (f"; did you mean {', '.join(dict.fromkeys(hint))}?" if hint else "")
            + " (`compliance rules show` lists the fields each rule reads)"
        )


def parse_columns(values: list[str]) -> dict[str, str]:
    """``--column`` values as a mapping; each must look like ``A=B``."""
    out: dict[str, str] = {}
    for v in values:
        field, sep, target = v.partition("=")
        if not sep or not field.strip() or not target.strip():
            raise UsageError(
                f"--column {v!r}: expected FIELD=COLUMN, e.g. premises_area=H or premises_area=用房面积"
            )
        out[field.strip()] = target.strip()
    return out


@dataclass(frozen=True, slots=True)
class CheckArgs:
    """The options ``check`` and ``summary`` share: what to read, which rules to apply,
    where to write.

    Each field is a typer option (its annotation) with its default; :func:`check_options`
    adds them all to a command. A new shared option is one field here.
    """

    rules: RulesOption = DEFAULT_RULES
    output: OutputOption = None
    lang: LangOption = None  # type: ignore[assignment]
    sheet: SheetOption = None
    column: ColumnOption = None
    mapping: MappingOption = None
    max_cells: MaxCellsOption = None
    workers: WorkersOption = None
    select: SelectOption = None
    ignore: IgnoreOption = None
    quiet: QuietOption = False
    jobs: JobsOption = None
    fail_on: FailOnOption = FailOn.FAIL
    as_of: AsOfOption = None
    waivers: WaiversOption = None
    csv_layout: CsvLayoutOption = CsvLayout.WIDE

    @property
    def language(self) -> str:
        """The chosen language, or the locale's."""
        return (self.lang or lang_default()).value

    @property
    def outputs(self) -> list[Path]:
        return list(self.output or [])

    def recorded(self) -> dict[str, Any]:
        """The options as the JSON report records them: those given that shape the
        report, as plain values (not where it goes, nor --jobs, which changes nothing)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or value == [] or f.name in _NOT_RECORDED:
                continue
            if isinstance(value, Path):
                value = str(value)
            elif isinstance(value, Enum):
                value = value.value
            elif isinstance(value, list):
                value = [str(v) for v in value]
            out[f.name] = value
        return out


#: Options that do not change what the report says.
_NOT_RECORDED = frozenset({"output", "quiet", "jobs"})

R = TypeVar("R")


def check_options(fn: Callable[..., R]) -> Callable[..., R]:
    """Give a command every :class:`CheckArgs` option; it receives them as ``args``.

    The command's own parameters come first in ``--help``, the shared ones after.
    """
    sig = inspect.signature(fn, eval_str=True)
    own = [p for p in sig.parameters.values() if p.name != "args"]
    hints = get_type_hints(CheckArgs, include_extras=True)
    names = [f.name for f in fields(CheckArgs)]
    shared = [
        inspect.Parameter(
            f.name, inspect.Parameter.KEYWORD_ONLY, default=f.default, annotation=hints[f.name]
        )
        for f in fields(CheckArgs)
    ]

    @functools.wraps(fn)
    def wrapper(*a: Any, **kw: Any) -> R:
        given = {n: kw.pop(n) for n in names if n in kw}
        return fn(*a, args=CheckArgs(**given), **kw)

    params = [*own, *shared]
    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    return wrapper


def run_checks(files: list[Path], args: CheckArgs, extra: dict[str, Any] | None = None) -> Report:
    """Expand the inputs, read and check them, and apply deadlines and waivers.

    ``extra`` holds the command's own options, recorded in the report with the shared
    ones. Refuses (before reading anything) an output that is one of the inputs, a list
    of inputs that names no file at all, and a selection that leaves no rule.
    """
    from compliance import api
    from compliance.batch import expand_inputs, is_pattern
    from compliance.output import guard_inputs

    inputs = expand_inputs(files)
    # One file named on its own is read directly, and says itself that it is missing.
    named = len(files) == 1 and not is_pattern(files[0]) and not files[0].is_dir()
    if not named and all(i.missing for i in inputs):
        raise UsageError("nothing to check: " + "; ".join(f"{i.path}: {i.missing}" for i in inputs))
    for output in args.outputs:
        guard_inputs(output, [i.path for i in inputs])
    ruleset = api.load_ruleset(args.rules)
    chosen = api.select_rules(ruleset, args.select, args.ignore)
    if not chosen:
        raise UsageError(
            "--select/--ignore leave no rule to check; rules: "
            + ", ".join(r.id for r in ruleset.rules)
        )
    columns = parse_columns(args.column or [])
    check_columns(columns, ruleset)
    sheet = args.sheet
    read_options = None
    if args.mapping is not None or args.max_cells is not None or args.workers is not None:
        from compliance.catalogue import default_catalogue
        from compliance.reading import ReadOptions, load_mapping

        mapped = (
            load_mapping(args.mapping, default_catalogue()) if args.mapping is not None else None
        )
        if mapped is not None:
            columns = {**mapped.columns, **columns}
            if sheet is None and mapped.sheet is not None:
                sheet = str(mapped.sheet)
        workers = args.workers
        roster: str | bool | None = False if workers in ("none", "no", "0") else workers
        read_options = ReadOptions(
            header_row=mapped.header_row if mapped is not None else None,
            max_cells=args.max_cells,
            workers=roster,
        )
    when = as_of_date(args.as_of)
    exceptions = None
    if args.waivers is not None:
        from compliance.waivers import load_waivers

        exceptions = load_waivers(args.waivers)
    report = check_inputs(
        files,
        inputs,
        ruleset=ruleset,
        rules=chosen,
        jobs=args.jobs,
        show_progress=progress_enabled(args.quiet),
        lang=args.language,
        check_options={
            "sheet": sheet,
            "columns": columns,
            "as_of": when,
            **({"read_options": read_options} if read_options is not None else {}),
        },
    )
    # Deadlines and waivers decide which shortfalls are failures.
    # The options the run used, for the report (JSON "options"): the shared ones,
    # with the language and date resolved, and the command's own (``extra``).
    used = {**args.recorded(), "lang": args.language, "as_of": when.isoformat()}
    used.update({k: v for k, v in (extra or {}).items() if v not in (None, False, [])})
    report = replace(report, as_of=when, options=used)
    if exceptions is not None:
        from compliance.waivers import apply_waivers

        report = apply_waivers(report, exceptions, when)
    return report
