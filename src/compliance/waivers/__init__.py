"""Waivers: approved exceptions that excuse a community's failure of a rule until a date.

A waivers file lists, for each exception, the community (its code, or its name
and optionally its sub-district), the rule, the reason, the approving authority
and the expiry date. It is TOML::

    [[waivers]]
    community = "330702001001"      # or the community's name
    subdistrict = "城东街道"          # optional: tells same-named communities apart
    rule = "premises"               # a rule id, short name (用房) or title, or "pay*"
    reason = "旧城改造，新用房2009年交付"
    approved_by = "金华市民政局"
    expires = 2009-12-31
    granted = 2008-03-01            # optional

or a sheet (.xlsx, .xls, .ods or .csv) with the headers 社区代码 / 社区名称,
所属街道, 标准, 豁免理由, 批准机关, 有效期至 (or their English names).

:func:`apply_waivers` turns matching failures into ``waived`` findings, which
do not fail the run. A waiver whose expiry date is before the ``as_of`` date no
longer applies and is listed as expired; one that matches no community and
rule is listed as unmatched; one whose community passes the rule is listed as
not needed. Sub-district rules are waived by naming the sub-district. The rule
(标准) is its id, its short name (用房, 人员 …) or its full title, in Chinese or
English; any other name is an error that lists the accepted ones.

:mod:`.model` defines a waiver and its status, :mod:`.load` reads the file and
:mod:`.apply` applies it.
"""

from __future__ import annotations

from compliance.waivers.apply import apply_waivers, resolve_rules, rule_names
from compliance.waivers.load import MAX_WAIVER_FILE_BYTES, load_waivers
from compliance.waivers.model import Waiver, WaiverState, WaiverStatus

__all__ = [
    "MAX_WAIVER_FILE_BYTES",
    "Waiver",
    "WaiverState",
    "WaiverStatus",
    "apply_waivers",
    "load_waivers",
    "resolve_rules",
    "rule_names",
]
