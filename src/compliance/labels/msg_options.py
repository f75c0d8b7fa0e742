"""Error messages about options, outputs and the command line itself."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "explain_unknown_field": ("未知字段 {name}{hint}", "unknown field {name}{hint}"),
    "explain_bad_value": ("{field} = {value}：{why}", "{field} = {value}: {why}"),
    "no_such_rule": (
        "{ruleset} 中没有规则 {id}；现有规则：{ids}",
        "no rule {id} in {ruleset}; rules: {ids}",
    ),
    "api_format_choice": (
        "格式 {value}：请从 {choices} 中选择",
        "format {value}: choose one of {choices}",
    ),
    "api_format_binary": (
        "格式 {value} 为二进制：请给出路径或二进制文件作为 out",
        "format {value}: binary, give a path or a binary file as out",
    ),
    "write_failed": ("无法写入 {path}：{reason}", "cannot write {path}: {reason}"),
    "write_stdout_failed": (
        "无法写入标准输出：{reason}",
        "cannot write to standard output: {reason}",
    ),
    "write_folder": (
        "无法写入 {path}：这是文件夹；请给出文件名",
        "cannot write {path}: it is a folder; give a file name",
    ),
    "write_not_regular": (
        "无法写入 {path}：不是普通文件（是设备、管道或套接字）",
        "cannot write {path}: not a regular file (a device, pipe or socket)",
    ),
    "write_no_folder": (
        "无法写入 {path}：文件夹 {folder} 不存在",
        "cannot write {path}: folder {folder} does not exist",
    ),
    "output_is_input": (
        "--output {path} 是本次运行读取的文件之一；拒绝覆盖",
        "--output {path} is one of the files this run reads; refusing to overwrite it",
    ),
    "output_pdf": (
        "--output {path}：不生成 PDF；请写出 HTML 报告（-o {html}），在浏览器中打开后打印为 PDF",
        "--output {path}: PDF is not written; write the HTML report (-o {html}), open it in a browser and print it to PDF",
    ),
    "output_not_written": (
        "--output {path}：不生成 {suffix} 文件；请用 -o {instead}",
        "--output {path}: {suffix} files are not written; use -o {instead}",
    ),
    "format_choice": (
        "--format {value}：请从 {choices} 中选择",
        "--format {value}: choose one of {choices}",
    ),
    "format_needs_output": (
        "--format {format} 写出的是文件：请给出 --output，例如 -o report.{format}",
        "--format {format} writes a file: give --output, e.g. -o report.{format}",
    ),
    "output_format_not_here": (
        "--output {path}：本命令不生成 {format}；可生成 {choices}",
        "--output {path}: this command does not write {format}; it writes {choices}",
    ),
    "output_unknown_extension": (
        "--output {path}：无法从扩展名判断格式；请用 {extensions} 之一",
        "--output {path}: cannot tell the format from the extension; use one of {extensions}",
    ),
    "output_twice": ("--output {path} 给了两次", "--output {path} is given twice"),
    "as_of_not_a_date": (
        "--as-of {value}：不是日期；请写成 {forms}",
        "--as-of {value}: not a date; use {forms}",
    ),
    "max_memory_bad": (
        "--max-memory {value} 不是大小；例如 4G、512M",
        "--max-memory {value} is not a size; use e.g. 4G, 512M",
    ),
    "max_memory_zero": (
        "--max-memory {value}：大小必须大于 0",
        "--max-memory {value}: the size must be above zero",
    ),
    "nothing_to_check": ("没有可检查的文件：{missing}", "nothing to check: {missing}"),
    "input_missing": ("{path}：{why}", "{path}: {why}"),
    "no_rule_selected": (
        "--select/--ignore 之后没有可检查的规则；现有规则：{ids}",
        "--select/--ignore leave no rule to check; rules: {ids}",
    ),
    "column_is_rule": (
        "--column {pair}：{rule} 是规则，不是字段；它读取 {fields}{example}",
        "--column {pair}: {rule} is a rule, not a field; it reads {fields}{example}",
    ),
    "for_example": ("（例如 {text}）", " (e.g. {text})"),
    "column_no_field": (
        "--column {pair}：两边都不是已知字段{hint}（`compliance rules show` 列出每条规则读取的字段）",
        "--column {pair}: neither side is a known field{hint} (`compliance rules show` lists the fields each rule reads)",
    ),
    "column_pair": (
        "--column {value}：应为 字段=列，例如 premises_area=H 或 premises_area=用房面积",
        "--column {value}: expected FIELD=COLUMN, e.g. premises_area=H or premises_area=用房面积",
    ),
    "rules_format": (
        "--format {value}：请选择 table 或 json",
        "--format {value}: choose table or json",
    ),
    "explain_needs_value": (
        "{arg}：请给出取值，例如 {arg} 2150",
        "{arg}: give a value, e.g. {arg} 2150",
    ),
    "explain_pair": (
        "{arg}：应为 字段=取值 或 --字段 取值",
        "{arg}: expected FIELD=VALUE or --FIELD VALUE",
    ),
    "template_xlsx": (
        "{path}：模板是 .xlsx 工作簿；请命名为 *.xlsx",
        "{path}: the template is an .xlsx workbook; name it *.xlsx",
    ),
    "template_exists": (
        "{path} 已存在；要覆盖请加 --force",
        "{path} exists; use --force to overwrite it",
    ),
    "summary_format": (
        "--format {format}：汇总可生成 {choices}",
        "--format {format}: the summary is written as {choices}",
    ),
    "progress_format": (
        "--format {format}：进度可生成 {choices}",
        "--format {format}: progress is written as {choices}",
    ),
    "error_line": ("compliance: 错误：{text}", "compliance: error: {text}"),
    "interrupted": ("compliance: 已中断", "compliance: interrupted"),
    "terminated": ("compliance: 被信号 {n} 终止", "compliance: terminated by signal {n}"),
    "internal_error": (
        "内部错误：{kind}: {detail}（这是程序错误；设置 COMPLIANCE_DEBUG=1 可查看调用栈，请报告此问题）",
        "internal error: {kind}: {detail} (this is a bug; set COMPLIANCE_DEBUG=1 for the traceback and please report it)",
    ),
    "attestation_too_big": (
        "署名文件不应超过 {limit} 字节",
        "an attestation file is at most {limit} bytes",
    ),
    "attestation_unreadable": (
        "无法读取署名文件：{reason}",
        "cannot read the attestation file: {reason}",
    ),
    "attestation_unparsable": (
        "署名文件不是有效的 TOML 或 JSON：{reason}",
        "the attestation file is not valid TOML or JSON: {reason}",
    ),
    "attestation_unknown_key": (
        "署名文件中的 {key} 不是可用的项目；可用：{keys}",
        "{key} is not an attestation field; use {keys}",
    ),
    "attestation_not_text": (
        "署名文件中的 {key} 应为文字",
        "{key} in the attestation file must be text",
    ),
}
