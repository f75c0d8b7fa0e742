"""What `check` and `summary` share: the options that say what to read and which
rules to apply, and the one function that turns them into a checked report."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, get_type_hints

import typer

from compliance.cli.batch import FailOnOption, JobsOption, check_inputs, progress_enabled
from compliance.cli.columns import how_to_read
from compliance.cli.options import (
    DEFAULT_RULES,
    AsOfOption,
    AttestationOption,
    CsvLayout,
    CsvLayoutOption,
    ExpectedOption,
    FileTimeoutOption,
    IgnoreOption,
    LangOption,
    MaxMemoryOption,
    OutputOption,
    PreparerOption,
    QuietOption,
    ReviewerOption,
    RulesOption,
    SelectOption,
    UnitOption,
    WaiversOption,
    as_of_date,
    attestation_from,
    isolation_limits,
    lang_default,
)
from compliance.errors import UsageError
from compliance.exitcodes import FailOn
from compliance.labels.messages import Clauses, msg

if TYPE_CHECKING:
    from compliance.attestation import Attestation
    from compliance.results import Report

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
    expected: ExpectedOption = None
    csv_layout: CsvLayoutOption = CsvLayout.WIDE
    max_memory: MaxMemoryOption = None
    file_timeout: FileTimeoutOption = None
    unit: UnitOption = None
    preparer: PreparerOption = None
    reviewer: ReviewerOption = None
    attestation: AttestationOption = None

    @property
    def language(self) -> str:
        """The chosen language, or the locale's."""
        return (self.lang or lang_default()).value

    def attested(self) -> Attestation | None:
        """填表单位, 填表人 and 审核人 from the options and the side file, if any given."""
        return attestation_from(self.unit, self.preparer, self.reviewer, self.attestation)

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
_NOT_RECORDED = frozenset(
    {"output", "quiet", "jobs", "unit", "preparer", "reviewer", "attestation"}
)

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


def single_file(files: list[Path]) -> bool:
    """Whether the run names one file on its own (not a folder or a pattern): then a
    problem with it is the run's error, said in one line."""
    from compliance.inputs import is_pattern

    return len(files) == 1 and not is_pattern(files[0]) and not files[0].is_dir()


def side_files(rules: str, *files: Path | None) -> list[Path | None]:
    """The files besides the inputs that a run reads: a rules file given by path, and
    the mapping and waivers files (``-o`` may name none of them)."""
    rules_path = Path(rules)
    return [rules_path if rules_path.is_file() else None, *files]


def run_checks(files: list[Path], args: CheckArgs, extra: dict[str, Any] | None = None) -> Report:
    """Expand the inputs, read and check them, and apply deadlines and waivers.

    ``extra`` holds the command's own options, recorded in the report with the shared
    ones. Refuses (before reading anything) an output that is one of the inputs, a list
    of inputs that names no file at all, and a selection that leaves no rule.
    """
    from compliance import api
    from compliance.inputs import expand_inputs
    from compliance.output import guard_inputs

    limits = isolation_limits(args.max_memory, args.file_timeout)
    inputs = expand_inputs(files)
    # One file named on its own is read directly, and says itself that it is missing.
    named = single_file(files)
    if not named and all(i.missing for i in inputs):
        raise UsageError(
            "nothing_to_check",
            missing=Clauses(msg("input_missing", path=str(i.path), why=i.missing) for i in inputs),
        )
    for output in args.outputs:
        guard_inputs(
            output,
            [i.path for i in inputs],
            side_files(args.rules, args.mapping, args.waivers, args.expected, args.attestation),
        )
    present = sum(1 for i in inputs if not i.missing)
    if present:
        # The workers start importing their readers while the rule set loads here.
        from compliance.batch import default_jobs
        from compliance.isolation.spares import prestart

        prestart(limits, 1 if named else min(args.jobs or default_jobs(), present))
    ruleset = api.load_ruleset(args.rules)
    from compliance.subtotals import settings

    settings(ruleset)  # a bad subtotal setting is the rule set's error, before any file is read
    chosen = api.select_rules(ruleset, args.select, args.ignore)
    if not chosen:
        raise UsageError("no_rule_selected", ids=", ".join(r.id for r in ruleset.rules))
    sheet, columns, read_options = how_to_read(
        ruleset, args.sheet, args.column, args.mapping, args.max_cells, args.workers
    )
    when = as_of_date(args.as_of)
    exceptions = None
    if args.waivers is not None:
        from compliance.waivers import load_waivers

        exceptions = load_waivers(args.waivers)
    listed = None
    if args.expected is not None:
        from compliance.coverage import load_expected

        listed = load_expected(args.expected)
    report = check_inputs(
        files,
        inputs,
        as_batch=bool(args.outputs),
        limits=limits,
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
    if listed is not None and args.expected is not None:
        from compliance.coverage import cover

        entries, digest = listed
        report = replace(report, coverage=cover(report, entries, str(args.expected), digest))
    return report
