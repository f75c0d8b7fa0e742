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

>>> from compliance.template import write_template
>>> write_template("returns-2008.xlsx", "zhejiang-2007", lang="zh")  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from compliance.catalogue import Catalogue, Field, default_catalogue
from compliance.labels import t
from compliance.labels import unit as unit_label
from compliance.output import atomic_writer
from compliance.render.xlsx.cells import (
    TITLE_FONT,
    WRAP,
    fit_columns,
    header_row,
    put,
)
from compliance.rules.loader import load_ruleset
from compliance.rules.model import Rule, RuleSet

__all__ = ["TemplateLayout", "build_template", "layout", "write_template"]

#: Rows of styled, validated input cells under the header.
DEFAULT_ROWS = 500
_IDENTITY = ("id", "name", "city", "district", "subdistrict")
_REGION = ("city", "district", "subdistrict")

INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")
_EDGE = Side(style="thin", color="D9D9D9")
INPUT_BORDER = Border(left=_EDGE, right=_EDGE, top=_EDGE, bottom=_EDGE)
EXAMPLE_FONT = Font(italic=True, color="595959")

_FORMATS = {"integer": "0", "number": "0.00", "date": "yyyy-mm-dd", "text": "@", "flag": "@"}


_FLAG_CHOICES = {"zh": ("是", "否"), "en": ("yes", "no")}


def _t(key: str, lang: str, **kwargs: object) -> str:
    return t(f"tpl_{key}", lang, **kwargs)


@dataclass(frozen=True)
class TemplateLayout:
    """Which fields go on which sheet."""

    #: Fields of the community sheet, in column order.
    community: tuple[str, ...]
    #: Fields of the sub-district sheet (empty when no rule is checked per sub-district).
    subdistrict: tuple[str, ...]
    #: Field id -> the rules that read it.
    used_by: dict[str, tuple[Rule, ...]]
    #: Field id -> the lookup that can fill it when left blank.
    lookups: dict[str, str]


def layout(
    ruleset: RuleSet, rules: Sequence[Rule] | None = None, catalogue: Catalogue | None = None
) -> TemplateLayout:
    """The columns a rule set's template needs: identity and region fields, then
    every field a chosen rule reads, in rule order."""
    cat = catalogue or default_catalogue()
    chosen = tuple(rules if rules is not None else ruleset.rules)
    used_by: dict[str, list[Rule]] = {}
    community: dict[str, None] = dict.fromkeys(_IDENTITY)
    subdistrict: dict[str, None] = {}
    for r in chosen:
        target = subdistrict if r.level == "subdistrict" else community
        if r.level == "subdistrict" and not subdistrict:
            target.update(dict.fromkeys(_REGION))
        # The scale too: a rule's total (yuan for all workers) needs it.
        for f in dict.fromkeys((*r.fields, *(r.scale.fields if r.scale else ()))):
            used_by.setdefault(f, []).append(r)
            target.setdefault(f, None)
    lookups = {lk.field: lk.id for lk in ruleset.lookups.values() if lk.field in community}
    return TemplateLayout(
        community=tuple(f for f in community if f in cat),
        subdistrict=tuple(f for f in subdistrict if f in cat),
        used_by={f: tuple(rs) for f, rs in used_by.items()},
        lookups=lookups,
    )


def header_text(field: Field, lang: str) -> str:
    """'工作服务用房面积(平方米)' / 'Premises area (m²)': the catalogue's name and its unit."""
    name = field.label(lang)
    u = unit_label(field.unit, lang) if field.unit else ""
    if not u or u.lower() in name.lower():
        # "Households (households)", "总户数(户)": the name already says it.
        return name
    return f"{name}({u})" if lang == "zh" else f"{name} ({u})"


def _validation(field: Field, lang: str) -> DataValidation | None:
    """The Excel data validation for a field's input cells, or None for free text."""
    kind = field.type
    if kind == "integer":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    elif kind == "number":
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    elif kind == "flag":
        yes, no = _FLAG_CHOICES["zh" if lang == "zh" else "en"]
        dv = DataValidation(type="list", formula1=f'"{yes},{no}"')
    elif kind == "date":
        dv = DataValidation(type="date", operator="greaterThan", formula1="1")
    else:
        return None
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.errorTitle = _t("error_title", lang)
    dv.error = _t(f"error_{kind}", lang)
    dv.showInputMessage = True
    dv.promptTitle = field.label(lang)[:32]
    dv.prompt = (field.description_zh if lang == "zh" else field.description_en)[:255]
    return dv


def _data_sheet(ws: Worksheet, fields: Sequence[str], cat: Catalogue, lang: str, rows: int) -> None:
    header_row(ws, 1, [header_text(cat[f], lang) for f in fields])
    for col, fid in enumerate(fields, start=1):
        field = cat[fid]
        letter = get_column_letter(col)
        head = ws.cell(row=1, column=col)
        description = field.description_zh if lang == "zh" else field.description_en
        if description:
            head.comment = Comment(description, "compliance")
        fmt = _FORMATS.get(field.type, "General")
        for r in range(2, rows + 2):
            cell = ws.cell(row=r, column=col)
            cell.fill = INPUT_FILL
            cell.border = INPUT_BORDER
            cell.number_format = fmt
        dv = _validation(field, lang)
        if dv is not None:
            dv.add(f"{letter}2:{letter}{rows + 1}")
            ws.add_data_validation(dv)
    fit_columns(ws, header_row=1, minimum=10, maximum=24)
    ws.freeze_panes = "C2" if len(fields) > 2 else "A2"


def _example_value(field: Field) -> Any:
    value = field.example
    if field.type == "text" and value is not None:
        return str(value)
    return value


def _instructions(
    ws: Worksheet,
    ruleset: RuleSet,
    plan: TemplateLayout,
    cat: Catalogue,
    lang: str,
    sheets: dict[str, str],
) -> None:
    put(
        ws,
        1,
        1,
        _t("title", lang, ruleset=f"{ruleset.title(lang)} ({ruleset.label})"),
        font=TITLE_FONT,
    )
    lines = [_t("intro", lang, sheet=sheets["data"])]
    if plan.subdistrict:
        lines.append(_t("intro_subdistricts", lang, sheet=sheets["subdistricts"]))
    lines.append(_t("intro_check", lang, ruleset=ruleset.id))
    if ruleset.illustrative:
        lines.append(_t("illustrative", lang, ruleset=ruleset.id))
    row = 2
    for line in lines:
        put(ws, row, 1, line, align=Alignment(wrap_text=False, vertical="top"))
        row += 1
    row += 1
    heads = [
        "sheet",
        "column",
        "field",
        "type",
        "unit",
        "required",
        "meaning",
        "standards",
        "example",
    ]
    header_row(ws, row, [_t(h, lang) for h in heads])
    first = row + 1
    row += 1
    for sheet_key, fields in (("data", plan.community), ("subdistricts", plan.subdistrict)):
        for fid in fields:
            field = cat[fid]
            rules = plan.used_by.get(fid, ())
            if fid in _IDENTITY:
                required = _t("identity", lang)
            elif fid in plan.lookups:
                required = _t("optional_lookup", lang, lookup=plan.lookups[fid])
            else:
                required = _t("yes", lang)
            values = [
                sheets[sheet_key],
                header_text(field, lang),
                fid,
                _t(f"type_{field.type}", lang),
                unit_label(field.unit, lang) if field.unit else "",
                required,
                field.description_zh if lang == "zh" else field.description_en,
                "\n".join(f"{r.id}: {r.title(lang)}" for r in rules),
                _example_value(field),
            ]
            for col, value in enumerate(values, start=1):
                put(ws, row, col, value, align=WRAP)
            row += 1
    fit_columns(ws, header_row=first - 1, first_row=first - 1, minimum=8, maximum=48)
    row += 1
    put(ws, row, 1, _t("rules_title", lang, ruleset=ruleset.label), font=Font(bold=True))
    row += 1
    for r in ruleset.rules:
        deadline = f" ({r.deadline})" if r.deadline else ""
        put(ws, row, 2, r.id, font=Font(bold=True))
        put(ws, row, 3, f"{r.title(lang)}{deadline}")
        put(ws, row, 7, f"“{r.citation}”")
        row += 1


def _example(
    ws: Worksheet, fields: Sequence[str], cat: Catalogue, lang: str, data_sheet: str
) -> None:
    put(ws, 1, 1, _t("example_note", lang, sheet=data_sheet), font=EXAMPLE_FONT)
    header_row(ws, 2, [header_text(cat[f], lang) for f in fields])
    for col, fid in enumerate(fields, start=1):
        field = cat[fid]
        value = _example_value(field)
        if field.type == "flag" and isinstance(value, bool):
            value = _FLAG_CHOICES["zh" if lang == "zh" else "en"][0 if value else 1]
        cell = put(ws, 3, col, value, font=EXAMPLE_FONT)
        cell.number_format = _FORMATS.get(field.type, "General")
    fit_columns(ws, header_row=2, first_row=2, minimum=10, maximum=24)


def build_template(
    ruleset: RuleSet,
    *,
    lang: str = "zh",
    rules: Sequence[Rule] | None = None,
    rows: int = DEFAULT_ROWS,
    catalogue: Catalogue | None = None,
) -> Workbook:
    """The template workbook for ``ruleset`` (or the chosen ``rules`` of it)."""
    cat = catalogue or default_catalogue()
    plan = layout(ruleset, rules, cat)
    sheets = {k: _t(k, lang) for k in ("data", "subdistricts", "instructions", "example")}
    wb = Workbook()
    ws = wb.active
    ws.title = sheets["data"]
    _data_sheet(ws, plan.community, cat, lang, rows)
    if plan.subdistrict:
        _data_sheet(wb.create_sheet(sheets["subdistricts"]), plan.subdistrict, cat, lang, rows)
    _instructions(wb.create_sheet(sheets["instructions"]), ruleset, plan, cat, lang, sheets)
    _example(wb.create_sheet(sheets["example"]), plan.community, cat, lang, sheets["data"])
    wb.active = 0
    wb.properties.title = _t("title", lang, ruleset=ruleset.label)
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
