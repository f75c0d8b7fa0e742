"""Words of the check report: the table, its legend and notes, and batch progress.

:data:`COUNTED` holds the texts whose English agrees with a count.
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "community": ("社区", "Community"),
    "subdistrict": ("街道", "Sub-district"),
    "district": ("县(市、区)", "District"),
    "city": ("市", "City"),
    "row": ("行", "Row"),
    "rule": ("标准", "Standard"),
    "pass": ("达标", "pass"),
    "fail": ("未达标", "fail"),
    "unknown": ("无法判断", "unknown"),
    "not_applicable": ("不适用", "n/a"),
    "waived": ("已豁免", "waived"),
    "not_yet_due": ("未到期限", "not yet due"),
    "shortfall": ("缺口合计", "Total shortfall"),
    "scaled": ("折合", "Scaled total"),
    "summary_title": ("各项标准达标情况", "Results by standard"),
    "table_title": ("{ruleset}：{file}", "{ruleset}: {file}"),
    "interpretations": ("解释口径", "Interpretation choices"),
    "notes": ("说明", "Notes"),
    "problems": ("数据问题", "Data problems"),
    "review": ("审核", "Consistency checks"),
    "more_problems": ("另有 {n} 条，见 --format json", "{n} more: see --format json"),
    "legend": (
        "✓ 达标  ✗ 未达标（数字为缺口）  ? 无法判断（缺数据）  – 不适用  ⏳ 未到期限  W 已豁免",
        "✓ pass  ✗ fail (number = shortfall)  ? unknown (data missing)  – n/a  ⏳ not yet due  W waived",
    ),
    "details_hint": (
        "用 --details 查看每项要求的计算过程",
        "--details shows how each requirement was computed",
    ),
    "details_title": ("未达标与无法判断明细", "Failures and unknowns in detail"),
    "rules_title": ("规则集 {ruleset}", "Rule set {ruleset}"),
    "ruleset_column": ("规则集及版本", "Rule set and version"),
    "citation": ("原文", "Source text"),
    "document": ("依据文件", "Document"),
    "measure": ("衡量", "Measures"),
    "require": ("要求", "Requires"),
    "unit": ("单位", "Unit"),
    "severity": ("级别", "Severity"),
    "unreadable": ("无法读取的文件", "Inputs that could not be read"),
    "no_communities": ("没有检查到任何社区", "no community was checked"),
    "no_communities_unreadable": (
        "没有检查到任何社区：输入文件无法读取（见下文）",
        "no community was checked: the input could not be read (see below)",
    ),
    # --- batch runs (compliance check with several files, folders or patterns) ---
    "progress_checking": ("正在检查", "Checking"),
    "progress_files": ("{done}/{total} 个文件", "{done}/{total} files"),
    "progress_rows": ("{rows} 行，每秒 {rate} 行", "{rows} rows, {rate} rows/s"),
    "source_sheet": ("工作表 {sheet}，表头第 {rows} 行", "sheet {sheet}, header row {rows}"),
    "illustrative": ("示意性规则集，非官方标准", "illustrative rule set, not an official standard"),
}

#: Texts whose English agrees with a count (Chinese has no plural): the name of the
#: count, the Chinese, the English for a count of 1, the English for any other count.
#: This is gettext's ngettext for two languages; with plural rules this simple a
#: catalogue system would add a build step and nothing else.
COUNTED: dict[str, tuple[str, str, str, str]] = {
    "failing_only": (
        "shown",
        "仅列出有缺口或无法判断的 {shown} 个社区（共 {total} 个）；--all 显示全部",
        "showing the {shown} community that falls short or is unknown, of {total}; "
        "--all shows every one",
        "showing the {shown} communities that fall short or are unknown, of {total}; "
        "--all shows every one",
    ),
    "all_pass_rows": (
        "total",
        "全部 {total} 个社区各项达标",
        "the {total} community passes every standard",
        "all {total} communities pass every standard",
    ),
    "overall_total": ("total", "共 {total} 个社区", "{total} community", "{total} communities"),
    "overall_pass": (
        "passed",
        "全部达标 {passed}",
        "{passed} passes every standard",
        "{passed} pass every standard",
    ),
    "overall_fail": (
        "failed",
        "有未达标项 {failed}",
        "{failed} fails at least one",
        "{failed} fail at least one",
    ),
    "overall_unknown": (
        "unknown",
        "有无法判断项（无未达标） {unknown}",
        "{unknown} has unknowns but no failure",
        "{unknown} have unknowns but no failure",
    ),
    "unreadable_count": (
        "n",
        "；{n} 个文件无法读取",
        "; {n} input could not be read",
        "; {n} inputs could not be read",
    ),
    "listed_worst": (
        "shown",
        "列出有缺口或无法判断的 {shown} 个社区（问题多的在前），共 {total} 个",
        "showing the {shown} community that falls short or is unknown (worst first), of {total}",
        "showing the {shown} communities that fall short or are unknown (worst first), of {total}",
    ),
    "more_listed": (
        "n",
        "另有 {n} 个有缺口或无法判断的社区未列出：--limit 0 列出全部，--all 列出所有社区",
        "{n} more community falls short or is unknown: --limit 0 lists them all, "
        "--all lists every community",
        "{n} more communities fall short or are unknown: --limit 0 lists them all, "
        "--all lists every community",
    ),
    "community_count": ("n", "{n} 个社区", "{n} community", "{n} communities"),
}
