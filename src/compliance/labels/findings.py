"""Findings in words: outcomes, field names, why a finding is unknown, its notes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from compliance.labels.text import t
from compliance.model import Outcome

_REASONS: dict[str, tuple[str, str]] = {
    "missing": ("缺少数据：{fields}", "no data: {fields}"),
    "not_applicable": ("条件不成立：{derivation}", "condition not met: {derivation}"),
    "error": ("无法计算：{message}", "cannot compute: {message}"),
}


def outcome(o: Outcome, lang: str) -> str:
    return t(o.value, lang)


def field_label(field_id: str, lang: str) -> str:
    """A field's name in words: built in, or declared by a rule set (``[fields.*]``)."""
    from compliance.catalogue import field_named

    field = field_named(field_id)
    return field.label(lang) if field is not None else field_id


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


def reason(f: Mapping[str, Any], lang: str) -> str:
    """Why a finding (a row of the findings table) is unknown, not applicable or
    waived, naming the cells."""
    return reason_text(f["reason"], f["derivation"], f["cells"], f["notes"], f["missing"], lang)


def reason_text(
    why: str,
    derivation: str,
    cells: Sequence[str],
    notes: Sequence[str],
    missing: Sequence[str],
    lang: str,
) -> str:
    """:func:`reason` from a finding's columns (a row of the findings table)."""
    if not why:
        return ""
    if why == "missing":
        how = {
            n.partition("=")[0]: n.partition("=")[2]
            for n in notes
            if n.partition("=")[2].startswith("unsourced:")
        }
        parts = [
            unsourced(how[fid], fid, lang)
            if fid in how and not cell
            else f"{field_label(fid, lang)} {cell}".strip()
            for fid, cell in zip(missing, cells, strict=False)
        ]
        zh, en = _REASONS["missing"]
        return (zh if lang == "zh" else en).format(
            fields="、".join(parts) if lang == "zh" else ", ".join(parts)
        )
    if why == "not_applicable":
        zh, en = _REASONS["not_applicable"]
        return (zh if lang == "zh" else en).format(derivation=derivation)
    if why.startswith("not_applicable:"):
        # "not_applicable:<Chinese>|<English>": the rule set's own words for why.
        zh, _, en = why[len("not_applicable:") :].partition("|")
        text = (zh if lang == "zh" else en) or zh or en
        if lang == "zh":
            return f"{t('not_applicable', lang)}：{text}（{derivation}）"
        return f"{t('not_applicable', lang)}: {text} ({derivation})"
    if why.startswith("waived:"):
        return ("已豁免：" if lang == "zh" else "waived: ") + why[7:]
    if why.startswith("review:"):
        ids = why[7:].replace(",", ", ")
        where = ("、" if lang == "zh" else ", ").join(cells)
        if lang == "zh":
            return f"强制性审核 {ids} 未通过，须先更正数据（{where}）"
        return f"blocking check {ids} failed; correct the figures first ({where})"
    if why.startswith("error:"):
        zh, en = _REASONS["error"]
        return (zh if lang == "zh" else en).format(message=why[6:])
    return why


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


def row_label(sheet: str, row: int, lang: str) -> str:
    """A sheet row in words, "社区情况 第4行" / "社区情况 row 4" ("第4行" for a CSV file):
    never "社区情况!4", which reads as a cell without its column."""
    if lang == "zh":
        return f"{sheet} 第{row}行" if sheet else f"第{row}行"
    return f"{sheet} row {row}" if sheet else f"row {row}"
