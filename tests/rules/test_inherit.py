"""Rule sets that extend another: merging, provenance and located errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compliance.errors import RuleSetError
from compliance.rules.loader import load_ruleset
from tests.expressions import value

CITY = """\
format = 1

[ruleset]
id = "city-2008"
version = "2008.1"
title_zh = "某市标准"
title_en = "A city's standards"
extends = "zhejiang-2007"
remove_rules = ["maternity"]

[parameters.min_premises_m2]
value = 400

[parameters.staffing_rounding]
value = "floor"

[[rules]]
id = "premises"
title_zh = "社区工作服务用房面积不少于400平方米"
severity = "warning"

[[rules]]
id = "population"
title_zh = "常住人口已填报"
title_en = "Population reported"
citation = "city rule"
unit = "persons"
measure = "population"
require = "1"
"""


def write(tmp_path: Path, text: str, name: str = "city.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_child_overrides_parameters_and_rules(tmp_path: Path) -> None:
    rs = load_ruleset(write(tmp_path, CITY))
    assert rs.id == "city-2008"
    assert rs.extends == ("zhejiang-2007",)
    ids = [r.id for r in rs.rules]
    assert "maternity" not in ids
    assert ids[-1] == "population"
    premises = rs.rule("premises")
    # The parent's expression now reads the child's parameter.
    assert value(premises.require, {}) == 400
    assert premises.severity == "warning"
    assert premises.title_zh == "社区工作服务用房面积不少于400平方米"
    # Inherited keys stay the parent's.
    assert premises.citation.startswith("争取用三年时间")
    assert premises.deadline == "2010-04"
    staffing = rs.rule("staffing")
    assert value(staffing.require, {"households": 2399}) == 5  # floor


def test_provenance_names_file_line_and_replaced_value(tmp_path: Path) -> None:
    path = write(tmp_path, CITY)
    rs = load_ruleset(path)
    value = rs.origin("parameters", "min_premises_m2", "value")
    assert value is not None
    assert value.ruleset == "city-2008"
    assert value.path == str(path)
    assert value.line == 12
    assert value.overrides == (("zhejiang-2007", 350),)
    label = rs.origin("parameters", "min_premises_m2", "zh")
    assert label is not None and label.ruleset == "zhejiang-2007"
    deadline = rs.origin("rules", "premises", "deadline")
    assert deadline is not None and deadline.ruleset == "zhejiang-2007"
    added = rs.origin("rules", "population")
    assert added is not None and added.ruleset == "city-2008" and added.line == 22


def test_extends_by_relative_path_and_chain(tmp_path: Path) -> None:
    write(tmp_path, CITY, "city.toml")
    district = """\
[ruleset]
id = "district-2008"
version = "1"
extends = "city.toml"

[parameters.min_premises_m2]
value = 450
"""
    rs = load_ruleset(write(tmp_path, district, "district.toml"))
    assert rs.extends == ("city-2008", "zhejiang-2007")
    assert value(rs.rule("premises").require, {}) == 450
    origin = rs.origin("parameters", "min_premises_m2", "value")
    assert origin is not None
    assert origin.overrides == (("city-2008", 400), ("zhejiang-2007", 350))
    # Titles are inherited when not given.
    assert rs.title_en == "A city's standards"
    assert rs.sha256 != load_ruleset(tmp_path / "city.toml").sha256


def test_replace_starts_a_rule_afresh(tmp_path: Path) -> None:
    text = CITY.replace(
        'severity = "warning"',
        'replace = true\ntitle_en = "Premises"\ncitation = "c"\nunit = "m2"\n'
        'measure = "premises_area"\nrequire = "min_premises_m2"',
    )
    rs = load_ruleset(write(tmp_path, text))
    premises = rs.rule("premises")
    assert premises.deadline is None
    assert premises.citation == "c"


def test_errors_point_at_the_child_file_and_line(tmp_path: Path) -> None:
    text = CITY.replace('severity = "warning"', 'severity = "fatal"').replace(
        'require = "1"', 'require = "populaton"'
    )
    path = write(tmp_path, text)
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    assert info.value.where == str(path)
    expression = (
        "rule 'population', require = 'populaton' (line 29): unknown name 'populaton': not a "
        "record field, rule-set parameter or allowed function; did you mean 'population'?"
    )
    # A schema mistake does not hide an expression mistake elsewhere in the file.
    assert info.value.problems == [
        "rule 'premises', field severity (line 20): Input should be 'error' or 'warning'",
        expression,
    ]
    text = CITY.replace('require = "1"', 'require = "populaton"')
    with pytest.raises(RuleSetError) as info:
        load_ruleset(write(tmp_path, text))
    assert info.value.problems == [expression]


def test_a_broken_override_is_blamed_on_the_parent_rule_that_breaks(tmp_path: Path) -> None:
    # A text value for a numeric parameter breaks the parent's expression.
    text = CITY.replace("value = 400", 'value = "400"')
    with pytest.raises(RuleSetError) as info:
        load_ruleset(write(tmp_path, text))
    (problem,) = info.value.problems
    assert problem.startswith(
        "rule 'premises', require = 'min_premises_m2' (zhejiang-2007.toml line"
    )
    assert "must give a number" in problem


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('remove_rules = ["maternity"]', 'remove_rules = ["materity"]'), "no rule 'materity'"),
        (('version = "2008.1"\n', ""), "ruleset.version (line 3): a rule set that extends"),
        (('extends = "zhejiang-2007"', 'extends = "zhejiang-2099"'), "no such rule set"),
        (('extends = "zhejiang-2007"', 'extends = "missing.toml"'), "not found"),
    ],
)
def test_bad_extends(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    with pytest.raises(RuleSetError, match=re.escape(expected)):
        load_ruleset(write(tmp_path, CITY.replace(*change)))


def test_extends_in_a_circle(tmp_path: Path) -> None:
    write(tmp_path, '[ruleset]\nid = "a"\nversion = "1"\nextends = "b.toml"\n', "a.toml")
    write(tmp_path, '[ruleset]\nid = "b"\nversion = "1"\nextends = "a.toml"\n', "b.toml")
    with pytest.raises(RuleSetError, match="circle"):
        load_ruleset(tmp_path / "a.toml")


def test_remove_rules_without_extends(tmp_path: Path) -> None:
    text = CITY.replace('extends = "zhejiang-2007"\n', "")
    with pytest.raises(RuleSetError, match="remove_rules needs extends"):
        load_ruleset(write(tmp_path, text))


def test_zhejiang_2007_has_a_progress_target() -> None:
    rs = load_ruleset("zhejiang-2007")
    assert rs.progress is not None
    assert (rs.progress.rule, rs.progress.share, rs.progress.due) == ("premises", 0.7, "2008-12-31")
    assert rs.extends == ()


# --- figures added by an extending rule set carry their own year (issue 20) ----------

_ADDS_FIGURE = """\
[ruleset]
id = "jinhua-county"
version = "1"
title_zh = "县"
title_en = "County"
extends = "zhejiang-2007"
{table}
[lookups.local_avg_wage.values]
"东阳市" = 24810
"""


@pytest.mark.parametrize(
    ("table", "added"),
    [
        ("", (None, "", False)),
        (
            '[lookups.local_avg_wage]\nyear = 2007\nsource = "东阳市统计局（示例）"\n'
            "illustrative = true\n",
            (2007, "东阳市统计局（示例）", True),
        ),
    ],
)
def test_a_figure_added_by_a_child_does_not_take_the_parents_year_or_source(
    tmp_path: Path, table: str, added: tuple[object, ...]
) -> None:
    path = tmp_path / "county.toml"
    path.write_text(_ADDS_FIGURE.format(table=table), encoding="utf-8")
    lk = load_ruleset(path).lookups["local_avg_wage"]
    entries = {e.name: (e.year, e.source, e.illustrative) for e in lk.entries}
    assert entries["东阳市"] == added
    parent = load_ruleset("zhejiang-2007").lookups["local_avg_wage"]
    assert entries["婺城区"] == (2006, parent.source, False)  # the parent's figure, as it was
    # The note of a filled wage gives the figure's own year (or none).
    from compliance.engine.lookups import _answer

    assert _answer(lk, {"district": "东阳市"})[1] == (
        "local_avg_wage=lookup:local_avg_wage[东阳市" + (", 2007]" if added[0] else "]")
    )
    assert (
        _answer(lk, {"district": "婺城区"})[1]
        == "local_avg_wage=lookup:local_avg_wage[婺城区, 2006]"
    )
    from typer.testing import CliRunner

    from compliance.cli import app

    out = CliRunner().invoke(app, ["rules", "show", str(path), "--format", "json"]).stdout
    import json

    doc = json.loads(out)["lookups"]["local_avg_wage"]
    by_name = {e["name"]: e for e in doc["entries"]}
    assert (by_name["东阳市"]["year"], by_name["婺城区"]["year"]) == (added[0], 2006)
