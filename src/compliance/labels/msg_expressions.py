"""Error messages of the rule expression language."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "kind_number": ("数字", "number"),
    "kind_bool": ("真/假值", "bool"),
    "kind_text": ("文本", "text"),
    "expr_empty": ("表达式为空", "expression is empty"),
    "expr_too_long_text": (
        "表达式超过 {limit} 个字符",
        "expression is longer than {limit} characters",
    ),
    "expr_nothing_after": (
        "{token}（第 {column} 列）后面缺少内容",
        "{token} (column {column}) has nothing after it",
    ),
    "expr_nothing_before": (
        "{token}（第 {column} 列）前面缺少内容",
        "{token} (column {column}) has nothing before it",
    ),
    "expr_syntax": ("语法错误：{detail}", "syntax error: {detail}"),
    "expr_not_computable": ("无法计算：{why}", "cannot be computed: {why}"),
    "expr_nested": ("表达式嵌套过深", "expression is nested too deeply"),
    "expr_too_deep": ("表达式嵌套超过 {depth} 层", "expression is nested more than {depth} deep"),
    "expr_wrong_kind": (
        "表达式应得出{expect}，实际得出{kind}",
        "expression must give a {expect}, but gives {kind}",
    ),
    "expr_no_attribute": ("不允许访问属性", "attribute access is not allowed"),
    "expr_no_subscript": ("不允许下标", "subscripts are not allowed"),
    "expr_no_lambda": ("不允许 lambda", "lambda is not allowed"),
    "expr_no_comprehension": ("不允许推导式", "comprehensions are not allowed"),
    "expr_no_assignment": ("不允许赋值", "assignment is not allowed"),
    "expr_no_star": ("不允许星号参数", "star arguments are not allowed"),
    "expr_no_fstring": ("不允许 f-字符串", "f-strings are not allowed"),
    "expr_no_list": ("不允许列表", "lists are not allowed"),
    "expr_no_tuple": ("不允许元组", "tuples are not allowed"),
    "expr_no_dict": ("不允许字典", "dicts are not allowed"),
    "expr_no_set": ("不允许集合", "sets are not allowed"),
    "expr_no_await": ("不允许 await", "await is not allowed"),
    "expr_no_yield": ("不允许 yield", "yield is not allowed"),
    "expr_no_slice": ("不允许切片", "slices are not allowed"),
    "expr_unsupported_value": ("不支持的值 {value}", "unsupported value {value}"),
    "expr_unknown_name": (
        "未知的名称 {name}：既不是记录字段，也不是规则集参数或允许的函数{hint}",
        "unknown name {name}: not a record field, rule-set parameter or allowed function{hint}",
    ),
    "expr_too_many_parts": (
        "表达式过长（超过 {limit} 个部分）",
        "expression is too long (more than {limit} parts)",
    ),
    "expr_node_not_allowed": (
        "规则表达式中不允许 {node}",
        "{node} is not allowed in a rule expression",
    ),
    "expr_not_finite": ("数字必须是有限值", "numbers must be finite"),
    "expr_constant": ("不允许常量 {value}", "constant {value} is not allowed"),
    "expr_int_range": (
        "整数常量超出范围（大于 {limit}）",
        "integer constant out of range (more than {limit})",
    ),
    "expr_underscore": (
        "不允许以“_”开头的名称：{name}",
        "names starting with '_' are not allowed: {name}",
    ),
    "expr_call_function": (
        "函数 '{name}' 必须调用，例如 {name}(...)",
        "function '{name}' must be called, e.g. {name}(...)",
    ),
    "expr_operator": (
        "不允许运算符 {op}（可用 + - * / // %）",
        "operator {op} is not allowed (use + - * / // %)",
    ),
    "expr_arith_kinds": (
        "“{sym}”两边都应是数字，而不是{left}和{right}",
        "'{sym}' needs numbers on both sides, not {left} and {right}",
    ),
    "expr_not_needs_bool": (
        "“not”需要真/假值，而不是{kind}",
        "'not' needs a true/false value, not {kind}",
    ),
    "expr_sign_needs_number": ("正负号需要数字，而不是{kind}", "a sign needs a number, not {kind}"),
    "expr_invert": ("不允许运算符 ~", "operator ~ is not allowed"),
    "expr_logic_needs_bool": (
        "“{word}”需要真/假值，而不是{kind}",
        "'{word}' needs true/false values, not {kind}",
    ),
    "expr_order_kinds": (
        "大小比较需要数字，而不是{left}和{right}",
        "ordering comparisons need numbers, not {left} and {right}",
    ),
    "expr_compare_kinds": ("不能比较{left}和{right}", "cannot compare {left} with {right}"),
    "expr_comparison": ("不允许比较 {op}", "comparison {op} is not allowed"),
    "expr_if_condition": (
        "“if”后的条件应为真/假值，而不是{kind}",
        "the condition after 'if' must be true/false, not {kind}",
    ),
    "expr_if_branches": (
        "“if ... else”两个分支应为同一类，而不是{left}和{right}",
        "both branches of 'if ... else' must have one kind, not {left} and {right}",
    ),
    "expr_named_calls": (
        "只能调用有名称的函数，例如 max(a, b)",
        "only named functions can be called, e.g. max(a, b)",
    ),
    "expr_not_a_function": ("{name} 不是函数", "{name} is not a function"),
    "expr_function_not_allowed": (
        "不允许函数 {name}（可用：{allowed}）",
        "function {name} is not allowed (allowed: {allowed})",
    ),
    "expr_keywords": ("{name}() 不接受关键字参数", "{name}() takes no keyword arguments"),
    "expr_at_least": ("至少 {n} 个", "at least {n}"),
    "expr_range": ("{lo} 到 {hi} 个", "{lo} to {hi}"),
    "expr_arg_count": (
        "{name}() 需要 {want} 参数，实际 {n} 个",
        "{name}() takes {want} arguments, got {n}",
    ),
    "expr_arg_kind": (
        "{name}() 的第 {i} 个参数应为{want}，而不是{kind}",
        "argument {i} of {name}() must be a {want}, not {kind}",
    ),
    "expr_rounded_mode": (
        "rounded() 需要取整方式 {modes} 之一，以文本参数给出",
        "rounded() needs a rounding mode of {modes}, given as a text parameter",
    ),
    "expr_round_digits": (
        "round(x, n) 的位数 n 应为 0 到 10 的整数",
        "round(x, n) needs a whole number of digits n from 0 to 10",
    ),
}
