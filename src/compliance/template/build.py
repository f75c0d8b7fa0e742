"""Build a rule set's template workbook and write it atomically."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from compliance.catalogue import Catalogue
from compliance.output import atomic_writer
from compliance.rules.loader import load_ruleset
from compliance.rules.model import Rule, RuleSet
from compliance.template.layout import layout
from compliance.template.sheets import data_sheet, example_sheet, instructions_sheet, tpl_text

#: Rows of styled, validated input cells under the header.
DEFAULT_ROWS = 500


def build_template(
    ruleset: RuleSet,
    *,
    lang: str = "zh",
    rules: Sequence[Rule] | None = None,
    rows: int = DEFAULT_ROWS,
    catalogue: Catalogue | None = None,
) -> Workbook:
    """The template workbook for ``ruleset`` (or the chosen ``rules`` of it)."""
    cat = catalogue or ruleset.catalogue
    plan = layout(ruleset, rules, cat)
    sheets = {k: tpl_text(k, lang) for k in ("data", "subdistricts", "instructions", "example")}
    wb = Workbook()
    ws = wb.active
    ws.title = sheets["data"]
    data_sheet(ws, plan.community, cat, lang, rows)
    if plan.subdistrict:
        data_sheet(wb.create_sheet(sheets["subdistricts"]), plan.subdistrict, cat, lang, rows)
    instructions_sheet(wb.create_sheet(sheets["instructions"]), ruleset, plan, cat, lang, sheets)
    example_sheet(wb.create_sheet(sheets["example"]), plan.community, cat, lang, sheets["data"])
    wb.active = 0
    wb.properties.title = tpl_text("title", lang, ruleset=ruleset.label)
    wb.properties.creator = "compliance"
    return wb


def write_template(
    path: str | os.PathLike[str],
    ruleset: RuleSet | str | os.PathLike[str] = "zhejiang-2007",
    *,
    lang: str = "zh",
    rules: Sequence[Rule] | None = None,
    rows: int = DEFAULT_ROWS,
) -> Path:
    """Write the template for a rule set (by name, path or loaded) to ``path``, atomically."""
    rs = ruleset if isinstance(ruleset, RuleSet) else load_ruleset(ruleset)
    wb = build_template(rs, lang=lang, rules=rules, rows=rows)
    out = Path(path)
    with atomic_writer(out, binary=True) as fh:
        wb.save(fh)
    return out
