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

import polars as pl

from compliance._version import __version__
from compliance.model import Outcome
from compliance.render import rows as found
from compliance.render.safety import NOT_XML

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import TextIO

    from compliance.render import RenderOptions
    from compliance.results import CheckResult, Report

# Characters XML 1.0 cannot hold at all, even escaped; a stray one in a cell
# would make the whole file unreadable to a CI system.
_NOT_XML = re.compile(f"[{NOT_XML}]")
#: The same for polars, which holds no surrogates (its texts are UTF-8).
_NOT_XML_TEXT = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
#: Communities written at a time: memory follows this, not the sheet.
CHUNK = 10_000
_TAG = {"fail": "failure", "unknown": "error"}


def _text(s: object) -> str:
    return escape(_NOT_XML.sub("\ufffd", str(s)))


def _attr(s: object) -> str:
    return quoteattr(_NOT_XML.sub("\ufffd", str(s)))


def _text_expr(e: pl.Expr) -> pl.Expr:
    """:func:`_text` as an expression (texts with nothing to escape left as they are)."""
    escaped = e.str.replace_all(_NOT_XML_TEXT, "\ufffd")
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        escaped = escaped.str.replace_all(a, b, literal=True)
    odd = e.str.contains_any(["&", "<", ">"]) | e.str.contains(_NOT_XML_TEXT)
    return pl.when(odd).then(escaped).otherwise(e)


def _attr_expr(e: pl.Expr) -> pl.Expr:
    """:func:`_attr` (``quoteattr``) as an expression."""
    e = _text_expr(e)
    odd = e.str.contains_any(["\n", "\r", "\t"])
    escaped = e
    for a, b in (("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;")):
        escaped = escaped.str.replace_all(a, b, literal=True)
    e = pl.when(odd).then(escaped).otherwise(e)
    dq, sq = e.str.contains('"', literal=True), e.str.contains("'", literal=True)
    return (
        pl.when(dq & sq)
        .then(pl.lit('"') + e.str.replace_all('"', "&quot;", literal=True) + pl.lit('"'))
        .when(dq)
        .then(pl.lit("'") + e + pl.lit("'"))
        .otherwise(pl.lit('"') + e + pl.lit('"'))
    )


def _messages(frame: pl.DataFrame, units: dict[str, str], lang: str) -> pl.Series:
    """Each finding's message: the shortfall and figures of a failure (or one not yet
    due), else why (:func:`compliance.labels.reason_text`) or the outcome in words."""
    from compliance import labels

    n = {k: pl.lit(found.number_texts(frame[k])) for k in ("shortfall", "actual", "required")}
    unit = pl.col("rule").replace_strict(units, default="", return_dtype=pl.String)
    short = (n["shortfall"] + pl.lit(" ") + unit).str.strip_chars()
    if lang == "zh":
        gap = pl.concat_str(
            pl.lit("缺口 "), short, pl.lit("（实际 "), n["actual"], pl.lit("，要求 "),
            n["required"], pl.lit("）"),
        )  # fmt: skip
    else:
        gap = pl.concat_str(
            pl.lit("short "), short, pl.lit(" (actual "), n["actual"], pl.lit(", required "),
            n["required"], pl.lit(")"),
        )  # fmt: skip
    with_gap = pl.col("outcome").is_in(("fail", "not_yet_due"))
    said = frame.with_columns(gap.alias("_gap")).with_row_index("_m")
    other = said.filter(~with_gap)
    words = {
        i: labels.reason_text(why, d, c, notes, m, lang) or labels.outcome(Outcome(o), lang)
        for i, o, why, d, c, notes, m in other.select(
            "_m", "outcome", "reason", "derivation", "cells", "notes", "missing"
        ).iter_rows()
    }
    rest = pl.Series("_w", list(words.values()), dtype=pl.String)
    keyed = pl.DataFrame({"_m": pl.Series(list(words), dtype=pl.UInt32), "_w": rest})
    out = said.join(keyed, on="_m", how="left", maintain_order="left")
    return out.select(pl.when(with_gap).then(pl.col("_gap")).otherwise(pl.col("_w"))).to_series()


def _details() -> pl.Expr:
    """outcome, how the requirement was computed, the cells and the notes, a line each."""
    derivation = pl.col("derivation").fill_null("")
    cells, notes = pl.col("cells"), pl.col("notes")
    return pl.concat_str(
        pl.lit("outcome: ") + pl.col("outcome"),
        pl.when(derivation != "").then(pl.lit("\nrequired: ") + derivation).otherwise(pl.lit("")),
        pl.when(cells.list.len() > 0)
        .then(pl.lit("\ncells: ") + cells.list.join(", "))
        .otherwise(pl.lit("")),
        pl.when(notes.list.len() > 0)
        .then(pl.lit("\nnote: ") + notes.list.join("\nnote: "))
        .otherwise(pl.lit("")),
    )


def _cases(part: found.Part, units: dict[str, str], lang: str) -> Iterator[str]:
    """The test cases of a part's findings, a text of :data:`CHUNK` communities at a
    time, in community and then rule-set order; only failures are explained."""
    table = part.table
    rules = list(table.rules)
    order = pl.DataFrame(
        {"rule": rules, "_at": list(range(len(rules))), "_name": [_attr(r) for r in rules]},
        schema={"rule": pl.String, "_at": pl.UInt32, "_name": pl.String},
    )
    row = pl.col("_row").cast(pl.String)
    ref = pl.lit(f"{part.sheet}!") + row if part.sheet else pl.lit("row ") + row
    # The test case's head, once per community: "<testcase classname=… name=".
    heads = found.records([part], found.in_order([part])).select(
        pl.col("_rec"),
        pl.concat_str(
            pl.lit("    <testcase classname="),
            _attr_expr(pl.col("display") + pl.lit(" [") + ref + pl.lit("]")),
            pl.lit(" name="),
        ).alias("_head"),
    )
    for at, rows in table.chunks(CHUNK):
        every = (
            rows.select(pl.col("_rec").cast(pl.UInt32), "rule", "outcome")
            .join(order, on="rule", how="left")
            .sort("_rec", "_at")
            .join(heads.slice(at, CHUNK), on="_rec", how="left", maintain_order="left")
            .with_row_index("_i")
        )
        bad = every.filter(pl.col("outcome") != "pass")
        if bad.height:
            explained = table.explained(rows.filter(pl.col("outcome") != "pass")).select(
                pl.col("_rec").cast(pl.UInt32), pl.exclude("_rec", "outcome", "_within")
            )
            bad = bad.join(explained, on=["_rec", "rule"], how="left", maintain_order="left")
            bad = bad.with_columns(_messages(bad, units, lang).alias("_message")).select(
                "_i", _case().alias("_tail")
            )
        else:
            bad = pl.DataFrame(schema={"_i": pl.UInt32, "_tail": pl.String})
        text = every.join(bad, on="_i", how="left", maintain_order="left").select(
            pl.col("_head") + pl.col("_name") + pl.col("_tail").fill_null("/>\n")
        )
        if text.height:
            yield text.to_series().str.join("").item()


def _case() -> pl.Expr:
    """The rest of a test case that is not a pass, after its name."""
    tag = pl.col("outcome").replace_strict(_TAG, default="skipped", return_dtype=pl.String)
    kind = pl.col("outcome").replace_strict(
        {o.value: _attr(o.value) for o in Outcome}, return_dtype=pl.String
    )
    return pl.concat_str(
        pl.lit(">\n      <"), tag, pl.lit(" message="), _attr_expr(pl.col("_message")),
        pl.lit(" type="), kind, pl.lit(">"), _text_expr(_details()),
        pl.lit("</"), tag, pl.lit(">\n    </testcase>\n"),
    )  # fmt: skip


def _counts(parts: list[found.Part]) -> tuple[int, int, int, int]:
    tests = failures = errors = skipped = 0
    for p in parts:
        for per in p.table.counts().values():
            for outcome, n in per.items():
                tests += n
                if outcome == "fail":
                    failures += n
                elif outcome == "unknown":
                    errors += n
                elif outcome != "pass":
                    skipped += n
    return tests, failures, errors, skipped


def _parts(report: Report) -> list[tuple[CheckResult, list[found.Part]]]:
    """Each check with its communities and (where it has them) its sub-districts."""
    out = []
    for check, part in zip(report.checks, found.communities(report), strict=True):
        extra = found.subdistrict_part(check)
        out.append((check, [part] if extra is None else [part, extra]))
    return out


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    """Write the report as a JUnit XML document."""
    from compliance import labels

    lang = options.lang
    units = {r.id: labels.unit(r.unit, lang) for r in report.rules}
    counted = [(c, parts, _counts(parts)) for c, parts in _parts(report)]
    totals = [sum(n[i] for _, _, n in counted) for i in range(4)]
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
    for check, parts, (tests, failures, errors, skipped) in counted:
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
        for part in parts:
            for text in _cases(part, units, lang):
                write(text)
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
