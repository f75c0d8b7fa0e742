"""What the tool says to people, in Chinese and English.

Every user-facing word goes through :func:`t` so that ``--lang zh|en`` changes
all of it. Identifiers, JSON keys and log lines stay English.
"""

from __future__ import annotations

import locale
import os
from typing import Literal

from compliance.model import Finding, Outcome, Record

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

_TEXT: dict[str, tuple[str, str]] = {
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
    "document": ("文件", "Document"),
    "measure": ("衡量", "Measures"),
    "require": ("要求", "Requires"),
    "unit": ("单位", "Unit"),
    "severity": ("级别", "Severity"),
    "unreadable": ("无法读取的文件", "Inputs that could not be read"),
    # --- batch runs (compliance check with several files, folders or patterns) ---
    "progress_checking": ("正在检查", "Checking"),
    "progress_files": ("{done}/{total} 个文件", "{done}/{total} files"),
    "progress_rows": ("{rows} 行，每秒 {rate} 行", "{rows} rows, {rate} rows/s"),
    "source_sheet": ("工作表 {sheet}，表头第 {rows} 行", "sheet {sheet}, header row {rows}"),
    "illustrative": ("示意性规则集，非官方标准", "illustrative rule set, not an official standard"),
    # --- shortfall summary and report files (compliance summary, csv/markdown/xlsx) ---
    "summary_heading": ("{ruleset}：缺口汇总", "{ruleset}: shortfall summary"),
    "total_row": ("合计", "Total"),
    "not_given": ("（未填）", "(not given)"),
    "communities": ("社区数", "Communities"),
    "compliant": ("全部达标", "Compliant"),
    "compliance_rate": ("达标率", "Compliance rate"),
    "failing": ("未达标", "Failing"),
    "fail_share": ("未达标比例", "Failing share"),
    "gap": ("缺口", "Shortfall"),
    "cost": ("补足资金（元）", "Cost (yuan)"),
    "by_rule_title": ("各项标准缺口（全部社区）", "Shortfall by standard (all communities)"),
    "by_region_title": ("按{level}汇总", "Shortfall by {level}"),
    "headline": (
        "{rule}：{total} 个社区中 {failed} 个未达标（{share}）",
        "{rule}: {failed} of {total} communities fall short ({share})",
    ),
    "summary_legend": (
        "每项标准：缺口合计，及未达标（✗）、未到期限（⏳）与无法判断（?）的社区数；“无法判断”列为有无法判断项但无未达标项的社区",
        "Each standard: the total shortfall, with the communities failing (✗), not yet due (⏳) and unknown (?); "
        "the Unknown column counts communities with unknowns but no failure",
    ),
    "unknown_note": (
        "无法判断（缺数据）的社区不计入缺口和达标数，单独列出。",
        "Unknowns (missing data) count toward neither shortfalls nor compliance; they are shown separately.",
    ),
    "unscaled_note": (
        "{rule}：{n} 个未达标社区未填{field}（数据缺失），未计入总额。",
        "{rule}: the total leaves out {n} failing communities with an empty or unreadable {field} cell.",
    ),
    "unknown_col": ("无法判断", "Unknown"),
    "rule_id": ("规则编号", "Rule id"),
    "total_unit": ("总额单位", "Total unit"),
    "communities_title": ("各社区结果", "Results by community"),
    "headline_pending": (
        "，其中 {n} 个未到期限（{deadline}）",
        "; {n} of them not yet due (deadline {deadline})",
    ),
    "not_yet_due_col": ("未到期限", "Not yet due"),
    "pending_line": ("，未达标但未到期限 {n}", ", {n} short but not yet due"),
    "short_communities": ("未达标社区", "Communities short"),
    "pending_note": (
        "{rule}：{n} 个社区未达标但未到期限，缺口 {gap}，已计入缺口合计。",
        "{rule}: {n} communities are short but not yet due, by {gap}; the shortfall includes them.",
    ),
    "cost_line": (
        "补足{rule}缺口：{gap} 平方米 × {per} 元/平方米 = {cost} 元（{source}）",
        "Closing the {rule} gap: {gap} m² × {per} yuan/m² = {cost} yuan ({source})",
    ),
    "cost_from_option": ("单价来自 --cost-per-m2", "unit cost from --cost-per-m2"),
    "cost_from_ruleset": (
        "单价来自规则集 {ruleset} 参数 {parameter}",
        "unit cost from rule set {ruleset}, parameter {parameter}",
    ),
    "no_cost": (
        "未给出用房单价（--cost-per-m2 或规则集参数 premises_cost_per_m2），不估算资金。",
        "No unit cost of premises given (--cost-per-m2 or the rule-set parameter "
        "premises_cost_per_m2), so no cost is estimated.",
    ),
    "ranking_title": ("{rule}缺口最大的{level}", "Largest {rule} gaps by {level}"),
    "rank": ("排名", "Rank"),
    "gap_share": ("占总缺口", "Share of gap"),
    "region": ("地区", "Region"),
    "cover_ruleset": ("规则集", "Rule set"),
    "cover_inputs": ("输入文件", "Input files"),
    "cover_run": ("运行时间", "Run at"),
    "cover_tool": ("工具版本", "Tool version"),
    "cover_by": ("汇总层级", "Grouped by"),
    "cover_cost": ("用房单价", "Premises unit cost"),
    "file": ("文件", "File"),
    "outcome": ("结果", "Outcome"),
    "actual": ("实际值", "Actual"),
    "required": ("要求值", "Required"),
    "total": ("折合总额", "Scaled total"),
    "derivation": ("计算过程", "Derivation"),
    "reason": ("原因", "Reason"),
    "cell": ("单元格", "Cell"),
    "result": ("总体结果", "Result"),
    "field": ("字段", "Field"),
    "kind": ("类型", "Kind"),
    "problem": ("问题", "Problem"),
    "raw": ("原值", "Value"),
    "data_problem": ("数据问题", "data problem"),
    "sheet_summary": ("汇总", "Summary"),
    "sheet_findings": ("明细", "Findings"),
    "sheet_regions": ("按地区", "By region"),
    "sheet_problems": ("数据问题", "Data problems"),
    "chart_compliance": ("各{level}达标率", "Compliance rate by {level}"),
    "chart_gap": ("各{level}{rule}缺口（{unit}）", "{rule} shortfall by {level} ({unit})"),
    # --- rule sets, waivers, deadlines, sub-district rules, progress, templates ---
    "rulesets_title": ("可用规则集", "Rule sets"),
    "shipped": ("内置", "shipped"),
    "rules_hint": (
        "子命令：list（规则集列表）、show ID、validate FILE、explain RULE --households 2150",
        "subcommands: list, show ID, validate FILE, explain RULE --households 2150",
    ),
    "parameters": ("参数", "Parameters"),
    "lookups": ("参照表", "Reference tables"),
    "rules_heading": ("标准", "Rules"),
    "value": ("取值", "Value"),
    "set_in": ("出处", "Set in"),
    "was": ("原为 {value}（{ruleset}）", "was {value} in {ruleset}"),
    "changed_in": ("{ruleset} 修改了 {keys}", "changed in {ruleset}: {keys}"),
    "extends": ("继承自", "Extends"),
    "deadline": ("期限", "Deadline"),
    "due": ("{date} 到期", "due {date}"),
    "not_yet_due_until": ("未到期限（{date} 到期）", "not yet due (due {date})"),
    "as_of": ("检查日期", "As of"),
    "level": ("层级", "Level"),
    "level_community": ("社区", "community"),
    "level_subdistrict": ("街道", "sub-district"),
    "severity_error": ("错误", "error"),
    "severity_warning": ("警告", "warning"),
    "applies_if": ("适用条件", "Applies if"),
    "source": ("来源", "Source"),
    "entries": ("{n} 项", "{n} entries"),
    "keyed_by": ("按 {keys} 查找", "by {keys}"),
    "progress_target": ("进度目标", "Progress target"),
    "progress_target_text": (
        "到 {due} 解决“{rule}”缺口的 {share}",
        "close {share} of the '{rule}' gap by {due}",
    ),
    "valid": ("{path}：有效，{ruleset}，{n} 条标准", "{path}: valid, {ruleset}, {n} rules"),
    "invalid": ("{path}：{n} 个问题", "{path}: {n} problems"),
    "invalid_one": ("{path}：1 个问题", "{path}: 1 problem"),
    "explain_needs": ("还需给出：{fields}", "also give: {fields}"),
    "explain_with": ("取值", "With"),
    "explain_result": ("结果", "Result"),
    "subdistrict_title": ("街道层级标准", "Sub-district standards"),
    "subdistrict_failing": (
        "{rule}：{failed} 个街道未达标，{unknown} 个无法判断（共 {total} 个）",
        "{rule}: {failed} sub-districts fail, {unknown} unknown, of {total}",
    ),
    "waivers_title": ("豁免", "Waivers"),
    "waiver_applied": ("已适用", "applied"),
    "waiver_expired": ("已过期", "expired"),
    "waiver_unmatched": ("未匹配到社区或标准", "matches no community or rule"),
    "waiver_not_needed": ("未使用（该项未未达标）", "not used (no failure to waive)"),
    "waiver_line": (
        "{community} · {rule}：{status}；{reason}（{authority}，有效期至 {expires}）{where}",
        "{community} · {rule}: {status}; {reason} ({authority}, until {expires}) {where}",
    ),
    # --- compliance progress (gap closure between two snapshots) ---
    "pg_title": ("“{rule}”缺口解决进度", "Progress on '{rule}'"),
    "pg_snapshots": (
        "基期：{baseline}；现期：{current}",
        "Baseline: {baseline}; current: {current}",
    ),
    "pg_target": (
        "目标：到 {due} 解决基期缺口的 {share}（{source}）",
        "Target: close {share} of the baseline gap by {due} ({source})",
    ),
    "pg_target_option": ("--target 指定", "given with --target"),
    "pg_target_param": (
        "规则集 {ruleset} 参数 {parameter}",
        "rule set {ruleset}, parameter {parameter}",
    ),
    "pg_matched": ("匹配社区", "Matched"),
    "pg_baseline_gap": ("基期缺口", "Baseline gap"),
    "pg_current_gap": ("现期缺口", "Current gap"),
    "pg_closed": ("已解决", "Closed"),
    "pg_closed_share": ("解决比例", "Closed share"),
    "pg_target_col": ("目标", "Target"),
    "pg_met": ("是否达到", "Met"),
    "pg_to_close": ("距目标尚差", "Still to close"),
    "pg_newly_compliant": ("新达标", "Newly comply"),
    "pg_newly_failing": ("新未达标", "Newly fail"),
    "pg_still_failing": ("仍未达标", "Still fail"),
    "pg_still_compliant": ("仍达标", "Still comply"),
    "pg_appeared": ("新增", "Appeared"),
    "pg_disappeared": ("减少", "Disappeared"),
    "pg_unknown": ("无法判断", "Unknown"),
    "pg_total_line": (
        "合计：基期缺口 {baseline} {unit}，已解决 {closed} {unit}（{share}），现期缺口 {current} {unit}；"
        "目标 {target}：{verdict}",
        "In total: {closed} of {baseline} {unit} closed ({share}), {current} {unit} remain; "
        "target {target}: {verdict}",
    ),
    "pg_met_yes": ("已达到", "met"),
    "pg_met_no": ("未达到，尚差 {gap} {unit}", "not met, {gap} {unit} short of it"),
    "pg_met_none": ("基期无缺口", "no baseline gap"),
    "pg_matching": (
        "按社区代码匹配 {by_id} 个、按名称和街道匹配 {by_name} 个；新增 {appeared} 个（缺口 {appeared_gap} {unit}），"
        "减少 {disappeared} 个（基期缺口 {disappeared_gap} {unit}），{unknown} 个在某一期无法判断；"
        "这些社区不计入解决比例。",
        "Matched {by_id} communities by code and {by_name} by name and sub-district; "
        "{appeared} appeared (gap {appeared_gap} {unit}), {disappeared} disappeared (baseline gap "
        "{disappeared_gap} {unit}) and {unknown} are unknown in a snapshot; none of these count "
        "toward the closed share.",
    ),
    "pg_duplicates": ("重复使用的社区代码：{codes}", "Community codes used twice: {codes}"),
    "pg_gap_note": (
        "缺口指实际缺少的量：未到期限或已豁免的不达标也计入。",
        "The gap is the physical shortfall: failures not yet due or waived count too.",
    ),
    "pg_list": ("{kind}（{n}）：{names}", "{kind} ({n}): {names}"),
    "pg_sheet_progress": ("进度", "Progress"),
    "pg_sheet_changes": ("社区变化", "Changes"),
    "pg_chart": (
        "各{level}缺口解决比例与目标",
        "Closed share of the gap by {level}, against the target",
    ),
    "pg_change": ("变化", "Change"),
    "pg_matched_by": ("匹配方式", "Matched by"),
    "pg_by_id": ("社区代码", "code"),
    "pg_by_name": ("名称+街道", "name + sub-district"),
    "pg_baseline": ("基期", "Baseline"),
    "pg_current": ("现期", "Current"),
    # --- compliance template (input workbooks) ---
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

#: Texts whose English agrees with a count (Chinese has no plural): the name of the
#: count, the Chinese, the English for a count of 1, the English for any other count.
#: This is gettext's ngettext for two languages; with plural rules this simple a
#: catalogue system would add a build step and nothing else.
_COUNTED: dict[str, tuple[str, str, str, str]] = {
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

#: Units whose English name changes for a quantity of exactly 1.
_UNIT_ONE_EN = {
    "workers": "worker",
    "households": "household",
    "centres": "centre",
    "persons": "person",
}

UNITS: dict[str, tuple[str, str]] = {
    "m2": ("平方米", "m²"),
    "workers": ("人", "workers"),
    "yuan/worker": ("元/人", "yuan/worker"),
    "yuan": ("元", "yuan"),
    "households": ("户", "households"),
    "yuan/month": ("元/月", "yuan/month"),
    "centres": ("个", "centres"),
    "persons": ("人", "persons"),
}

_REASONS: dict[str, tuple[str, str]] = {
    "missing": ("缺少数据：{fields}", "no data: {fields}"),
    "not_applicable": ("条件不成立：{derivation}", "condition not met: {derivation}"),
    "error": ("无法计算：{message}", "cannot compute: {message}"),
}


def default_lang() -> Lang:
    """Chinese when the locale is Chinese, else English; $COMPLIANCE_LANG overrides.

    The POSIX variables come first (``zh_CN.UTF-8``); then the process locale,
    which on Windows reads ``Chinese (Simplified)_China`` with code page 936.
    """
    env = os.environ.get("COMPLIANCE_LANG", "").lower()
    if env in LANGS:
        return "zh" if env == "zh" else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return lang_for_locale(value)
    try:
        name, codepage = locale.getlocale()
    except ValueError:
        name, codepage = None, None
    return lang_for_locale(name or "", codepage or locale.getpreferredencoding(False))


#: Code pages of Chinese locales: GBK/GB18030 (Windows 936), Big5 (950).
_CHINESE_CODEPAGES = ("936", "cp936", "gbk", "gb2312", "gb18030", "950", "cp950", "big5")


def lang_for_locale(name: str, codepage: str = "") -> Lang:
    """The language a locale name implies: ``zh_CN.UTF-8``, ``zh-Hans``,
    ``Chinese (Simplified)_China.936`` or ``Chinese_China`` give Chinese, and so
    does a locale that names no language (empty, ``C``) on a Chinese code page
    (``cp936``); anything else English."""
    text = name.strip().lower()
    if text.startswith(("zh", "chinese")):
        return "zh"
    base, _, page = text.partition(".")
    if base not in ("", "c", "posix"):
        return "en"
    page = (page or codepage).strip().lower().replace("-", "")
    return "zh" if page in _CHINESE_CODEPAGES else "en"


def t(key: str, lang: str, **kwargs: object) -> str:
    """The text ``key`` in ``lang``, filled in; English agrees with its count."""
    if key == "overall":
        return _overall(lang, **kwargs)
    counted = _COUNTED.get(key)
    if counted is not None:
        name, zh, one, other = counted
        text = zh if lang == "zh" else (one if _is_one(kwargs.get(name)) else other)
    else:
        zh, text = _TEXT[key]
        if lang == "zh":
            text = zh
    return text.format(**kwargs) if kwargs else text


def _is_one(n: object) -> bool:
    return isinstance(n, int | float) and not isinstance(n, bool) and n == 1


def _overall(lang: str, **counts: object) -> str:
    """'200 communities: 50 pass every standard, 147 fail at least one, …'."""
    head = t("overall_total", lang, total=counts["total"])
    parts = (
        t("overall_pass", lang, passed=counts["passed"]),
        t("overall_fail", lang, failed=counts["failed"]),
        t("overall_unknown", lang, unknown=counts["unknown"]),
    )
    return f"{head}：{'，'.join(parts)}" if lang == "zh" else f"{head}: {', '.join(parts)}"


def unit(code: str | None, lang: str, n: float | None = None) -> str:
    """A unit's name; with ``n``, the English agrees with it ("1 worker")."""
    if not code:
        return ""
    pair = UNITS.get(code)
    if pair is None:
        return code
    if lang == "zh":
        return pair[0]
    return _UNIT_ONE_EN.get(code, pair[1]) if n is not None and abs(n) == 1 else pair[1]


def quantity(x: float | None, code: str | None, lang: str, *, total: bool = False) -> str:
    """A figure with its unit: '10 m²', '1 worker', '3 workers', '3,127 元/人'; a
    ``total`` with the unit's fixed decimals ('6,451.51 m²', '50.50 m²')."""
    text = figure(x, code) if total else number(x)
    return f"{text} {unit(code, lang, x)}".rstrip()


def outcome(o: Outcome, lang: str) -> str:
    return t(o.value, lang)


def number(x: float | None) -> str:
    """A figure as people write it: 26647, 0.01, 1,234,567."""
    if x is None:
        return ""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


#: Units whose totals are shown with a fixed number of decimals, so that a column of
#: them reads evenly ("1,516.51", "518.50", "528.00" rather than "518.5", "528").
_DECIMALS = {"m2": 2}


def figure(x: float | None, code: str | None) -> str:
    """A total in a unit: fixed decimals where the unit has them (m²), else :func:`number`."""
    places = _DECIMALS.get(code or "")
    if x is None or places is None:
        return number(x)
    return f"{x:,.{places}f}"


def percent(x: float | None) -> str:
    """A share as a percentage with one decimal: 0.40503 -> "40.5%"; "–" for no share
    (nothing to divide by)."""
    return "–" if x is None else f"{x * 100:.1f}%"


def field_label(field_id: str, lang: str) -> str:
    from compliance.catalogue import default_catalogue

    cat = default_catalogue()
    return cat[field_id].label(lang) if field_id in cat else field_id


def not_positive(field_id: str, raw: str) -> tuple[str, str]:
    """The message of a ``not_positive`` data problem: (Chinese, English)."""
    return (
        f"{field_label(field_id, 'zh')}为“{raw}”，应大于 0",
        f"{field_label(field_id, 'en')} is {raw}: it must be greater than 0",
    )


def unsourced(how: str, field_id: str, lang: str) -> str:
    """An ``unsourced:local_avg_wage[义乌市]`` note in words: no sourced figure for the unit."""
    body = how[len("unsourced:") :]
    lookup, _, rest = body.partition("[")
    unit_name = rest.rstrip("]")
    name = field_label(field_id, lang)
    if unit_name.startswith("(") or not unit_name:
        keys = [k for k in unit_name.strip("()").split(",") if k]
        where = ("或".join if lang == "zh" else " or ".join)(
            field_label(k, lang) if lang == "zh" else field_label(k, lang).lower() for k in keys
        )
        return (
            f"{name}：记录未填{where}，无法查参照表 {lookup}"
            if lang == "zh"
            else f"{name}: the record names no {where} to look it up in table {lookup}"
        )
    return (
        f"{name}：{unit_name}没有有来源的数据（参照表 {lookup} 未收录）"
        if lang == "zh"
        else f"{name}: no sourced figure exists for {unit_name} (reference table {lookup})"
    )


def reason(f: Finding, lang: str) -> str:
    """Why a finding is unknown or not applicable, naming the cells."""
    if not f.reason:
        return ""
    if f.reason == "missing":
        why = {
            n.partition("=")[0]: n.partition("=")[2]
            for n in f.notes
            if n.partition("=")[2].startswith("unsourced:")
        }
        parts = [
            unsourced(why[fid], fid, lang)
            if fid in why and not cell
            else f"{field_label(fid, lang)} {cell}".strip()
            for fid, cell in zip(f.missing, f.cells, strict=False)
        ]
        zh, en = _REASONS["missing"]
        return (zh if lang == "zh" else en).format(
            fields="、".join(parts) if lang == "zh" else ", ".join(parts)
        )
    if f.reason == "not_applicable":
        zh, en = _REASONS["not_applicable"]
        return (zh if lang == "zh" else en).format(derivation=f.derivation)
    if f.reason.startswith("not_applicable:"):
        # "not_applicable:<Chinese>|<English>": the rule set's own words for why.
        zh, _, en = f.reason[len("not_applicable:") :].partition("|")
        text = (zh if lang == "zh" else en) or zh or en
        if lang == "zh":
            return f"{t('not_applicable', lang)}：{text}（{f.derivation}）"
        return f"{t('not_applicable', lang)}: {text} ({f.derivation})"
    if f.reason.startswith("waived:"):
        return ("已豁免：" if lang == "zh" else "waived: ") + f.reason[7:]
    if f.reason.startswith("review:"):
        ids = f.reason[7:].replace(",", ", ")
        where = ("、" if lang == "zh" else ", ").join(f.cells)
        if lang == "zh":
            return f"强制性审核 {ids} 未通过，须先更正数据（{where}）"
        return f"blocking check {ids} failed; correct the figures first ({where})"
    if f.reason.startswith("error:"):
        zh, en = _REASONS["error"]
        return (zh if lang == "zh" else en).format(message=f.reason[6:])
    return f.reason


def note(text: str, lang: str) -> str:
    """A finding note ("pay_annual=pay_monthly × 12") in words."""
    target, _, how = text.partition("=")
    if target == "waiver":
        # "waiver=<authority>|<expiry>|<where in the waivers file>"
        authority, _, rest = how.partition("|")
        expires, _, where = rest.partition("|")
        return (
            f"{authority}批准，有效期至 {expires}（{where}）"
            if lang == "zh"
            else f"approved by {authority}, until {expires} ({where})"
        )
    name = field_label(target, lang)
    if how.startswith("unsourced:"):
        return unsourced(how, target, lang)
    if how.startswith("below:"):
        # "below:<short>/<judged>|<cell> (<name>) <value>|...": each worker who falls short.
        count, *workers = how[len("below:") :].split("|")
        short, _, judged = count.partition("/")
        listed = "、".join(workers) if lang == "zh" else ", ".join(workers)
        return (
            f"{judged} 名专职人员中 {short} 名低于要求：{listed}"
            if lang == "zh"
            else f"{short} of {judged} workers below the requirement: {listed}"
        )
    if how.startswith("lookup:"):
        key = how[how.index("[") + 1 : -1] if "[" in how else ""
        return (
            f"{name}按参照表取值（{key}）"
            if lang == "zh"
            else f"{name} from the reference table ({key})"
        )
    src, _, factor = how.partition(" × ")
    if factor:
        return (
            f"{name} = {field_label(src, lang)} × {factor}"
            if lang == "zh"
            else f"{name} = {field_label(src, lang).lower()} × {factor}"
        )
    return f"{name} = {how}"


def record_label(record: Record) -> str:
    return record.name
