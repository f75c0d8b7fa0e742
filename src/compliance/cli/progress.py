"""`compliance progress BASELINE CURRENT`: how much of the gap has been closed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from compliance.cli.batch import JobsOption, check_inputs, progress_enabled
from compliance.cli.emit import OUTPUT_HELP, destinations, emit
from compliance.cli.errors import handle_errors
from compliance.cli.options import (
    DEFAULT_RULES,
    AttestationOption,
    FileTimeoutOption,
    LangOption,
    MaxMemoryOption,
    PreparerOption,
    QuietOption,
    ReviewerOption,
    RulesOption,
    UnitOption,
    attestation_from,
    isolation_limits,
    lang_default,
)
from compliance.exitcodes import ExitCode

HELP = """Compare two snapshots of the same communities: how much of a gap was closed.

The 2008 plan asks that 70% of the premises gap (m² short of 350) be closed by
the end of 2008. BASELINE and CURRENT are read and checked as by `compliance
check` (files, folders or glob patterns; quote a pattern). Communities are
matched by community code, falling back to name plus sub-district. For each
region and in total: the baseline and current gaps of the matched communities,
the share closed against the target, and the communities that newly comply,
newly fail, appeared or disappeared. The rule and the target come from the rule
set's [progress] table (premises and 70% for zhejiang-2007); --rule and
--target override them.

The gap is the physical shortfall, whatever the deadline or waivers. A community
unknown in either snapshot, or present in only one, is counted apart and left
out of the closed share. The closed share is net by default (a community whose
gap grew takes that off); --gap-closure gross counts only what was closed.

Then, per standard, the matched communities that newly comply, newly fail,
still fail (with the shortfall improved, worsened or unchanged) or still
comply, and the swings (大起大落): premises area, full-time workers or
households that moved by more than --swing of the baseline (default: the rule
set's swing_share, 50%), each naming both cells.

Exit codes: 0 the total closed share meets the target (or there was no gap);
1 it does not; 2 bad input or usage; 3 internal error.
"""


@handle_errors
def progress_command(
    baseline: Annotated[
        str, typer.Argument(help="The earlier snapshot.", metavar="BASELINE", show_default=False)
    ],
    current: Annotated[
        str, typer.Argument(help="The later snapshot.", metavar="CURRENT", show_default=False)
    ],
    rules: RulesOption = DEFAULT_RULES,
    rule: Annotated[
        str | None,
        typer.Option(
            "--rule",
            metavar="RULE",
            help="The rule whose gap to track (default: the rule set's [progress] rule).",
        ),
    ] = None,
    target: Annotated[
        float | None,
        typer.Option(
            "--target",
            metavar="SHARE",
            help="Share of the baseline gap to close, e.g. 0.7 (default: the rule set's).",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            "-b",
            metavar="city|district|subdistrict",
            help="Region level to group by.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="Output format: table, json, csv, markdown, html or xlsx (xlsx needs --output); "
            "default: the --output file's extension, else table.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="PATH", help=OUTPUT_HELP)
    ] = None,
    lang: LangOption = None,  # type: ignore[assignment]
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet", metavar="SHEET", help="Sheet name or 1-based number in both snapshots."
        ),
    ] = None,
    gap_closure: Annotated[
        str | None,
        typer.Option(
            "--gap-closure",
            metavar="net|gross",
            help="Count the closed share net or gross (default: the rule set's gap_closure).",
        ),
    ] = None,
    swing: Annotated[
        float | None,
        typer.Option(
            "--swing",
            metavar="SHARE",
            help="Flag figures moving by more than this share, e.g. 0.5 (default: the rule set's).",
        ),
    ] = None,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    max_memory: MaxMemoryOption = None,
    file_timeout: FileTimeoutOption = None,
    unit: UnitOption = None,
    preparer: PreparerOption = None,
    reviewer: ReviewerOption = None,
    attestation: AttestationOption = None,
) -> None:
    from compliance import api
    from compliance.inputs import expand_inputs
    from compliance.output import guard_inputs
    from compliance.progress import compare
    from compliance.render import PROGRESS_FORMATS, RenderOptions, get_progress_renderer
    from compliance.render.progress.common import total_line

    language = (lang or lang_default()).value
    # -o progress.html writes HTML, as for check and summary (and -o progress.pdf is refused).
    ((fmt_enum, _),) = destinations(fmt, [output] if output else [], PROGRESS_FORMATS)
    attested = attestation_from(unit, preparer, reviewer, attestation)
    ruleset = api.load_ruleset(rules)
    limits = isolation_limits(max_memory, file_timeout)
    snapshots = []
    for arg in (baseline, current):
        inputs = expand_inputs([arg])
        guard_inputs(
            output,
            [i.path for i in inputs],
            [Path(rules) if Path(rules).is_file() else None, attestation],
        )
        # No --as-of: the gap is the same whatever the deadline.
        snapshots.append(
            check_inputs(
                [Path(arg)],
                inputs,
                ruleset=ruleset,
                rules=ruleset.rules,
                jobs=jobs,
                show_progress=progress_enabled(quiet),
                lang=language,
                check_options={"sheet": sheet},
                limits=limits,
            )
        )
    result = compare(
        snapshots[0],
        snapshots[1],
        rule=rule,
        target=target,
        by=by,
        gap_closure=gap_closure,
        swing_share=swing,
    )
    unreadable = any(s.failures for s in snapshots)
    if unreadable:
        code = ExitCode.INPUT
    else:
        code = ExitCode.FAIL if result.total.met is False else ExitCode.OK
    options = RenderOptions(
        lang=language,
        color=output is None and sys.stdout.isatty(),
        exit_code=int(code),
        attestation=attested,
    )
    render = get_progress_renderer(fmt_enum)
    emit(fmt_enum, output, lambda out: render(result, options, out))
    if not quiet:
        typer.echo(f"{total_line(result, language)} (exit {int(code)})", err=True)
    raise typer.Exit(int(code))
