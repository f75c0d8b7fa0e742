"""Error messages about finding the table in a sheet, and about side files (mappings, lists, TOML)."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "sheet_no_number": (
        "没有第 {n} 个工作表；工作簿共有 {count} 个",
        "there is no sheet number {n}; the workbook has {count}",
    ),
    "sheet_no_name": (
        "没有名为 {name} 的工作表；现有工作表：{names}",
        "no sheet named {name}; sheets: {names}",
    ),
    "sheets_all_hidden": (
        "所有工作表都是隐藏的（{names}）；请用 --sheet 指定一个",
        "every sheet is hidden ({names}); name one with --sheet to read it",
    ),
    "sheet_header_hidden": (
        "没有可见工作表能识别表头，但隐藏工作表 {name} 可以；请加 --sheet {name} 读取",
        "no visible sheet has a recognisable header, but hidden sheet {name} does; pass --sheet {name} to read it",
    ),
    "sheet_no_rows": (
        "表头（第 {row} 行）下没有数据行",
        "no data rows under the header (row {row})",
    ),
    "sheet_empty": ("工作表为空", "the sheet is empty"),
    "sheet_no_header": (
        "找不到表头行：前 {rows} 行中没有一行能识别出两个已知字段{found}；可用 --column 表头=字段 或 --mapping 文件 指定各列",
        "no header row found: no row in the first {rows} names two known fields{found}; map the columns with --column HEADER=FIELD or --mapping FILE",
    ),
    "found_headers": ("（找到：{headers}）", " (found: {headers})"),
    "header_row_past_end": (
        "表头行第 {row} 行超出了工作表末尾",
        "header row {row} is past the end of the sheet",
    ),
    "mapping_no_header": (
        "列映射 {pair}：第 {row} 行没有表头 {header}{closest}{headers}",
        "column mapping {pair}: no header {header} in row {row}{closest}{headers}",
    ),
    "closest_headers": ("；最接近的：{headers}", "; closest: {headers}"),
    "headers_found": ("；现有表头：{headers}", "; headers: {headers}"),
    "roster_not_a_roster": (
        "不是人员名册：需要姓名列、所属社区列，以及是否专职、报酬或保险列",
        "not a per-worker roster: it needs a name (姓名) column, a community column and full-time, pay or insurance columns",
    ),
    "mapping_no_field": (
        "列映射 {pair}：两边都不是已知字段{hint}",
        "column mapping {pair}: neither side is a known field{hint}",
    ),
    "did_you_mean": ("；是否指 {names}？", "; did you mean {names}?"),
    "mapping_unknown_keys": (
        "未知的键 {keys}；应为 sheet、header_row、[columns]",
        "unknown key(s) {keys}; expected sheet, header_row, [columns]",
    ),
    "mapping_columns": (
        '[columns] 应把表头文字映射到字段名："表头" = "field"',
        '[columns] must map header text to a field id: "表头" = "field"',
    ),
    "mapping_sheet": (
        "sheet 应为工作表名称或从 1 起的序号",
        "sheet must be a name or a 1-based number",
    ),
    "mapping_header_row": (
        "header_row 应为行号（1 或更大）",
        "header_row must be a row number (1 or more)",
    ),
    "what_file": ("文件", "file"),
    "what_rule_file": ("规则文件", "rule file"),
    "what_mapping_file": ("列映射文件", "mapping file"),
    "what_waivers_file": ("豁免文件", "waivers file"),
    "what_expected_list": ("应报社区名单", "expected list"),
    "side_file_not_found": ("找不到{what}", "{what} not found"),
    "side_file_unreadable": ("无法读取{what}：{reason}", "cannot read the {what}: {reason}"),
    "side_file_is_folder": (
        "{what}是文件夹，不是普通文件",
        "the {what} is a folder, not a regular file",
    ),
    "side_file_not_regular": (
        "{what}是设备、管道或套接字，不是普通文件",
        "the {what} is a device, pipe or socket, not a regular file",
    ),
    "side_file_too_large": ("{what}大于 {limit:,} 字节", "{what} is larger than {limit:,} bytes"),
    "side_file_not_utf8": ("{what}不是 UTF-8 文本", "the {what} is not UTF-8 text"),
    "toml_too_deep": (
        "不接受：数组或表格嵌套超过 {depth} 层",
        "not accepted: arrays or tables nested more than {depth} deep",
    ),
    "toml_invalid": ("不是有效的 TOML：{detail}", "not valid TOML: {detail}"),
    "toml_nested": ("不接受：嵌套过深", "not accepted: nested too deeply"),
}
