"""JUnit XML: one test case per community and rule, which CI systems render.

- one ``<testsuite>`` per input file (named by its path), with the rule set,
  tool version and the file's SHA-256 as ``<properties>``;
- one ``<testcase>`` per community and rule: ``classname`` is the community
  (name and sheet row), ``name`` the rule id;
- a failure is a ``<failure>`` with the shortfall and how the requirement was
  computed; an unknown outcome (missing or unreadable data) is an ``<error>``,
  because it could not be evaluated and is never a pass; not applicable,
  waived and not-yet-due outcomes are ``<skipped>`` with the reason;
- an input that could not be read is a test suite with one errored test case.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from compliance._version import __version__
from compliance.model import Finding, Outcome
from compliance.render.safety import NOT_XML

if TYPE_CHECKING:
    from typing import TextIO

    from compliance.render import RenderOptions
    from compliance.results import CheckResult, Report

# Characters XML 1.0 cannot hold at all, even escaped; a stray one in a cell
# would make the whole file unreadable to a CI system.
_NOT_XML = re.compile(f"[{NOT_XML}]")


def _text(s: object) -> str:
    return escape(_NOT_XML.sub("\ufffd", str(s)))


def _attr(s: object) -> str:
    return quoteattr(_NOT_XML.sub("\ufffd", str(s)))


def _message(f: Finding, unit: str, lang: str) -> str:
    from compliance import labels

    if f.outcome is Outcome.FAIL or f.outcome is Outcome.NOT_YET_DUE:
        short = f"{labels.number(f.shortfall)} {unit}".strip()
        if lang == "zh":
            return (
                f"缺口 {short}（实际 {labels.number(f.actual)}，要求 {labels.number(f.required)}）"
            )
        return f"short {short} (actual {labels.number(f.actual)}, required {labels.number(f.required)})"
    return labels.reason(f, lang) or labels.outcome(f.outcome, lang)


def _details(f: Finding) -> str:
    lines = [f"outcome: {f.outcome.value}"]
    if f.derivation:
        lines.append(f"required: {f.derivation}")
    if f.cells:
        lines.append(f"cells: {', '.join(f.cells)}")
    lines += [f"note: {n}" for n in f.notes]
    return "\n".join(lines)


def _counts(check: CheckResult) -> tuple[int, int, int, int]:
    tests = failures = errors = skipped = 0
    for rr in (*check.results, *check.group_results):
        for f in rr.findings:
            tests += 1
            if f.outcome is Outcome.FAIL:
                failures += 1
            elif f.outcome is Outcome.UNKNOWN:
                errors += 1
            elif f.outcome is not Outcome.PASS:
                skipped += 1
    return tests, failures, errors, skipped


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    """Write the report as a JUnit XML document."""
    from compliance import labels

    lang = options.lang
    units = {r.id: labels.unit(r.unit, lang) for r in report.rules}
    counted = [(c, _counts(c)) for c in report.checks]
    totals = [sum(n[i] for _, n in counted) for i in range(4)]
    totals[0] += len(report.failures)
    totals[2] += len(report.failures)
    stamp = report.started_at.isoformat()
    rs = report.ruleset
    write = out.write
    write('<?xml version="1.0" encoding="UTF-8"?>\n')
    write(
        f'<testsuites name="compliance" tests="{totals[0]}" failures="{totals[1]}" '
        f'errors="{totals[2]}" skipped="{totals[3]}">\n'
    )
    props = [
        ("tool", f"compliance {__version__}"),
        ("ruleset", rs.id),
        ("ruleset.version", rs.version),
        ("ruleset.sha256", rs.sha256),
    ]
    for check, (tests, failures, errors, skipped) in counted:
        src = check.source
        write(
            f'  <testsuite name={_attr(src.path)} tests="{tests}" failures="{failures}" '
            f'errors="{errors}" skipped="{skipped}" timestamp="{stamp}">\n'
        )
        write("    <properties>\n")
        for name, value in [*props, ("input.sha256", src.sha256), ("sheet", src.sheet)]:
            write(f"      <property name={_attr(name)} value={_attr(value)}/>\n")
        write("    </properties>\n")
        # Sub-district results (rules checked per sub-district) are test cases too.
        for rr in (*check.results, *check.group_results):
            rec = rr.record
            classname = _attr(f"{rec.name} [{rec.ref}]")
            for f in rr.findings:
                head = f"    <testcase classname={classname} name={_attr(f.rule)}"
                if f.outcome is Outcome.PASS:
                    write(head + "/>\n")
                    continue
                tag = {Outcome.FAIL: "failure", Outcome.UNKNOWN: "error"}.get(f.outcome, "skipped")
                message = _attr(_message(f, units.get(f.rule, ""), lang))
                body = _text(_details(f))
                write(
                    f"{head}>\n      <{tag} message={message} type={_attr(f.outcome.value)}>"
                    f"{body}</{tag}>\n    </testcase>\n"
                )
        write("  </testsuite>\n")
    for failure in report.failures:
        write(
            f'  <testsuite name={_attr(failure.path)} tests="1" failures="0" errors="1" '
            f'skipped="0" timestamp="{stamp}">\n'
            f'    <testcase classname={_attr(failure.path)} name="read">\n'
            f'      <error message={_attr(failure.message)} type="unreadable"/>\n'
            "    </testcase>\n  </testsuite>\n"
        )
    write("</testsuites>\n")
