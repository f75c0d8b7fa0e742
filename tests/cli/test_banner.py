"""The banner at the top of every report (issue 19, item 7), through the command line:
unreadable inputs by name, returns to send back, unknowns grouped by cause, advisory
items, duplicates and missing communities; in the table, HTML, Markdown and the
xlsx's first sheet, in Chinese and English. And the attestation lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from compliance.cli import app
from tests.conftest import WorkbookFactory, community

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def returns(make_xlsx: WorkbookFactory, tmp_path: Path) -> Path:
    """A folder of returns: 金华.xlsx (two communities of 义乌市 and one of 东阳市 with
    no wage, which no sourced figure fills; one with an empty premises cell; one with
    7 pension-insured for 6 workers), its resubmitted copy 金华（修改）.xlsx, and a file
    that is not a workbook; and an expected list naming one community no return has."""
    folder = tmp_path / "returns"
    folder.mkdir()
    rows = [
        community("甲社区", district="义乌市", wage=None),
        community("乙社区", district="义乌市", wage=None),
        community("丙社区", district="东阳市", wage=None),
        community("丁社区", area=None),
        community("戊社区", insured=(7, 6, 6, 6, 6, 6)),
    ]
    for name in ("金华.xlsx", "金华（修改）.xlsx"):
        make_xlsx(rows, name=name).rename(folder / name)
    (folder / "坏文件.xlsx").write_bytes(b"not a workbook")
    (tmp_path / "应报.csv").write_text(
        "社区名称,所属区县\n甲社区,义乌市\n江滨社区,婺城区\n", "utf-8"
    )
    return folder


ZH = [
    "需要注意",
    "! 1 个文件无法读取：坏文件.xlsx；以下数字不含这些文件",
    # 金华.xlsx is not sent back: every community of it is counted from its corrected copy.
    "! 2 份报表需退回修改：金华（修改）.xlsx、坏文件.xlsx",
    "! 义乌市、东阳市：没有有来源的当地上年职工平均工资；3 个社区的报酬未判断",
    "! 所需单元格为空或无法识别（工作服务用房面积）：1 个社区的用房未判断（金华（修改）.xlsx）",
    "! 1 项提示性审核待说明（金华（修改）.xlsx 1）",
    "! 5 个社区在多个文件中重复，只计一次：金华.xlsx 与 金华（修改）.xlsx（5 个，按 金华（修改）.xlsx 计）",
    "! 缺报 1 个社区（名单 应报.csv）：婺城区 1 个",
    "! 4 个社区不在名单 应报.csv 中",
]
EN = [
    "Needs attention",
    "! 1 input could not be read: 坏文件.xlsx; the figures below leave it out",
    "! 2 returns to send back for correction: 金华（修改）.xlsx, 坏文件.xlsx",
    "! 义乌市, 东阳市: no sourced local average wage, previous year; Pay not judged for 3 "
    "communities",
    "! Needed cells empty or unreadable (Premises area): Premises not judged for 1 community "
    "(金华（修改）.xlsx)",
    "! 1 advisory item to explain (金华（修改）.xlsx 1)",
    "! 5 communities are in more than one input and are counted once: 金华.xlsx and "
    "金华（修改）.xlsx (5, counted from 金华（修改）.xlsx)",
    "! 1 listed community missing (list 应报.csv): 婺城区 1",
    "! 4 communities are not on the list 应报.csv",
]


@pytest.mark.parametrize(("lang", "banner"), [("zh", ZH), ("en", EN)])
def test_the_table_starts_with_the_banner(returns: Path, lang: str, banner: list[str]) -> None:
    expected = str(returns.parent / "应报.csv")
    code, out, _ = run("check", str(returns), "--expected", expected, "--lang", lang)
    assert code == 2  # an unreadable input outranks everything, as documented
    assert out.splitlines()[: len(banner) + 1] == [*banner, ""]
    code, out, _ = run("check", str(returns), "--expected", expected, "--lang", lang, "--compact")
    assert code == 2
    assert out.splitlines()[: len(banner)] == banner


def test_a_clean_return_has_no_banner(make_xlsx: WorkbookFactory) -> None:
    code, out, _ = run("check", str(make_xlsx([community("甲社区")])), "--lang", "zh")
    assert code == 0
    assert "需要注意" not in out
    assert out.startswith("浙江省社区工作服务标准（2007）")


def test_html_markdown_and_xlsx_carry_the_banner(returns: Path, tmp_path: Path) -> None:
    expected = str(returns.parent / "应报.csv")
    html, md, xlsx = (tmp_path / f"r.{ext}" for ext in ("html", "md", "xlsx"))
    code, _, _ = run(
        "check", str(returns), "--expected", expected, "--lang", "zh",
        "-o", str(html), "-o", str(md), "-o", str(xlsx),
    )  # fmt: skip
    assert code == 2
    page = html.read_text("utf-8")
    items = re.findall(r"<li class=\"[a-z]+\">([^<]*)</li>", page[page.index('class="banner"') :])
    assert items[: len(ZH) - 1] == [line[2:] for line in ZH[1:]]
    # The banner comes before the figures, and the grave lines stand out.
    assert page.index('class="banner"') < page.index('class="tiles"')
    assert '<li class="grave">1 个文件无法读取：坏文件.xlsx；以下数字不含这些文件</li>' in page
    # So do the verdicts, the duplicates and the coverage, as in the table.
    for heading in ("审核结论", "多个文件中重复的社区", "应报社区核对"):
        assert f"<h2>{heading}<small>" in page
    text = md.read_text("utf-8")
    quoted = [line for line in text.splitlines() if line.startswith("> - ")]
    assert quoted[0] == "> - **1 个文件无法读取：坏文件.xlsx；以下数字不含这些文件**"
    assert quoted[2] == "> - 义乌市、东阳市：没有有来源的当地上年职工平均工资；3 个社区的报酬未判断"
    assert len(quoted) == len(ZH) - 1
    assert "## 审核结论" in text and "## 应报社区核对" in text
    ws = load_workbook(xlsx)["汇总 Summary"]
    assert ws["A2"].value == "需要注意\nNeeds attention"
    said = [ws.cell(r, 2).value for r in range(2, 2 + len(ZH) - 1)]
    assert said == [line[2:] for line in ZH[1:]]


def test_attestation_from_options_and_a_side_file(
    make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    path = make_xlsx([community("甲社区")], name="婺城区.xlsx")
    side = tmp_path / "署名.toml"
    side.write_text('"填表单位" = "金华市民政局"\n"填表人" = "王芳"\nreviewer = "张伟"\n', "utf-8")
    html = tmp_path / "r.html"
    code, _, _ = run(
        "check", str(path), "-o", str(html), "--lang", "zh",
        "--attestation", str(side), "--reviewer", "李强",
    )  # fmt: skip
    assert code == 0
    page = html.read_text("utf-8")
    head = page[page.index("<header") : page.index("</header>")]
    assert "<dt>填表单位</dt><dd>金华市民政局</dd>" in head
    assert "<dt>填表人</dt><dd>王芳</dd>" in head
    assert "<dt>审核人</dt><dd>李强</dd>" in head  # the option wins over the file
    sha = __import__("hashlib").sha256(path.read_bytes()).hexdigest()
    assert f"<dt>婺城区.xlsx</dt><dd><code>{sha}</code></dd>" in head
    assert str(tmp_path) not in head  # file names, never the folders
    assert re.search(r"生成时间 \d{4}-\d\d-\d\d \d\d:\d\d \(UTC[+-]\d\d:\d\d\)", head)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "zh",
            "署名文件中的 单位 不是可用的项目；可用：unit, 填表单位, preparer, 填表人, reviewer, 审核人",
        ),
        (
            "en",
            "单位 is not an attestation field; use unit, 填表单位, preparer, 填表人, reviewer, 审核人",
        ),
    ],
)
def test_a_bad_attestation_file_is_one_line(
    make_xlsx: WorkbookFactory, tmp_path: Path, lang: str, line: str
) -> None:
    side = tmp_path / "署名.toml"
    side.write_text('"单位" = "金华市民政局"\n', "utf-8")
    code, out, err = run(
        "check", str(make_xlsx([community("甲社区")])), "--attestation", str(side), "--lang", lang
    )
    assert code == 2
    assert out == ""
    assert err.strip().endswith(line)
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("lang", "banner"), [("zh", ZH), ("en", EN)])
def test_the_summary_starts_with_the_banner(returns: Path, lang: str, banner: list[str]) -> None:
    expected = str(returns.parent / "应报.csv")
    code, out, _ = run("summary", str(returns), "--expected", expected, "--lang", lang)
    assert code == 2
    assert out.splitlines()[: len(banner) + 1] == [*banner, ""]


def test_a_long_banner_line_wraps_within_the_terminal(returns: Path) -> None:
    """Broken between Chinese characters, never after its one space ("! 2" / "份…")."""
    from rich.cells import cell_len

    runner_narrow = CliRunner()
    result = runner_narrow.invoke(
        app, ["check", str(returns), "--lang", "zh", "--compact"], env={"COLUMNS": "40"}
    )
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("! 2 "))
    # The 、 does not start a line: it takes the file name before it along.
    assert lines[at : at + 2] == ["! 2 份报表需退回修改：金华（修改）", "  .xlsx、坏文件.xlsx"]
    assert all(cell_len(line) <= 40 for line in lines[: lines.index("")])
