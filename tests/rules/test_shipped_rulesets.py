"""The rule sets shipped in rules/: they load, and their arithmetic holds at the boundaries."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from compliance.rules.files import builtin_rules_dir, find_rulesets
from compliance.rules.loader import load_ruleset
from tests.expressions import value

ILLUSTRATIVE = load_ruleset("illustrative-other-standards")
households = st.integers(min_value=0, max_value=20_000)


def test_every_shipped_rule_set_loads() -> None:
    shipped = sorted(e.id for e in find_rulesets() if e.builtin)
    assert shipped == [
        "illustrative-other-standards",
        "illustrative-shengzhou-village-centre",
        "zhejiang-2007",
        "zhejiang-2008",
    ]
    assert sorted(p.stem for p in builtin_rules_dir().glob("*.toml")) == shipped
    for name in shipped:
        rs = load_ruleset(name)
        assert all(r.citation for r in rs.rules)


def test_illustrative_rule_set_is_marked_and_has_each_shape() -> None:
    rs = ILLUSTRATIVE
    assert rs.illustrative
    assert "illustrative" in rs.title_en.lower() and "示意" in rs.title_zh
    assert all("secondary source" in r.citation for r in rs.rules)
    assert {r.severity for r in rs.rules} == {"error", "warning"}
    assert rs.rule("large_community_staff").applies_if is not None


@given(households)
def test_premises_per_100_households(h: int) -> None:
    assert (
        value(ILLUSTRATIVE.rule("premises_per_households").require, {"households": h})
        == 20 * h / 100
    )


@given(households)
def test_staffing_bands(h: int) -> None:
    need = value(ILLUSTRATIVE.rule("staffing_bands").require, {"households": h})
    assert need == (5 if h < 2000 else 7 if h <= 3000 else 9)


def test_staffing_band_edges() -> None:
    require = ILLUSTRATIVE.rule("staffing_bands").require
    assert [value(require, {"households": h}) for h in (1999, 2000, 3000, 3001)] == [5, 7, 7, 9]


@given(households)
def test_station_threshold_rises_above_5000(h: int) -> None:
    need = value(ILLUSTRATIVE.rule("station_area").require, {"households": h})
    assert need == (500 if h > 5000 else 400)


@given(households)
def test_large_community_staff(h: int) -> None:
    rule = ILLUSTRATIVE.rule("large_community_staff")
    assert rule.applies_if is not None
    assert value(rule.applies_if, {"households": h}) == (h > 1000)
    assert value(rule.require, {"households": h}) == max(9, math.ceil(h / 150))


def test_zhejiang_2008_adds_the_subdistrict_rule() -> None:
    rs = load_ruleset("zhejiang-2008")
    assert rs.extends == ("zhejiang-2007",)
    assert [r.id for r in rs.rules][:9] == [r.id for r in load_ruleset("zhejiang-2007").rules]
    rule = rs.rule("service_centre")
    assert rule.level == "subdistrict"
    assert rule.citation == "目前全省仍有130个街道没有社区服务中心"
    assert rule.issued == "2008"
    assert rs.progress is not None and rs.progress.share == 0.7
