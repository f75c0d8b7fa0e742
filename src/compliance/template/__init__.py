"""Input templates: a workbook for offices to fill in, made from a rule set.

Most data problems start with a badly made input sheet. The template's data
sheet has one header per field the rule set needs, named as the field
catalogue names it (so the checker reads it back without any mapping), with
the unit in brackets; its input cells are styled and carry Excel data
validation (whole numbers ≥ 0 for counts, decimals ≥ 0 for areas and pay, a
是/否 list for flags, dates for dates). Codes are stored as text so that Excel
keeps their leading zeros. Rule sets with sub-district rules get a second data
sheet, one row per sub-district. An instructions sheet explains each field, its
unit and the standards that use it, and an example sheet shows a filled row.

:mod:`.layout` decides the columns, :mod:`.sheets` writes each sheet and
:mod:`.build` puts the workbook together.

>>> from compliance.template import write_template
>>> write_template("returns-2008.xlsx", "zhejiang-2007", lang="zh")  # doctest: +SKIP
"""

from __future__ import annotations

from compliance.template.build import DEFAULT_ROWS, build_template, write_template
from compliance.template.layout import TemplateLayout, header_text, layout

__all__ = [
    "DEFAULT_ROWS",
    "TemplateLayout",
    "build_template",
    "header_text",
    "layout",
    "write_template",
]
