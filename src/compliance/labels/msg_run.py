"""Error messages about a run: inputs, workers, waivers, progress, summaries, notices."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "no_column": (
        "没有 {names} 列，规则 {rules} 需要；找到的表头：{found}{hint}",
        "no column for {names}, needed by rule(s) {rules}; headers found: {found}{hint}",
    ),
    "perhaps": ("；也许应 {hints}", "; perhaps {hints}"),
    "no_column_frame": (
        "没有 {names} 列，规则 {rules} 需要；找到的列：{found}",
        "no column for {names}, needed by rule(s) {rules}; columns found: {found}",
    ),
    "annotate_xlsx": (
        "--output {path}：标注后的工作簿须保存为 .xlsx",
        "--output {path}: an annotated workbook is written as .xlsx",
    ),
    "annotate_one": ("annotate 一次只处理一个工作簿", "annotate takes one workbook at a time"),
    "notice_folder": (
        "--output {path}：审核意见写入文件夹，而这是一个文件",
        "--output {path}: notices are written into a folder; this is a file",
    ),
    "notice_mkdir": (
        "--output {path}：无法创建文件夹：{reason}",
        "--output {path}: cannot make the folder: {reason}",
    ),
    "expected_no_list": (
        "找不到社区名单：需要一行表头写明社区名称，可选社区代码和所属区县",
        "no list of communities found: need a header row naming the community (社区名称), and optionally its code (社区代码) and district (所属区县)",
    ),
    "subtotal_check_choice": (
        "参数 {name} = {value}：请从 {choices} 中选择",
        "parameter {name} = {value}: choose one of {choices}",
    ),
    "subtotal_tolerance_bad": (
        "参数 {name} = {value}：应为 0 或更大的数字",
        "parameter {name} = {value}: must be a number of 0 or more",
    ),
    "waiver_missing": ("缺少 {keys}", "missing {keys}"),
    "waiver_not_a_date": (
        "{key} {value} 不是日期（YYYY-MM-DD）",
        "{key} {value} is not a date (YYYY-MM-DD)",
    ),
    "waiver_unknown_table": (
        "未知的表 {name}（应为 [[waivers]]）",
        "unknown table {name} (expected [[waivers]])",
    ),
    "waiver_no_entries": ("没有 [[waivers]] 条目", "no [[waivers]] entries"),
    "waiver_nth": ("{path} 第 {n} 条豁免", "{path} waiver #{n}"),
    "waiver_not_table": ("不是表", "not a table"),
    "waiver_unknown_keys": ("未知的键 {keys}", "unknown key(s) {keys}"),
    "waiver_no_table": (
        "找不到豁免表：需要一行表头写明社区（社区代码或社区名称）、标准和有效期至",
        "no waiver table found: need a header row naming the community (社区代码 or 社区名称), the rule (标准) and the expiry date (有效期至)",
    ),
    "waiver_pattern_matches_none": (
        "标准 {rule} 不匹配任何规则编号",
        "rule {rule} matches no rule id",
    ),
    "waiver_unknown_rule": ("未知标准 {rule}", "unknown rule {rule}"),
    "waiver_rule_accepted": (
        "{what}（可用：{accepted}，或以 * 结尾的编号前缀）",
        "{what} (accepted: {accepted}, or an id prefix ending in *)",
    ),
    "cost_negative": (
        "--cost-per-m2 {value}：应为不小于 0 的数字",
        "--cost-per-m2 {value}: must be a number ≥ 0",
    ),
    "cost_no_m2_rule": (
        "--cost-per-m2：没有以平方米计的已评估规则",
        "--cost-per-m2: no evaluated rule is measured in m²",
    ),
    "cost_parameter": (
        "参数 {name} 应为不小于 0 的数字（元/平方米），而不是 {value}",
        "parameter {name} must be a number ≥ 0 (yuan per m²), not {value}",
    ),
    "by_choice": ("--by {value}：请从 {choices} 中选择", "--by {value}: choose one of {choices}"),
    "by_no_column": (
        "--by {level}：数据中没有 {level} 列（现有：{found}）",
        "--by {level}: the data has no {level} column (found: {found})",
    ),
    "no_region_columns": ("没有地区列", "no region columns"),
    "by_no_column_current": (
        "--by {level}：本期数据中没有 {level} 列",
        "--by {level}: the current snapshot has no {level} column",
    ),
    "progress_no_target": (
        "规则集 {ruleset} 没有 [progress] 目标：请给出 --rule 和 --target",
        "rule set {ruleset} has no [progress] target: give --rule and --target",
    ),
    "progress_rule_not_both": (
        "规则 {id} 没有在两期数据中都评估",
        "rule {id} was not evaluated in both snapshots",
    ),
    "progress_no_rule_target": (
        "{ruleset} 中规则 {id} 没有目标：请给出 --target",
        "no target for rule {id} in {ruleset}: give --target",
    ),
    "progress_target_share": (
        "--target {value}：应为大于 0、不超过 1 的比例（0.7 = 70%）",
        "--target {value}: must be a share above 0 and at most 1 (0.7 = 70%)",
    ),
    "progress_gap_closure": (
        "缺口解决口径 {value}：请选择 net 或 gross",
        "gap closure {value}: choose net or gross",
    ),
    "progress_swing_share": (
        "大起大落阈值 {value}：应为大于 0 的比例（0.5 = 50%）",
        "swing share {value}: must be a share above 0 (0.5 = 50%)",
    ),
    "subdistrict_no_source": (
        "没有 {names} 的列或工作表，街道规则 {ids} 需要：请在每个社区行的所属街道旁填写该数字，或增加一个列出各街道的工作表（所属街道及该数字）",
        "no column or sheet for {names}, needed by sub-district rule(s) {ids}: give the figure on each community row next to 所属街道, or add a sheet listing the sub-districts (所属街道 plus the figure)",
    ),
    "located": ("{where}：{what}", "{where}: {what}"),
    "input_empty_folder": (
        "文件夹中没有 .xlsx、.xlsm、.xls、.xlsb、.ods 或 .csv 文件",
        "no .xlsx, .xlsm, .xls, .xlsb, .ods or .csv files in folder",
    ),
    "input_no_such": ("没有这个文件或文件夹", "no such file or folder"),
    "input_no_match": (
        "该模式没有匹配到任何电子表格或 CSV 文件",
        "the pattern matches no spreadsheet or CSV file",
    ),
    "worker_failed": ("读取进程{what}", "the reader process {what}"),
    "worker_no_reply": ("没有返回结果", "gave no reply"),
    "worker_timeout": ("用时超过 {seconds} 秒", "took longer than {seconds} s"),
    "worker_oom": ("内存不足（上限 {limit}{ulimit}）", "ran out of memory (limit {limit}{ulimit})"),
    "worker_ulimit": (
        "；地址空间被 ulimit -v 限制为 {limit}",
        "; address space limited to {limit} by ulimit -v",
    ),
    "worker_exit": ("意外退出（退出码 {code}）", "exited unexpectedly (exit code {code})"),
    "worker_abort": ("中止（信号 {n}）", "aborted (signal {n})"),
    "worker_crash": ("崩溃（信号 {n}，{name}）", "crashed (signal {n}, {name})"),
    "worker_killed": (
        "被终止（信号 {n}；可能是系统因内存不足而终止）",
        "was killed (signal {n}; perhaps by the system, for lack of memory)",
    ),
    "worker_signal": ("被信号 {n}（{name}）停止", "was stopped by signal {n} ({name})"),
    "worker_malformed": (
        "返回的内容不是检查结果（{why}）",
        "sent back something that is not a check's outcome ({why})",
    ),
}
