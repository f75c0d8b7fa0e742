"""Wording shared by the summary renderers: region names, gaps, notes and the cost line."""

from __future__ import annotations

from compliance import labels
from compliance.labels import t
from compliance.results import Report
from compliance.summary import Level, RegionSummary, RuleTotals, Summary


def level_name(level: Level | None, lang: str) -> str:
    """ "district" / "县(市、区)"; lower case inside English sentences."""
    if level is None:
        return t("region", lang) if lang == "zh" else t("region", lang).lower()
    text = t(level.value, lang)
    return text if lang == "zh" else text.lower()


def level_header(level: Level, lang: str) -> str:
    return t(level.value, lang)


def region_names(region: RegionSummary, lang: str) -> list[str]:
    """The region's name at each level; a missing name reads "(not given)"."""
    return [k or t("not_given", lang) for k in region.key]


def region_label(region: RegionSummary, lang: str) -> str:
    """One label for a region: "婺城区", or "金华市 / 婺城区" when grouped under a coarser level."""
    return " / ".join(region_names(region, lang)) or t("total_row", lang)


def rule_name(summary: Summary, rule_id: str, lang: str, *, short: bool = False) -> str:
    rule = summary.rule(rule_id)
    return rule.short(lang) if short else rule.title(lang)


def in_sentence(name: str, lang: str) -> str:
    """A rule's short name inside an English sentence: "Premises" -> "premises"."""
    return name if lang == "zh" else name[:1].lower() + name[1:]


def gap_unit(rt: RuleTotals, lang: str) -> str:
    return labels.unit(rt.gap_unit, lang)


def gap_number(rt: RuleTotals) -> str:
    """The headline gap as a figure: "6,451.51", "518.50" (m² with two decimals);
    "0" when nothing fails."""
    return labels.figure(round(rt.gap, 2), rt.gap_unit) if rt.gap else "0"


def gap_text(rt: RuleTotals, lang: str) -> str:
    return f"{gap_number(rt)} {gap_unit(rt, lang)}"


def headline(summary: Summary, rt: RuleTotals, lang: str) -> str:
    """ "Premises …: 1128 of 2785 communities fall short (40.5%)": failing or not yet due,
    since a deadline still ahead does not close a gap."""
    text = t(
        "headline",
        lang,
        rule=rule_name(summary, rt.rule, lang),
        failed=rt.short,
        total=rt.communities,
        share=labels.percent(rt.short_share),
    )
    if rt.not_yet_due:
        deadline = summary.rule(rt.rule).deadline or ""
        text += t("headline_pending", lang, n=rt.not_yet_due, deadline=deadline)
    return text


def counts(rt: RuleTotals) -> str:
    """ "19✗ 3⏳ 1?": failing, not yet due and unknown communities."""
    return (
        f"{rt.failed}✗"
        + (f" {rt.not_yet_due}⏳" if rt.not_yet_due else "")
        + (f" {rt.unknown}?" if rt.unknown else "")
    )


def any_pending(summary: Summary) -> bool:
    """Whether some shortfall is not yet due (then tables show a not-yet-due column)."""
    return any(rt.not_yet_due for rt in summary.total.rules)


def compliant_line(region: RegionSummary, lang: str) -> str:
    return (
        t(
            "overall",
            lang,
            total=region.communities,
            passed=region.compliant,
            failed=region.failing,
            unknown=region.unknown,
        )
        + (t("pending_line", lang, n=region.pending) if region.pending else "")
        + (
            f"（{t('compliance_rate', lang)} {labels.percent(region.compliant_share)}）"
            if lang == "zh"
            else f" ({t('compliance_rate', lang).lower()} {labels.percent(region.compliant_share)})"
        )
    )


def cost_source(summary: Summary, report: Report, lang: str) -> str:
    cost = summary.cost
    if cost is None:
        return ""
    if cost.origin == "option":
        return t("cost_from_option", lang)
    text = t("cost_from_ruleset", lang, ruleset=report.ruleset.label, parameter=cost.parameter)
    note = cost.note(lang)
    return f"{text}: {note}" if note else text


def cost_line(summary: Summary, report: Report, lang: str) -> str:
    """How much closing the premises gap costs and where the unit cost came from,
    or that no cost is given."""
    cost = summary.cost
    if cost is None or summary.total.cost is None:
        return t("no_cost", lang)
    rt = summary.total.rule(cost.rule)
    return t(
        "cost_line",
        lang,
        rule=in_sentence(rule_name(summary, cost.rule, lang, short=True), lang),
        gap=labels.figure(round(rt.gap, 2), rt.gap_unit),
        per=labels.number(cost.per_m2),
        cost=labels.number(round(summary.total.cost)),
        source=cost_source(summary, report, lang),
    )


def notes(summary: Summary, report: Report, lang: str) -> list[str]:
    """What a reader needs to read the figures right: unknowns, partial totals,
    shortfalls not yet due, and the cost."""
    from compliance.labels import field_label

    out = [t("unknown_note", lang)]
    for rt in summary.total.rules:
        rule = summary.rule(rt.rule)
        name = rule_name(summary, rt.rule, lang, short=True)
        if rt.unscaled and rule.scale is not None:
            fields = "、".join(field_label(f, lang) for f in rule.scale.fields)
            fields = fields if lang == "zh" else fields.lower()
            out.append(t("unscaled_note", lang, rule=name, n=rt.unscaled, field=fields))
        if rt.not_yet_due:
            gap = f"{labels.number(round(rt.pending_gap, 2))} {labels.unit(rt.gap_unit, lang)}"
            out.append(t("pending_note", lang, rule=name, n=rt.not_yet_due, gap=gap))
    out.append(cost_line(summary, report, lang))
    return out
