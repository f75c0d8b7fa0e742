"""The user-facing words: every key once, in both languages."""

from __future__ import annotations

from compliance.labels import banner, office, progress, report, rulesets, summary, t, template
from compliance.labels.text import COUNTED, TEXT

AREAS = {
    "report": report.TEXT,
    "summary": summary.TEXT,
    "rulesets": rulesets.TEXT,
    "progress": progress.TEXT,
    "template": template.TEXT,
    "office": office.TEXT,
    "counted": report.COUNTED,
    "office_counted": office.COUNTED,
    "banner": banner.TEXT,
    "banner_counted": banner.COUNTED,
}


def test_no_two_areas_define_the_same_key() -> None:
    seen: dict[str, str] = {}
    shared = []
    for area, table in AREAS.items():
        for key in table:
            if key in seen:
                shared.append(f"{key}: {seen[key]} and {area}")
            seen[key] = area
    assert shared == []
    assert len(TEXT) == sum(len(table) for area, table in AREAS.items() if "counted" not in area)


def test_every_text_has_chinese_and_english() -> None:
    empty = [key for key, pair in TEXT.items() if not all(pair)]
    empty += [key for key, (_, *texts) in COUNTED.items() if not all(texts)]
    assert empty == []


def test_t_reads_each_area_and_agrees_with_counts() -> None:
    assert t("tpl_data", "zh") == "社区情况"
    assert t("pg_baseline", "en") == "Baseline"
    assert t("community_count", "en", n=1) == "1 community"
    assert t("community_count", "en", n=3) == "3 communities"
    assert t("community_count", "zh", n=3) == "3 个社区"
