"""Words of the office's review loop: verdicts, notices, duplicates across inputs and
coverage against the expected list.

:data:`COUNTED` holds the texts whose English agrees with a count.
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # --- the verdict per return (compliance.verdict) ---
    "verdict_title": ("审核结论", "Verdict per return"),
    "verdict_accepted": ("审核通过", "accepted"),
    "verdict_accepted_with_notes": ("通过，附说明事项", "accepted with notes"),
    "verdict_returned": ("退回修改", "returned for correction"),
    "verdict_unreadable_file": ("文件无法读取", "the file could not be read"),
    "verdict_line": ("{file}：{status}", "{file}: {status}"),
    "verdict_because": ("（{why}）", " ({why})"),
    "verdict_sep": ("，", ", "),
    # --- duplicates across inputs (compliance.duplicates) ---
    "duplicates_title": ("多个文件中重复的社区", "Communities in more than one input"),
    "duplicates_rule": (
        "每个社区只按一个文件计入汇总：{rule}",
        "each community is counted from one file only: {rule}",
    ),
    "duplicates_rule_text": (
        "文件名标明修改（修改、更正、修订、订正、重报、补正、revised、corrected）的文件优先，否则按输入顺序取后一个文件",
        "a file whose name marks a revision (修改, 更正, 修订, 订正, 重报, 补正, revised, "
        "corrected) wins, otherwise the later input",
    ),
    "duplicates_reason_revision": ("文件名标明修改", "its name marks a revision"),
    "duplicates_reason_later": ("输入顺序在后", "the later input"),
    "duplicate_message": (
        "{name} 在 {dropped}（{dropped_cell}）和 {kept}（{kept_cell}）中重复（按{by}）；按 {kept} 计入（{reason}）",
        "{name} is in {dropped} ({dropped_cell}) and in {kept} ({kept_cell}) (same {by}); "
        "counted from {kept} ({reason})",
    ),
    "duplicate_key_id": ("社区代码", "community code"),
    "duplicate_key_name": ("社区名称和所属区县", "name and district"),
    # --- coverage against the expected list (compliance.coverage) ---
    "coverage_title": ("应报社区核对", "Coverage against the expected list"),
    "coverage_list": ("名单 {file}：应报 {expected} 个社区", "list {file}: {expected} expected"),
    "coverage_missing": ("缺报（名单中有、各文件中没有）", "Missing (on the list, in no input)"),
    "coverage_unexpected": (
        "名单外（文件中有、名单中没有）",
        "Unexpected (in an input, not on the list)",
    ),
    "coverage_district": ("{district}：{names}", "{district}: {names}"),
    "coverage_none": (
        "名单中的社区均已报送，且没有名单外的社区",
        "every listed community is there, and none is extra",
    ),
    "coverage_no_district": ("（未给出区县）", "(no district)"),
    "more_names": ("等另 {n} 个", "and {n} more"),
    # --- the notice sent back with a return (compliance notice) ---
    "notice_title": ("审核意见", "Review notice"),
    "notice_to": ("致：{to}（填报单位）", "To: {to} (reporting unit)"),
    "notice_intro": (
        "贵单位报送的《{file}》已按{ruleset}审核，审核结论：{status}。",
        "Your return {file} was checked against {ruleset}. Verdict: {status}.",
    ),
    "notice_ask": (
        "请对下列各项逐项更正或说明{by}，并将修改后的文件报回。",
        "Please correct or explain each item below{by} and send the corrected file back.",
    ),
    "notice_by": ("，于 {date} 前", " by {date}"),
    "notice_how": (
        "说明可写在核查副本（compliance annotate 生成）的“说明”列，逐行填写；说明不改变达标结论，"
        "强制性审核问题须更正数据。",
        "Explanations go in the 说明 (explanation) column of the marked-up copy made by "
        "compliance annotate, row by row. An explanation changes no outcome; blocking problems "
        "must be corrected in the figures.",
    ),
    "notice_no": ("序号", "No."),
    "notice_cell": ("单元格", "Cell"),
    "notice_row": ("第{row}行", "row {row}"),
    "notice_subtotal_row": ("合计/小计行", "subtotal row"),
    "notice_community": ("社区", "Community"),
    "notice_what": ("标准或审核项目", "Rule or check"),
    "notice_found": ("发现的问题", "What was found"),
    "notice_expected": ("要求", "What is expected"),
    "notice_action": ("处理", "Action"),
    "notice_action_fix": ("更正", "correct"),
    "notice_action_explain": ("更正或说明", "correct or explain"),
    "notice_action_explained": ("已说明", "explained"),
    "notice_none": ("没有需要更正或说明的项目。", "Nothing to correct or explain."),
    "notice_file": ("文件", "File"),
    "notice_data": ("数据", "Data"),
    "notice_expect_file": (
        "重新报送可以打开的文件（未加密的 .xlsx、.xls 或 .csv，表头写明社区名称等各列）",
        "send the return again as a file that opens (an unprotected .xlsx, .xls or .csv whose "
        "header names its columns)",
    ),
    "notice_expect_blocking": (
        "更正数据，使“{check}”成立",
        "correct the figures so that '{check}' holds",
    ),
    "notice_expect_explain": (
        "核实；如数据无误，请在“说明”列写明原因（{check}）",
        "check it; if the figures are right, explain why in the 说明 column ({check})",
    ),
    "notice_explained": ("已说明：{text}", "explained: {text}"),
    "notice_expect_value": ("填写有效的{field}", "a valid {field}"),
    "notice_expect_check": (
        "核实并更正，或在“说明”列说明",
        "check and correct it, or explain it in the 说明 column",
    ),
    "notice_found_empty": ("空白（{rules}需要）", "empty (needed by {rules})"),
    "notice_found_error": ("无法计算：{message}", "cannot be computed: {message}"),
    "notice_expect_error": ("核实据以计算的数字", "check the figures it is computed from"),
    "notice_sha": ("文件 SHA-256", "File SHA-256"),
    "notice_ruleset": ("审核依据", "Checked against"),
    "notice_issued": ("日期", "Date"),
    "notice_reply_by": ("回复期限", "Reply by"),
    "notice_office": ("审核单位", "Reviewing office"),
    "notice_reviewer": ("审核人", "Reviewer"),
    "notice_seal": ("（盖章）", "(seal)"),
    "notice_counts": ("审核结论依据", "What the verdict rests on"),
    "notice_generated": ("由 compliance {version} 生成", "Made by compliance {version}"),
    "notice_page": ("第 &P 页，共 &N 页", "Page &P of &N"),
    "notice_written": ("{file}：{status} → {written}", "{file}: {status} → {written}"),
    "notice_not_needed": ("{file}：{status}，无需通知", "{file}: {status}, no notice needed"),
    "notice_superseded": (
        "{file}：各社区均按 {kept} 计入，无需通知",
        "{file}: every community is counted from {kept}, no notice",
    ),
}

#: Texts whose English agrees with a count (see labels/report.py).
COUNTED: dict[str, tuple[str, str, str, str]] = {
    "verdict_blocking_checks": (
        "n",
        "{n} 项强制性审核未通过",
        "{n} blocking check failed",
        "{n} blocking checks failed",
    ),
    "verdict_unreadable_cells": (
        "n",
        "{n} 个所需单元格无法识别",
        "{n} needed cell unreadable",
        "{n} needed cells unreadable",
    ),
    "verdict_missing_cells": (
        "n",
        "{n} 个所需单元格为空",
        "{n} needed cell empty",
        "{n} needed cells empty",
    ),
    "verdict_uncomputable": (
        "n",
        "{n} 项无法计算",
        "{n} finding cannot be computed",
        "{n} findings cannot be computed",
    ),
    "verdict_advisory": (
        "n",
        "{n} 项提示性审核待说明",
        "{n} advisory item to explain",
        "{n} advisory items to explain",
    ),
    "verdict_explained": ("n", "{n} 项已说明", "{n} item explained", "{n} items explained"),
    "verdict_notes": (
        "n",
        "{n} 条其他数据问题",
        "{n} other note on the data",
        "{n} other notes on the data",
    ),
    "verdict_unsourced": (
        "n",
        "{n} 项缺少有来源的参照数据、无法判断，非填报问题",
        "{n} finding unknown for want of a sourced figure, not the return's fault",
        "{n} findings unknown for want of a sourced figure, not the return's fault",
    ),
    "duplicates_pair": (
        "n",
        "{dropped} 与 {kept} 有 {n} 个相同社区，按 {kept} 计入（{reason}）",
        "{dropped} and {kept} share {n} community; counted from {kept} ({reason})",
        "{dropped} and {kept} share {n} communities; counted from {kept} ({reason})",
    ),
    "coverage_counts": (
        "missing",
        "缺报 {missing} 个，名单外 {unexpected} 个",
        "{missing} missing, {unexpected} unexpected",
        "{missing} missing, {unexpected} unexpected",
    ),
}
