"""Error messages about rule files: where a problem is, what is wrong, and a validation library's words."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "problem": ("{place}{at}：{detail}", "{place}{at}: {detail}"),
    "problems": ("{problems}", "{problems}"),
    "at_line": ("（第 {line} 行）", " (line {line})"),
    "at_file_line": ("（{file} 第 {line} 行）", " ({file} line {line})"),
    "at_file": ("（{file}）", " ({file})"),
    "place_rule": ("规则 {id}", "rule {id}"),
    "place_rule_n": ("第 {n} 条规则", "rule #{n}"),
    "place_check": ("审核 {id}", "check {id}"),
    "place_check_n": ("第 {n} 条审核", "check #{n}"),
    "place_field": ("{head} 的字段 {field}", "{head}, field {field}"),
    "place_key": ("{head} 的 {key}", "{head}, {key}"),
    "place_expr": ("{head} 的 {key} = {source}", "{head}, {key} = {source}"),
    "place_parameter": ("参数 {id}", "parameter {id}"),
    "place_lookup": ("参照表 {id}", "lookup {id}"),
    "place_lookup_entry": ("{head} 的条目 {name}", "{head}, entry {name}"),
    "place_declared_field": ("字段 {id}", "field {id}"),
    "field_builtin": (
        "{id} 是内置字段（{zh}，{en}）；规则文件只能声明新字段：请另选编号",
        "{id} is a built-in field ({zh}, {en}); a rule file declares new fields only: choose another id",
    ),
    "field_header_taken": (
        "{text} 已是字段 {other} 的名称；一个表头只能对应一个字段",
        "{text} already names the field {other}; a header names one field",
    ),
    "id_twice": ("编号重复使用", "the id is used twice"),
    "rule_param_field_name": ("与记录字段同名", "has the name of a record field"),
    "rule_param_choice": (
        "取值 {value} 不在 {choices} 之中",
        "value {value} is not one of {choices}",
    ),
    "rule_stand_in_unread": (
        "规则的表达式没有用到 {field}",
        "{field} is not read by the rule's expressions",
    ),
    "rule_stand_in_kind": (
        "{sub} 不能替代 {field}（未知字段或类型不同）",
        "{sub} cannot stand in for {field} (unknown field or another type)",
    ),
    "rule_params_only": (
        "只能使用参数，不能使用记录字段",
        "must use parameters only, not record fields",
    ),
    "rule_no_stand_in": ("该规则没有 stand_in", "the rule has no stand_in"),
    "rule_tolerance_negative": ("应为 0 或更大，而不是 {value}", "must be 0 or more, not {value}"),
    "rule_per_worker_measure": (
        "measure 必须是单个记录字段，而不是 {source}",
        "the measure must be one record field, not {source}",
    ),
    "progress_no_rule": ("没有规则 {id}", "no rule {id}"),
    "progress_no_parameter": ("没有参数 {id}", "no parameter {id}"),
    "progress_share": (
        "参数 {id} 应为 0 到 1 之间的比例，而不是 {value}",
        "parameter {id} must be a share between 0 and 1, not {value}",
    ),
    "unknown_fields": ("未知的记录字段 {fields}", "unknown record field(s) {fields}"),
    "unknown_field": ("未知的记录字段 {field}", "unknown record field {field}"),
    "check_not_template": (
        "（不是模板：应写 {{field}} 或 {{parameter}}）",
        "(not a template: write {{field}} or {{parameter}})",
    ),
    "check_blocks_advisory": (
        "只有强制性审核才能阻断规则（此项为提示性审核）",
        "only a blocking check blocks rules (this one is advisory)",
    ),
    "check_blocks_subdistrict": (
        "{rule} 是街道规则；审核只能阻断其社区的规则",
        "{rule} is a sub-district rule; a check blocks the rules of its community",
    ),
    "check_blocks_no_rule": (
        "没有规则 {rule}（现有规则：{known}）",
        "no rule {rule} (the rules: {known})",
    ),
    "check_braces": ("大括号中有未知名称：{names}", "unknown name(s) in braces: {names}"),
    "lookup_scope": (
        "{scope} 不是其键字段（{keys}）之一",
        "{scope} is not one of its key fields ({keys})",
    ),
    "lookup_entry_scope": (
        "适用范围 {scope} 不是其键字段（{keys}）之一",
        "scope {scope} is not one of its key fields ({keys})",
    ),
    "lookup_empty_name": ("有一个条目名称为空", "an entry has an empty name"),
    "lookup_not_number": ("{value} 不是数字", "{value} is not a number"),
    "lookup_not_positive": (
        "{field} 应大于 0，而不是 {value}",
        "{field} must be greater than 0, not {value}",
    ),
    "lookup_same_name": ("与 {other} 同名", "the same name as {other}"),
    "extends_needs_own": (
        "继承其他规则集的规则集需要自己的 {key}",
        "a rule set that extends another needs its own {key}",
    ),
    "rules_as_table": (
        '[rules.{name}] 是表格；每条规则应写成一个 [[rules]] 条目，并写 id = "{name}"',
        '[rules.{name}] is a table; write each rule as an [[rules]] entry with id = "{name}"',
    ),
    "remove_needs_extends": ("remove_rules 需要 extends", "remove_rules needs extends"),
    "remove_not_list": ("应为规则编号的列表", "must be a list of rule ids"),
    "remove_no_rule": (
        "没有可删除的规则 {id}（被继承的规则：{known}）",
        "no rule {id} to remove (the extended rules: {known})",
    ),
    "rules_not_utf8": ("规则文件不是 UTF-8 文本", "rule file is not UTF-8 text"),
    "extends_file_missing": (
        "extends {name}：找不到文件 {target}",
        "extends {name}: file {target} not found",
    ),
    "extends_unknown": (
        "extends {name}：没有这个规则集（已知：{known}）",
        "extends {name}: no such rule set (known: {known})",
    ),
    "extends_circle": (
        "extends 循环引用：{names} -> {current}",
        "extends goes round in a circle: {names} -> {current}",
    ),
    "extends_too_deep": ("extends 嵌套超过 {depth} 层", "extends is nested more than {depth} deep"),
    "extends_not_text": (
        "[ruleset] extends：应为规则集名称或路径",
        "[ruleset] extends: must be a rule-set name or path",
    ),
    "rules_file_missing": ("找不到规则文件", "rule file not found"),
    "rules_unknown": (
        "没有名为 {name} 的规则集（已知：{known}）",
        "no rule set named {name} (known: {known})",
    ),
    "none_known": ("无", "none"),
    "as_given": ("{zh}", "{en}"),
    "pyd_missing": ("缺少必填项", "Field required"),
    "pyd_extra_forbidden": ("不允许的键（拼写错误？）", "Extra inputs are not permitted"),
    "pyd_literal_error": ("应为 {expected}", "Input should be {expected}"),
    "pyd_string_type": ("应为文本", "Input should be a valid string"),
    "pyd_int_type": ("应为整数", "Input should be a valid integer"),
    "pyd_int_parsing": ("应为整数", "Input should be a valid integer"),
    "pyd_int_from_float": (
        "应为整数，不能有小数",
        "Input should be a valid integer, got a number with a fractional part",
    ),
    "pyd_float_type": ("应为数字", "Input should be a valid number"),
    "pyd_float_parsing": ("应为数字", "Input should be a valid number"),
    "pyd_bool_type": ("应为 true 或 false", "Input should be a valid boolean"),
    "pyd_bool_parsing": ("应为 true 或 false", "Input should be a valid boolean"),
    "pyd_list_type": ("应为列表", "Input should be a valid list"),
    "pyd_dict_type": ("应为表（table）", "Input should be a valid dictionary"),
    "pyd_model_type": ("应为表（table）", "Input should be a valid dictionary or instance"),
    "pyd_string_too_short": (
        "至少应有 {min_length} 个字符",
        "String should have at least {min_length} characters",
    ),
    "pyd_string_too_long": (
        "最多 {max_length} 个字符",
        "String should have at most {max_length} characters",
    ),
    "pyd_string_pattern_mismatch": (
        "格式不符，应匹配 {pattern}",
        "String should match pattern {pattern}",
    ),
    "pyd_greater_than": ("应大于 {gt}", "Input should be greater than {gt}"),
    "pyd_greater_than_equal": (
        "应大于或等于 {ge}",
        "Input should be greater than or equal to {ge}",
    ),
    "pyd_less_than": ("应小于 {lt}", "Input should be less than {lt}"),
    "pyd_less_than_equal": ("应小于或等于 {le}", "Input should be less than or equal to {le}"),
    "pyd_too_short": ("至少应有 {min_length} 项", "List should have at least {min_length} items"),
    "pyd_date_type": ("应为日期", "Input should be a valid date"),
}
