"""Words of ``compliance progress``: gap closure between two snapshots."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
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
    "pg_total_line_gross": (
        "合计（按总额计）：基期缺口 {baseline} {unit}，已解决 {closed} {unit}（{share}），"
        "另有缺口扩大 {grown} {unit}，现期缺口 {current} {unit}；目标 {target}：{verdict}",
        "In total (gross): {closed} of {baseline} {unit} closed ({share}), and gaps that grew "
        "added {grown} {unit}, so {current} {unit} remain; target {target}: {verdict}",
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
}
