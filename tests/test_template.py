"""`compliance template`: the workbook it writes, and a filled one checking cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from compliance import api
from compliance.catalogue import Field, default_catalogue
from compliance.cli import app
from compliance.model import Outcome
from compliance.template import header_text, layout, write_template
from compliance.template.sheets import validation
from tests.findings import communities, finding, subdistricts


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout + result.stderr


#: One compliant community per row: code, name, city, district, sub-district,
#: then area, workers, households, annual pay, wage, six insured counts.
FILLED = [
    ["330702001001", "甲社区", "金华市", "婺城区", "城东街道", 360.5, 6, 2150, 28000, 26647, *[6] * 6],
    ["330702001002", "乙社区", "金华市", "婺城区", "城东街道", 350, 5, 900, 27000, None, *[5] * 6],
    ["330703001001", "丙社区", "金华市", "金东区", "多湖街道", 420, 11, 4100, 30000, None, *[11] * 6],
]  # fmt: skip


def test_layout_follows_the_rules() -> None:
    plan = layout(api.load_ruleset())
    assert plan.community == (
        "id", "name", "city", "district", "subdistrict", "premises_area", "full_time_workers",
        "households", "pay_annual", "local_avg_wage", "pension_insured", "unemployment_insured",
        "medical_insured", "injury_insured", "maternity_insured", "housing_fund",
    )  # fmt: skip
    assert plan.subdistrict == ()
    assert plan.lookups == {"local_avg_wage": "local_avg_wage"}
    # The pay rule's total scales by the number of workers.
    assert [r.id for r in plan.used_by["full_time_workers"]][:3] == ["staffing", "pay", "pension"]


def test_workbook_has_headers_validation_instructions_and_an_example(tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.xlsx", "zhejiang-2007", lang="zh", rows=50)
    wb = load_workbook(path)
    assert wb.sheetnames == ["社区情况", "填表说明", "示例"]
    ws = wb["社区情况"]
    headers = [c.value for c in ws[1]]
    assert headers[:8] == [
        "社区代码", "社区名称", "所属市", "所属区县", "所属街道", "工作服务用房面积(平方米)",
        "专职社区工作者人数", "总户数",
    ]  # fmt: skip
    rules = {
        str(dv.sqref): (dv.type, dv.operator, dv.formula1)
        for dv in ws.data_validations.dataValidation
    }
    assert rules["F2:F51"] == ("decimal", "greaterThanOrEqual", "0")  # area
    assert rules["G2:G51"] == ("whole", "greaterThanOrEqual", "0")  # workers
    assert rules["I2:I51"] == ("decimal", "greaterThanOrEqual", "0")  # pay
    assert "A2:A51" not in rules  # codes are free text...
    assert ws["A2"].number_format == "@"  # ...stored as text, keeping leading zeros
    assert ws["F2"].fill.fgColor.rgb.endswith("FFF9E5")
    assert ws["F1"].comment is not None
    notes = wb["填表说明"]
    texts = [c.value for row in notes.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("空白会被列为“无法判断”" in t for t in texts)
    assert "可留空：按参照表 local_avg_wage 取值" in texts
    assert any(
        t.startswith("staffing: 专职社区工作者不少于5人，2000户以上按每400户配备1人\npay: ")
        for t in texts
    )
    example = wb["示例"]
    assert [c.value for c in example[2]] == headers
    assert [c.value for c in example[3]][:6] == [
        "330702001001",
        "示例社区",
        "金华市",
        "婺城区",
        "城东街道",
        360.5,
    ]


def test_flag_fields_get_a_yes_no_list() -> None:
    flag = Field(id="has_centre", type="flag", zh="有无服务中心", en="Has a centre", headers=())
    dv = validation(flag, "zh")
    assert dv is not None and (dv.type, dv.formula1) == ("list", '"是,否"')
    dv = validation(flag, "en")
    assert dv is not None and dv.formula1 == '"yes,no"'


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_header_reads_back_as_its_field(lang: str) -> None:
    cat = default_catalogue()
    for fid, field in cat.fields.items():
        assert cat.match(header_text(field, lang)) == fid, header_text(field, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_filled_template_round_trips_and_checks_cleanly(tmp_path: Path, lang: str) -> None:
    path = write_template(tmp_path / "returns.xlsx", "zhejiang-2007", lang=lang, rows=20)
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for r, row in enumerate(FILLED, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c).value = value
    wb.save(path)
    result = api.check(path)
    assert result.problems == ()
    assert set(result.source.columns) == set(layout(api.load_ruleset()).community)
    assert [c.id for c in communities(result)] == [row[0] for row in FILLED]
    assert all(f.outcome is Outcome.PASS for c in communities(result) for f in c.findings)
    # 乙 and 丙 leave the wage blank: the reference table fills it, as the instructions say.
    assert finding(result, "pay", 1).notes == (
        "local_avg_wage=lookup:local_avg_wage[婺城区, 2006]",
    )  # type: ignore[union-attr]
    code, out = run("check", str(path), "--lang", lang, "--quiet")
    assert code == 0, out


def test_subdistrict_rule_sets_get_a_subdistrict_sheet(tmp_path: Path) -> None:
    path = write_template(tmp_path / "returns.xlsx", "zhejiang-2008", lang="zh", rows=10)
    wb = load_workbook(path)
    assert wb.sheetnames == ["社区情况", "街道情况", "填表说明", "示例"]
    streets = wb["街道情况"]
    assert [c.value for c in streets[1]] == [
        "所属市",
        "所属区县",
        "所属街道",
        "街道社区服务中心数(个)",
    ]
    ws = wb["社区情况"]
    for r, row in enumerate(FILLED, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c).value = value
    for r, row in enumerate(
        [["金华市", "婺城区", "城东街道", 1], ["金华市", "金东区", "多湖街道", 0]], 2
    ):
        for c, value in enumerate(row, start=1):
            streets.cell(row=r, column=c).value = value
    wb.save(path)
    result = api.check(path, ruleset="zhejiang-2008")
    assert result.problems == ()
    assert [(g.name, g.findings[0].outcome) for g in subdistricts(result)] == [
        ("城东街道", Outcome.PASS),
        ("多湖街道", Outcome.FAIL),
    ]


def test_cli_writes_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    code, text = run("template", str(out), "--lang", "en", "--rows", "5")
    assert code == 0 and text.strip() == str(out)
    assert load_workbook(out).sheetnames == ["Communities", "Instructions", "Example"]
    code, text = run("template", str(out))
    assert code == 2
    assert "exists; use --force" in text
    code, _ = run("template", str(out), "--force", "--select", "premises")
    assert code == 0
    assert [c.value for c in load_workbook(out).worksheets[0][1]] == [
        "Community code", "Community name", "City", "District", "Sub-district",
        "Premises area (m²)",
    ]  # fmt: skip
    code, text = run("template", str(tmp_path / "t.csv"))
    assert code == 2
