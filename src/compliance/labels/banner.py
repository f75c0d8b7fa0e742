"""Words of the banner at the top of every report (what needs attention first), and
of the attestation lines under a report's title.

:data:`COUNTED` holds the texts whose English agrees with a count.
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "banner_title": ("需要注意", "Needs attention"),
    "banner_sep": ("、", ", "),
    "banner_more_files": ("等 {n} 个文件", "and {n} more files"),
    "banner_no_unit": ("未填所属地区的社区", "communities that name no area"),
    "banner_by": ("（{files}）", " ({files})"),
    # --- who vouches for a report (compliance.attestation) ---
    "attest_unit": ("填表单位", "Reporting unit (填表单位)"),
    "attest_preparer": ("填表人", "Prepared by (填表人)"),
    "attest_reviewer": ("审核人", "Reviewed by (审核人)"),
}

COUNTED: dict[str, tuple[str, str, str, str]] = {
    "banner_unreadable": (
        "n",
        "{n} 个文件无法读取：{files}；以下数字不含这些文件",
        "{n} input could not be read: {files}; the figures below leave it out",
        "{n} inputs could not be read: {files}; the figures below leave them out",
    ),
    "banner_returned": (
        "n",
        "{n} 份报表需退回修改：{files}",
        "{n} return to send back for correction: {files}",
        "{n} returns to send back for correction: {files}",
    ),
    "banner_unsourced": (
        "n",
        "{units}：没有有来源的{field}；{n} 个社区的{rules}未判断",
        "{units}: no sourced {field}; {rules} not judged for {n} community",
        "{units}: no sourced {field}; {rules} not judged for {n} communities",
    ),
    "banner_missing": (
        "n",
        "所需单元格为空或无法识别（{fields}）：{n} 个社区的{rules}未判断{by}",
        "Needed cells empty or unreadable ({fields}): {rules} not judged for {n} community{by}",
        "Needed cells empty or unreadable ({fields}): {rules} not judged for {n} communities{by}",
    ),
    "banner_blocking": (
        "n",
        "强制性审核未通过：{n} 个社区的{rules}未判断{by}",
        "a blocking check failed: {rules} not judged for {n} community{by}",
        "blocking checks failed: {rules} not judged for {n} communities{by}",
    ),
    "banner_error": (
        "n",
        "无法计算：{n} 个社区的{rules}{by}",
        "cannot be computed: {rules} for {n} community{by}",
        "cannot be computed: {rules} for {n} communities{by}",
    ),
    "banner_advisory": (
        "n",
        "{n} 项提示性审核待说明{by}",
        "{n} advisory item to explain{by}",
        "{n} advisory items to explain{by}",
    ),
    "banner_explained": (
        "n",
        "{n} 项提示性审核已说明{by}",
        "{n} advisory item explained{by}",
        "{n} advisory items explained{by}",
    ),
    "banner_duplicates": (
        "n",
        "{n} 个社区在多个文件中重复，只计一次：{pairs}",
        "{n} community is in more than one input and is counted once: {pairs}",
        "{n} communities are in more than one input and are counted once: {pairs}",
    ),
    "banner_duplicate_pair": (
        "n",
        "{dropped} 与 {kept}（{n} 个，按 {kept} 计）",
        "{dropped} and {kept} ({n}, counted from {kept})",
        "{dropped} and {kept} ({n}, counted from {kept})",
    ),
    "banner_coverage": (
        "n",
        "缺报 {n} 个社区（名单 {file}）：{districts}",
        "{n} listed community missing (list {file}): {districts}",
        "{n} listed communities missing (list {file}): {districts}",
    ),
    "banner_unexpected": (
        "n",
        "{n} 个社区不在名单 {file} 中",
        "{n} community is not on the list {file}",
        "{n} communities are not on the list {file}",
    ),
    "banner_district_count": ("n", "{district} {n} 个", "{district} {n}", "{district} {n}"),
}
