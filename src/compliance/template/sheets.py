"""Write the sheets of a template: the data sheets, the instructions and the example.

Input cells are styled and carry Excel data validation; headers carry the
field's description as a comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from compliance.catalogue import Catalogue, Field
from compliance.labels import t
from compliance.labels import unit as unit_label
from compliance.render.xlsx.cells import TITLE_FONT, WRAP, fit_columns, header_row, put
from compliance.rules.model import RuleSet
from compliance.template.layout import IDENTITY, TemplateLayout, header_text

INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")
_EDGE = Side(style="thin", color="D9D9D9")
INPUT_BORDER = Border(left=_EDGE, right=_EDGE, top=_EDGE, bottom=_EDGE)
EXAMPLE_FONT = Font(italic=True, color="595959")

_FORMATS = {"integer": "0", "number": "0.00", "date": "yyyy-mm-dd", "text": "@", "flag": "@"}


_FLAG_CHOICES = {"zh": ("是", "否"), "en": ("yes", "no")}


def tpl_text(key: str, lang: str, **kwargs: object) -> str:
    """The template text ``tpl_<key>``."""
    return t(f"tpl_{key}", lang, **kwargs)


def validation(field: Field, lang: str) -> DataValidation | None:
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
    dv.errorTitle = tpl_text("error_title", lang)
    dv.error = tpl_text(f"error_{kind}", lang)
    dv.showInputMessage = True
    dv.promptTitle = field.label(lang)[:32]
    dv.prompt = (field.description_zh if lang == "zh" else field.description_en)[:255]
    return dv


def data_sheet(ws: Worksheet, fields: Sequence[str], cat: Catalogue, lang: str, rows: int) -> None:
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
        dv = validation(field, lang)
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


def instructions_sheet(
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
        tpl_text("title", lang, ruleset=f"{ruleset.title(lang)} ({ruleset.label})"),
        font=TITLE_FONT,
    )
    lines = [tpl_text("intro", lang, sheet=sheets["data"])]
    if plan.subdistrict:
        lines.append(tpl_text("intro_subdistricts", lang, sheet=sheets["subdistricts"]))
    lines.append(tpl_text("intro_check", lang, ruleset=ruleset.id))
    if ruleset.illustrative:
        lines.append(tpl_text("illustrative", lang, ruleset=ruleset.id))
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
    header_row(ws, row, [tpl_text(h, lang) for h in heads])
    first = row + 1
    row += 1
    for sheet_key, fields in (("data", plan.community), ("subdistricts", plan.subdistrict)):
        for fid in fields:
            field = cat[fid]
            rules = plan.used_by.get(fid, ())
            if fid in IDENTITY:
                required = tpl_text("identity", lang)
            elif fid in plan.lookups:
                required = tpl_text("optional_lookup", lang, lookup=plan.lookups[fid])
            else:
                required = tpl_text("yes", lang)
            values = [
                sheets[sheet_key],
                header_text(field, lang),
                fid,
                tpl_text(f"type_{field.type}", lang),
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
    put(ws, row, 1, tpl_text("rules_title", lang, ruleset=ruleset.label), font=Font(bold=True))
    row += 1
    for r in ruleset.rules:
        deadline = f" ({r.deadline})" if r.deadline else ""
        put(ws, row, 2, r.id, font=Font(bold=True))
        put(ws, row, 3, f"{r.title(lang)}{deadline}")
        put(ws, row, 7, f"“{r.citation}”")
        row += 1


def example_sheet(
    ws: Worksheet, fields: Sequence[str], cat: Catalogue, lang: str, data_sheet: str
) -> None:
    put(ws, 1, 1, tpl_text("example_note", lang, sheet=data_sheet), font=EXAMPLE_FONT)
    header_row(ws, 2, [header_text(cat[f], lang) for f in fields])
    for col, fid in enumerate(fields, start=1):
        field = cat[fid]
        value = _example_value(field)
        if field.type == "flag" and isinstance(value, bool):
            value = _FLAG_CHOICES["zh" if lang == "zh" else "en"][0 if value else 1]
        cell = put(ws, 3, col, value, font=EXAMPLE_FONT)
        cell.number_format = _FORMATS.get(field.type, "General")
    fit_columns(ws, header_row=2, first_row=2, minimum=10, maximum=24)
