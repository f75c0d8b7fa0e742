"""Words of ``compliance template``: the input workbooks offices fill in."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "tpl_data": ("社区情况", "Communities"),
    "tpl_subdistricts": ("街道情况", "Sub-districts"),
    "tpl_instructions": ("填表说明", "Instructions"),
    "tpl_example": ("示例", "Example"),
    "tpl_title": ("{ruleset} 填报表", "{ruleset}: return template"),
    "tpl_intro": (
        "每个社区填一行，填在“{sheet}”工作表。请勿修改、删除或移动表头；单位以表头括号内为准。"
        "不知道的数据请留空，不要填 0 或“无”：空白会被列为“无法判断”，绝不会算作达标。",
        "Fill one row per community on the '{sheet}' sheet. Do not change, delete or move the "
        "headers; units are as given in brackets. Leave unknown figures blank rather than "
        "writing 0 or 'none': a blank is reported as unknown, never as a pass.",
    ),
    "tpl_intro_subdistricts": (
        "每个街道在“{sheet}”工作表填一行。",
        "Fill one row per sub-district on the '{sheet}' sheet.",
    ),
    "tpl_intro_check": (
        "填好后可用 compliance check 文件名 --rules {ruleset} 检查。",
        "When filled in, check it with: compliance check FILE --rules {ruleset}",
    ),
    "tpl_illustrative": (
        "注意：{ruleset} 是示意性规则集，不是正式标准。",
        "Note: {ruleset} is an illustrative rule set, not an official standard.",
    ),
    "tpl_column": ("列标题", "Column header"),
    "tpl_field": ("字段", "Field"),
    "tpl_sheet": ("工作表", "Sheet"),
    "tpl_type": ("类型", "Type"),
    "tpl_unit": ("单位", "Unit"),
    "tpl_meaning": ("说明", "Meaning"),
    "tpl_standards": ("相关标准", "Used by"),
    "tpl_required": ("是否必填", "Required"),
    "tpl_yes": ("必填", "yes"),
    "tpl_identity": ("标识，用于对应社区", "identifies the row"),
    "tpl_optional_lookup": (
        "可留空：按参照表 {lookup} 取值",
        "may be blank: taken from table {lookup}",
    ),
    "tpl_type_integer": ("整数，≥0", "whole number ≥ 0"),
    "tpl_type_number": ("数值，≥0", "number ≥ 0"),
    "tpl_type_text": ("文字", "text"),
    "tpl_type_flag": ("是/否", "yes/no"),
    "tpl_type_date": ("日期", "date"),
    "tpl_rules_title": ("规则集 {ruleset} 的标准", "The standards of {ruleset}"),
    "tpl_example_note": (
        "下面是一行填好的示例，仅供参考；请在“{sheet}”工作表填写本单位数据。",
        "A filled-in row, for reference only; enter your own figures on the '{sheet}' sheet.",
    ),
    "tpl_error_title": ("输入有误", "Invalid entry"),
    "tpl_error_integer": ("请填写不小于 0 的整数。", "Enter a whole number of 0 or more."),
    "tpl_error_number": ("请填写不小于 0 的数值。", "Enter a number of 0 or more."),
    "tpl_error_flag": ("请选择“是”或“否”。", "Choose yes or no."),
    "tpl_error_date": ("请填写日期，如 2008-01-15。", "Enter a date such as 2008-01-15."),
}
