"""The CSV report, UTF-8 with a BOM so that Excel opens Chinese right.

Two layouts. ``wide`` (the default, for people in Excel or WPS): one row per
community, with a group of columns per standard (outcome, actual, required,
shortfall). ``long`` (for machines): one row per (community, rule), with the
derivation, reason, cells and notes.

Headers and outcomes are in the report's language; figures are plain numbers
(no thousands separators) so that a spreadsheet reads them as numbers. Text from
the input that a spreadsheet would take for a formula gets a leading apostrophe.

Community codes in the wide layout. A 12-digit code such as 330702001001 opened
from a CSV becomes the number 3.30702E+11 in Excel and WPS (and loses digits past
the 15th, and leading zeros), and a CSV cannot say "this is text". What both
programs keep as text, showing exactly the digits, is the formula ``="330702001001"``;
saving the sheet again writes the plain code. A leading tab or apostrophe is not
an answer: Excel shows the apostrophe of a CSV cell and keeps the tab inside the
value (and both are injection triggers). So the wide layout writes a code that is
all digits as ``="…"``. This is the only formula we write, built by us from a code
checked to be digits only, so it cannot carry a payload; every text from the input
still goes through the injection guard (render/safety.py). The long layout, for
programs, writes codes as plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compliance.render import rows
from compliance.render.csv_cells import BOM, number, write_frame, write_rows
from compliance.render.csv_long import header, long_frames
from compliance.render.csv_wide import wide_frame, wide_header
from compliance.results import Report

if TYPE_CHECKING:
    from typing import TextIO

    from compliance.render import RenderOptions

__all__ = [
    "BOM",
    "header",
    "number",
    "render",
    "render_long",
    "wide_frame",
    "wide_header",
    "write_frame",
    "write_rows",
]


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    """The wide layout (one row per community), or the long one."""
    if options.csv_layout == "long":
        render_long(report, options, out)
        return
    lang = options.lang
    label = report.ruleset.label
    write_rows(out, [wide_header(report, lang)])
    # Sub-districts follow the communities, for rules checked per sub-district.
    for part in (*rows.communities(report), *rows.subdistricts(report)):
        write_frame(out, wide_frame(part, report.rules, lang, label))


def render_long(report: Report, options: RenderOptions, out: TextIO) -> None:
    """Write one row per (community, rule), in input order, then the sub-districts'."""
    lang = options.lang
    label = report.ruleset.label
    write_rows(out, [header(lang)])
    for part in (*rows.communities(report), *rows.subdistricts(report)):
        for frame in long_frames(part, report.rules, lang, label):
            write_frame(out, frame)
