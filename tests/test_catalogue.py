"""Header matching: the real Chinese headers, English ones, and their messy forms."""

from __future__ import annotations

import pytest

from compliance.catalogue import default_catalogue


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("社区名称", "name"),
        ("单位名称", "name"),
        ("所属街道", "subdistrict"),
        ("总户数", "households"),
        ("人口总户数", "households"),
        ("常住人口", "population"),
        ("建筑面积(m2)", "premises_area"),
        ("面积(㎡)", "premises_area"),
        ("面积（㎡）", "premises_area"),
        ("建筑面积（平方米）", "premises_area"),
        ("工作用房", "premises_area"),
        ("面积(m2", "premises_area"),  # closing bracket missing, as seen in real sheets
        ("建筑\n面积 (m2)", "premises_area"),
        (" 专职人数 ", "full_time_workers"),
        ("专职人数（人）", "full_time_workers"),
        ("总人数", "total_staff"),
        ("养老保险人数", "pension_insured"),
        ("失业保险人数", "unemployment_insured"),
        ("医疗保险人数", "medical_insured"),
        ("工伤保险人数", "injury_insured"),
        ("生育保险人数", "maternity_insured"),
        ("住房公积金人数", "housing_fund"),
        ("人均月报酬", "pay_monthly"),
        ("人均月报酬（元）", "pay_monthly"),
        ("人均年收入(元)", "pay_annual"),
        ("上年职工平均工资（元）", "local_avg_wage"),
        ("填报日期", "report_date"),
        ("Community name", "name"),
        ("Households", "households"),
        ("Premises area (m2)", "premises_area"),
        ("FULL-TIME WORKERS", "full_time_workers"),
        ("Monthly pay", "pay_monthly"),
    ],
)
def test_matches(header: str, field: str) -> None:
    assert default_catalogue().match(header) == field


@pytest.mark.parametrize("header", ["", "序号", "备注", "联系电话", None])
def test_does_not_match(header: str | None) -> None:
    assert default_catalogue().match(header) is None


def test_suggests_close_fields() -> None:
    assert "households" in default_catalogue().suggest("househods")


def test_every_field_is_documented() -> None:
    for f in default_catalogue().fields.values():
        assert f.zh and f.en and f.headers, f.id
        assert f.description_zh and f.description_en, f.id


@pytest.mark.parametrize(
    "header", ["女职工人数", "女性专职人数", "专职女职工人数", "女职工人数(人)"]
)
def test_female_worker_headers(header: str) -> None:
    assert default_catalogue().match(header) == "female_workers"


def test_the_wage_must_be_positive_and_counts_need_not_be() -> None:
    cat = default_catalogue()
    assert cat["local_avg_wage"].positive
    assert not cat["full_time_workers"].positive
