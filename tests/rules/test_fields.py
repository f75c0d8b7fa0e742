"""Record fields declared in a rule file (``[fields.NAME]``): validated and compiled on load."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.catalogue import default_catalogue
from compliance.cli import app
from compliance.errors import RuleSetError
from compliance.rules.loader import load_ruleset
from tests.expressions import value
from tests.rules.test_loader import write

HEAD = """\
format = 1
[ruleset]
id = "library-check"
version = "1"
title_zh = "图书室检查"
title_en = "Library check"
"""
LIBRARY = """
[fields.library_room]
zh = "农家书屋"
en = "Village library"
headers = ["农家书屋", "书屋"]
kind = "yes_no"

[fields.fitness_yard]
zh = "健身场地"
en = "Fitness yard"
headers = ["健身场地", "健身点"]
kind = "yes_no"

[fields.reading_seats]
zh = "阅览座位数"
en = "Reading seats"
headers = ["阅览座位", "座位数"]
kind = "count"

[fields.hall_area]
zh = "活动室面积"
en = "Activity hall area"
kind = "area"
"""
RULES = """
[[rules]]
id = "both_facilities"
title_zh = "设有书屋和健身场地"
title_en = "A library and a fitness yard"
citation = "quoted text"
unit = "facilities"
measure = "library_room + fitness_yard"
require = "2"
"""


def test_declared_fields_extend_the_catalogue_of_their_rule_set(tmp_path: Path) -> None:
    rs = load_ruleset(write(tmp_path, HEAD + LIBRARY + RULES))
    assert [f.id for f in rs.declared] == [
        "library_room",
        "fitness_yard",
        "reading_seats",
        "hall_area",
    ]
    cat = rs.catalogue
    assert (cat.match("书屋"), cat.match("健身点"), cat.match("座位数(个)")) == (
        "library_room", "fitness_yard", "reading_seats",
    )  # fmt: skip
    assert (cat["library_room"].type, cat["reading_seats"].type) == ("flag", "integer")
    assert (cat["hall_area"].type, cat["hall_area"].unit) == ("number", "m2")
    assert cat.match("总户数") == "households"  # the built-in fields are all there
    assert "library_room" not in default_catalogue()  # and the built-in catalogue is untouched
    # A yes/no field is 1 or 0 in expressions: items can be counted.
    rule = rs.rule("both_facilities")
    assert value(rule.measure, {"library_room": 1.0, "fitness_yard": 0.0}) == 1


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            '\n[fields.households]\nzh = "户数"\nen = "Homes"\nkind = "count"\n',
            "field 'households' (line 31): households is a built-in field (总户数, Households); "
            "a rule file declares new fields only: choose another id",
        ),
        (
            '\n[fields.floor_space]\nzh = "楼面"\nen = "Floor space"\nheaders = ["面积"]\n'
            'kind = "area"\n',
            "field 'floor_space', headers (line 34): '面积' already names the field "
            "premises_area; a header names one field",
        ),
        (
            '\n[fields.books]\nzh = "图书"\nen = "Books"\nheaders = ["书屋"]\nkind = "count"\n',
            "field 'books', headers (line 34): '书屋' already names the field library_room; "
            "a header names one field",
        ),
        (
            '\n[fields.benches]\nzh = "长椅"\nen = "Benches"\nkind = "boolean"\n',
            "fields.benches.kind (line 34): Input should be 'yes_no', 'count', 'number', 'area', "
            "'money' or 'text'",
        ),
        (
            '\n[fields.benches]\nzh = "长椅"\nen = "Benches"\nkind = "count"\nsize = 3\n',
            "fields.benches.size (line 35): Extra inputs are not permitted",
        ),
    ],
)
def test_a_wrong_declaration_names_the_file_the_field_and_the_line(
    tmp_path: Path, extra: str, expected: str
) -> None:
    path = write(tmp_path, HEAD + LIBRARY + extra + RULES)
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    assert expected in info.value.problems
    assert str(info.value).startswith(f"{path}: ")
    code = CliRunner().invoke(app, ["rules", "validate", str(path)]).exit_code
    assert code == 2


def test_a_parameter_may_not_take_a_declared_name(tmp_path: Path) -> None:
    text = HEAD + LIBRARY + "\n[parameters.fitness_yard]\nvalue = 1\n" + RULES
    with pytest.raises(RuleSetError, match=r"parameter 'fitness_yard'.*name of a record field"):
        load_ruleset(write(tmp_path, text))


def test_a_rule_set_that_extends_another_keeps_its_fields_and_may_add_some(
    tmp_path: Path,
) -> None:
    write(tmp_path, HEAD + LIBRARY + RULES, "base.toml")
    child = write(
        tmp_path,
        '[ruleset]\nid = "county"\nversion = "1"\nextends = "base.toml"\n'
        '[fields.fitness_yard]\nheaders = ["健身场地", "健身广场"]\n'
        '[fields.shop]\nzh = "便民店"\nen = "Convenience shop"\nkind = "yes_no"\n'
        '[[rules]]\nid = "shop"\ntitle_zh = "便民店"\ntitle_en = "Shop"\ncitation = "q"\n'
        'unit = "facilities"\nmeasure = "shop"\nrequire = "1"\n',
        "county.toml",
    )
    rs = load_ruleset(child)
    assert [f.id for f in rs.declared] == [
        "library_room", "fitness_yard", "reading_seats", "hall_area", "shop",
    ]  # fmt: skip
    assert rs.catalogue.match("健身广场") == "fitness_yard"
    assert rs.catalogue["fitness_yard"].zh == "健身场地"  # the parent's name, kept
    origin = rs.origin("fields", "shop")
    assert origin is not None and origin.ruleset == "county"


def test_rules_show_lists_the_declared_fields(tmp_path: Path) -> None:
    import json

    path = write(tmp_path, HEAD + LIBRARY + RULES)
    out = (
        CliRunner()
        .invoke(app, ["rules", "show", str(path), "--lang", "en"], env={"COLUMNS": "200"})
        .stdout
    )
    assert "Fields declared by the rule set" in out
    assert "library_room" in out and "Village library" in out and "yes/no (1/0)" in out
    doc = json.loads(CliRunner().invoke(app, ["rules", "show", str(path), "-f", "json"]).stdout)
    assert doc["fields"]["hall_area"]["unit"] == "m2"
    assert doc["fields"]["library_room"]["headers"] == ["农家书屋", "书屋"]
