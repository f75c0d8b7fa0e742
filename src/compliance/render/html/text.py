"""The words of the HTML report that the other formats do not use, and HTML escaping.

Every piece of text that comes from an input (names, cells, raw values, paths)
reaches the page through :func:`esc`; a community called ``<script>`` is shown
as those characters, never run.
"""

from __future__ import annotations

import html

from compliance.labels import t
from compliance.render.safety import printable

_TEXT: dict[str, tuple[str, str]] = {
    "page_check": ("{ruleset}：检查报告", "{ruleset}: check report"),
    "page_summary": ("{ruleset}：缺口汇总", "{ruleset}: shortfall summary"),
    "scorecard": ("各项标准计分卡", "Scorecard by standard"),
    "regions": ("按{level}汇总", "By {level}"),
    "short_list": ("未达标或无法判断的社区", "Communities that fall short or are unknown"),
    "problems": ("数据问题与无法判断项", "Data problems and unknowns"),
    "ruleset": ("规则集与解释口径", "Rule set and interpretation choices"),
    "provenance": ("数据来源与版本", "Provenance"),
    "remediation": ("整改建议", "What to do"),
    "share_of": ("占比", "Share"),
    "evaluated": ("社区数", "Communities"),
    "shortfalls": ("缺口", "Shortfalls"),
    "cells": ("单元格", "Cells"),
    "more_rows": (
        "另有 {n} 项未列出；完整明细见 --format xlsx 或 json。",
        "{n} more not listed; --format xlsx or json has them all.",
    ),
    "none_short": ("没有未达标或无法判断的社区。", "No community falls short or is unknown."),
    "no_problems": ("没有数据问题。", "No data problems."),
    "input": ("输入文件", "Input"),
    "sha256": ("SHA-256", "SHA-256"),
    "ruleset_hash": ("规则集 SHA-256", "Rule-set SHA-256"),
    "options": ("运行选项", "Options"),
    "sheet_header": ("工作表 / 表头行", "Sheet / header rows"),
    "tiles_total": ("检查社区", "Communities checked"),
    "tiles_pass": ("全部达标", "Pass every standard"),
    "tiles_fail": ("有未达标项", "Fail at least one"),
    "tiles_unknown": ("有无法判断项", "Unknown, no failure"),
    "rate_bar": ("达标率", "Compliance rate"),
    "generated": ("由 compliance {version} 生成", "Made by compliance {version}"),
    "no_regions": ("数据未给出地区列。", "The data names no region."),
    "progress_regions": ("各地区进度", "Progress by region"),
    "changes": ("社区变化", "Changes by community"),
    "toc": (
        "目录（按县(市、区)，未达标社区多的在前）",
        "Contents (by district, most failing first)",
    ),
    "toc_counts": ("{n} 个社区，{failing} 个未达标", "{n} communities, {failing} failing"),
    "rest_listed": (
        "本区另有 {n} 个社区未在上表详列，按问题多少列于下（✗ 未达标项数，? 无法判断项数）；"
        "各项缺口见 xlsx 或 json 报告。",
        "{n} more of this district, not detailed above, follow worst first "
        "(✗ standards failed, ? unknown); the xlsx or json report has each shortfall.",
    ),
    "subdistrict_results": ("按街道判断的标准", "Standards judged per sub-district"),
    "verdict_status": ("审核结论", "Verdict"),
    "verdict_why": ("依据", "What it rests on"),
    "run_at": ("生成时间", "Made"),
    "inputs_head": ("输入文件及 SHA-256", "Inputs and their SHA-256"),
    "unknowns_above": (
        "另有 {n} 项无法判断（缺数据），已在上表列出原因和单元格。",
        "{n} findings are unknown (data missing); the table above gives each reason and cell.",
    ),
}


def h(key: str, lang: str, **kwargs: object) -> str:
    """An HTML-report label (falling back to the shared labels), escaped."""
    pair = _TEXT.get(key)
    if pair is None:
        return esc(t(key, lang, **kwargs))
    text = pair[0] if lang == "zh" else pair[1]
    return esc(text.format(**kwargs) if kwargs else text)


def esc(value: object) -> str:
    """Any value as HTML text: markup characters escaped, control characters replaced."""
    if value is None:
        return ""
    return html.escape(printable(str(value)), quote=True)
