"""The Markdown reports, compared with whole expected texts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from compliance import api
from compliance._version import __version__
from compliance.attestation import Attestation
from compliance.render import RenderOptions
from compliance.render.markdown import render
from compliance.render.summary.markdown import render as render_summary
from compliance.results import Report
from compliance.summary import summarise
from tests.conftest import WorkbookFactory
from tests.datasets import five_communities


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times are shown in the machine's zone: make it UTC for these texts."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def report(make_xlsx: WorkbookFactory) -> Report:
    # A pipe in a name must not break the table.
    path = make_xlsx(five_communities(name_4="丁|社区"))
    report = api.check_files([path])
    return dataclasses.replace(report, started_at=dt.datetime(2008, 1, 15, 9, 30, tzinfo=dt.UTC))


def test_check_report(report: Report) -> None:
    out = io.StringIO()
    render(report, RenderOptions(lang="en"), out)
    name = Path(report.checks[0].source.path).name
    sha = report.checks[0].source.sha256
    assert (
        out.getvalue()
        == f"""\
# Zhejiang community work-and-service standards (2007) (zhejiang-2007 2007.1)

> **Needs attention**
>
> - **1 return to send back for correction: {name}**
> - Needed cells empty or unreadable (Premises area, Pension insured): Premises, Pension not judged for 2 communities

- Input files: `{name}` (SHA-256 `{sha}`)
- Run at: 2008-01-15 09:30 (UTC+00:00)
- Tool version: compliance {__version__}

## Results by standard

| Standard | pass | fail | unknown | n/a | Total shortfall |
|---|---:|---:|---:|---:|---:|
| Work-and-service premises of at least 350 m² | 2 | 2 | 1 | 0 | 50.50 m² |
| At least 5 full-time workers, and 1 per 400 households above 2000 | 4 | 1 | 0 | 0 | 1 worker |
| Annual pay at least the local average wage of the previous year | 4 | 1 | 0 | 0 | 13,235 yuan |
| Pension insurance | 3 | 1 | 1 | 0 | 2 workers |
| Unemployment insurance | 5 | 0 | 0 | 0 |  |
| Medical insurance | 5 | 0 | 0 | 0 |  |
| Work-injury insurance | 5 | 0 | 0 | 0 |  |
| Maternity insurance | 5 | 0 | 0 | 0 |  |
| Housing provident fund | 5 | 0 | 0 | 0 |  |

5 communities: 1 passes every standard, 2 fail at least one, 2 have unknowns but no failure

## Results by community

| Community | District | Sub-district | Premises (m²) | Staff (workers) | Pay (yuan/worker) | Pension (workers) | Unempl. (workers) | Medical (workers) | Injury (workers) | Maternity (workers) | Housing (workers) | Row |
|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|
| 丁\\|社区 | 金东区 | 城东街道 | ✗ 0.5 | ✗ 1 | ✗ 2,647 | ✗ 2 | ✓ | ✓ | ✓ | ✓ | ✓ | Sheet1 row 5 |
| 甲社区 | 婺城区 | 城东街道 | ✗ 50 | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | Sheet1 row 2 |
| 乙社区 | 婺城区 | 城东街道 | ? | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | Sheet1 row 3 |
| 戊社区 | 金东区 | 多湖街道 | ✓ | ✓ | ✓ | ? | ✓ | ✓ | ✓ | ✓ | ✓ | Sheet1 row 6 |

_showing the 4 communities that fall short or are unknown, of 5; --all shows every one_

✓ pass ✗ fail (number = shortfall) ? unknown (data missing) – n/a ⏳ not yet due W waived

## Verdict per return

- {name}: returned for correction (1 needed cell unreadable, 1 needed cell empty)

## Interpretation choices

- Staffing rounding = ceil: The text ("1 per 400 households above 2000") does not say how to round. Default ceil: 2001-2400 households need 6; floor: 2001-2399 need 5.
- Maternity insurance basis = female: The text says maternity insurance for female workers (女工生育). female (default): counted against female workers; where the sheet has no female-worker column, against all full-time workers, and the output says so. all: always against all full-time workers.
- Premises tolerance ("basically reach") = 0: The text says premises should "basically reach" (基本达到) 350 m², without saying how close is close enough. Default 0: 350 m² is a hard minimum for every community; a positive value passes a community short by no more than that.
- Gap-closure share = net: "Close 70% of the gap" does not say net or gross. Default net: a community that loses area adds to the gap and reduces the share closed; gross counts only the gap closed, ignoring communities whose gap grew.

## Notes

- '人均月报酬' (column G) is monthly; multiplied by 12 for annual pay per worker
- Maternity: the sheet has no female workers column, so it is counted against full-time workers

## Data problems

- `Sheet1!I6`: '待核实' is not a number
"""
    )


def test_summary_report(report: Report) -> None:
    out = io.StringIO()
    options = RenderOptions(
        lang="zh", attestation=Attestation(unit="金华市民政局", reviewer="李强")
    )
    render_summary(summarise(report, cost_per_m2=2000), report, options, out)
    name = Path(report.checks[0].source.path).name
    sha = report.checks[0].source.sha256
    assert (
        out.getvalue()
        == f"""\
# 浙江省社区工作服务标准（2007） (zhejiang-2007 2007.1)：缺口汇总

> **需要注意**
>
> - **1 份报表需退回修改：{name}**
> - 所需单元格为空或无法识别（工作服务用房面积、养老保险人数）：2 个社区的用房、养老未判断

- 输入文件: `{name}` (SHA-256 `{sha}`)
- 运行时间: 2008-01-15 09:30 (UTC+00:00)
- 工具版本: compliance {__version__}
- 填表单位: 金华市民政局
- 审核人: 李强

## 各项标准缺口（全部社区）

| 标准 | 未达标 | 未达标比例 | 无法判断 | 缺口 |
|---|---:|---:|---:|---:|
| 社区工作服务用房面积不少于350平方米 | 2 | 40.0% | 1 | 50.50 平方米 |
| 专职社区工作者不少于5人，2000户以上按每400户配备1人 | 1 | 20.0% | 0 | 1 人 |
| 社区工作者年收入不低于当地上一年职工平均工资 | 1 | 20.0% | 0 | 13,235 元 |
| 参加养老保险 | 1 | 20.0% | 1 | 2 人 |
| 参加失业保险 | 0 | 0.0% | 0 | 0 人 |
| 参加医疗保险 | 0 | 0.0% | 0 | 0 人 |
| 参加工伤保险 | 0 | 0.0% | 0 | 0 人 |
| 参加生育保险 | 0 | 0.0% | 0 | 0 人 |
| 缴存住房公积金 | 0 | 0.0% | 0 | 0 人 |

共 5 个社区：全部达标 1，有未达标项 2，有无法判断项（无未达标） 2（达标率 20.0%）

## 按县(市、区)汇总

| 县(市、区) | 社区数 | 全部达标 | 达标率 | 无法判断 | 用房 (平方米) | 补足资金（元） | 人员 (人) | 报酬 (元) | 养老 (人) | 失业 (人) | 医疗 (人) | 工伤 (人) | 生育 (人) | 公积金 (人) |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| 婺城区 | 3 | 1 | 33.3% | 1 | 50.00 (1✗ 1?) | 100,000 | – (0✗) | – (0✗) | – (0✗) | – (0✗) | – (0✗) | – (0✗) | – (0✗) | – (0✗) |
| 金东区 | 2 | 0 | 0.0% | 1 | 0.50 (1✗) | 1,000 | 1 (1✗) | 13,235 (1✗) | 2 (1✗ 1?) | – (0✗) | – (0✗) | – (0✗) | – (0✗) | – (0✗) |
| 合计 | 5 | 1 | 20.0% | 2 | 50.50 (2✗ 1?) | 101,000 | 1 (1✗) | 13,235 (1✗) | 2 (1✗ 1?) | – (0✗) | – (0✗) | – (0✗) | – (0✗) | – (0✗) |

每项标准：缺口合计，及未达标（✗）、未到期限（⏳）与无法判断（?）的社区数；“无法判断”列为有无法判断项但无未达标项的社区

## 用房缺口最大的县(市、区)

| 排名 | 地区 | 缺口 (平方米) | 未达标社区 | 占总缺口 |
|---:|---|---:|---:|---:|
| 1 | 婺城区 | 50.00 | 1 | 99.0% |
| 2 | 金东区 | 0.50 | 1 | 1.0% |


## 审核结论

- {name}：退回修改（1 个所需单元格无法识别，1 个所需单元格为空）

## 说明

- 无法判断（缺数据）的社区不计入缺口和达标数，单独列出。
- 补足用房缺口：50.50 平方米 × 2,000 元/平方米 = 101,000 元（单价来自 --cost-per-m2）
"""
    )


def test_summary_without_cost_says_so(report: Report) -> None:
    out = io.StringIO()
    render_summary(summarise(report), report, RenderOptions(lang="en"), out)
    text = out.getvalue()
    assert "Cost" not in text
    assert "No unit cost of premises given" in text


def test_every_community_listed_with_hostile_names(make_xlsx: WorkbookFactory) -> None:
    # --all: a row per community, failing first; names and the sheet escaped cell by cell.
    rows = five_communities(name_4="丁|*社区*\n`x`")
    rows[0][0] = "<b>甲</b>  社区"
    report = api.check_files([make_xlsx(rows, sheet="表_1 &lt;b&gt;")])
    out = io.StringIO()
    render(report, RenderOptions(lang="zh", show_all=True), out)
    text = out.getvalue()
    lines = text[text.index("| 社区 |") :].splitlines()
    sheet = "表\\_1 &lt;b&gt;"
    assert lines[2:8] == [
        f"| \\<b\\>甲\\</b\\> 社区 | 婺城区 | 城东街道 | ✗ 50 | {'✓ | ' * 8}{sheet} 第2行 |",
        f"| 丁\\|\\*社区\\* \\`x\\` | 金东区 | 城东街道 | ✗ 0.5 | ✗ 1 | ✗ 2,647 | ✗ 2 | {'✓ | ' * 5}"
        f"{sheet} 第5行 |",
        f"| 乙社区 | 婺城区 | 城东街道 | ? | {'✓ | ' * 8}{sheet} 第3行 |",
        f"| 戊社区 | 金东区 | 多湖街道 | ✓ | ✓ | ✓ | ? | {'✓ | ' * 5}{sheet} 第6行 |",
        f"| 丙社区 | 婺城区 | 城西街道 | {'✓ | ' * 9}{sheet} 第4行 |",
        "",
    ]
