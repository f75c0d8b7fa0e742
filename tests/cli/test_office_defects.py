"""Defects an office worker met at once (issue 19, "Defects"): unreadable inputs with
office formats, a failed run's headline, PDF output, and mixed-language labels."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from compliance.cli import app
from tests.conftest import SAMPLE

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", ["check", "summary"])
@pytest.mark.parametrize("suffix", [".html", ".xlsx"])
@pytest.mark.parametrize("kind", ["missing", "empty", "no_header"])
def test_an_unreadable_only_input_still_gets_its_office_report(
    command: str, suffix: str, kind: str, tmp_path: Path
) -> None:
    """Defect 1: exit 3 'cannot concat empty list' for .html and .xlsx."""
    source = tmp_path / "婺城区.xlsx"
    if kind == "empty":
        source.write_bytes(b"")
    elif kind == "no_header":
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.append(["这里", "没有", "表头"])
        wb.save(source)
    out = tmp_path / f"report{suffix}"
    code, _, err = run(command, str(source), "-o", str(out), "--lang", "en")
    assert code == 2, err
    assert "internal error" not in err
    assert err.startswith("compliance: error: ") and "婺城区.xlsx" in err
    assert out.is_file()
    if suffix == ".xlsx":
        load_workbook(out)  # a real workbook


def test_a_failed_run_does_not_say_every_community_passes(tmp_path: Path) -> None:
    """Defect 2: the text report of a run that read nothing said "all 0 communities pass"."""
    out = tmp_path / "r.txt"
    code, _, _ = run("check", str(tmp_path / "nothere.xlsx"), "-o", str(out), "--lang", "en")
    assert code == 2
    text = out.read_text(encoding="utf-8")
    assert "pass every standard\n" not in text.split("Results by standard")[0]
    assert "all 0 communities" not in text
    assert "no community was checked: the input could not be read (see below)" in text
    code, _, _ = run("check", str(tmp_path / "nothere.xlsx"), "-o", str(out), "--lang", "zh")
    assert "没有检查到任何社区：输入文件无法读取（见下文）" in out.read_text(encoding="utf-8")
    md = tmp_path / "r.md"
    run("check", str(tmp_path / "nothere.xlsx"), "-o", str(md), "--lang", "en")
    assert "all 0 communities" not in md.read_text(encoding="utf-8")


def test_a_summary_line_counts_the_inputs_it_could_not_read(tmp_path: Path) -> None:
    code, _, err = run("summary", str(SAMPLE), str(tmp_path / "nothere.xlsx"), "--lang", "en")
    assert code == 2
    assert err.rstrip().endswith("; 1 input could not be read (exit 2)")


@pytest.mark.parametrize("command", ["check", "summary"])
def test_pdf_is_refused_with_a_hint(command: str, tmp_path: Path) -> None:
    """Defect 6: `-o r.pdf` silently wrote the text table into r.pdf."""
    out = tmp_path / "r.pdf"
    code, stdout, err = run(command, str(SAMPLE), "-o", str(out))
    assert code == 2
    assert err == (
        f"compliance: error: --output {out}: PDF is not written; write the HTML report "
        "(-o r.html), open it in a browser and print it to PDF\n"
    )
    assert not out.exists() and stdout == ""


def test_other_documents_are_refused_too(tmp_path: Path) -> None:
    code, _, err = run("check", str(SAMPLE), "-o", str(tmp_path / "r.xls"))
    assert code == 2
    assert err.endswith(".xls files are not written; use -o r.xlsx\n")


@pytest.fixture(scope="module")
def zh_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("page")
    source = tmp / "jinhua-2007.xlsx"
    shutil.copy2(SAMPLE, source)
    out = tmp / "r.html"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", "Asia/Shanghai")
        time.tzset()
        try:
            code, _, err = run("check", str(source.resolve()), "-o", str(out), "--lang", "zh")
        finally:
            mp.undo()
            time.tzset()
    assert code == 1, err
    return out.read_text(encoding="utf-8")


def test_region_headings_are_each_in_one_language(zh_page: str) -> None:
    """按sub-district汇总 / By 县(市、区): the level was named in one language for both."""
    assert "<h2>按县(市、区)汇总<small>By district</small></h2>" in zh_page
    assert "By 县" not in zh_page and "按district" not in zh_page


def test_the_page_header_names_the_file_and_the_local_time(zh_page: str) -> None:
    header = zh_page.split('<header class="top">')[1].split("</header>")[0]
    assert "<p>jinhua-2007.xlsx</p>" in header
    assert "/jinhua-2007.xlsx" not in header  # no folder
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+08:00\)</p>", header), header
    assert "UTC</p>" not in zh_page


def test_the_source_line_of_a_chinese_page_is_chinese(zh_page: str) -> None:
    assert (
        "<dt>来源</dt><dd>浙江省《社区服务业发展成效明显》（2007年工作回顾及2008年工作计划）</dd>"
        in (zh_page)
    )
    assert "Zhejiang provincial report" not in zh_page


def test_a_row_is_written_as_a_row_not_as_half_a_cell(zh_page: str) -> None:
    assert "<td>社区情况 第4行</td>" in zh_page
    assert "<td>社区情况!4</td>" not in zh_page


def test_rules_show_says_which_file_is_which() -> None:
    code, out, _ = run("rules", "show", "--lang", "zh")
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == "依据文件: 《关于推进和谐社区建设的意见》 (2007-04)"
    assert lines[2] == "来源: 浙江省《社区服务业发展成效明显》（2007年工作回顾及2008年工作计划）"
    assert lines[3].startswith("规则文件: ") and "zhejiang-2007.toml" in lines[3]
    assert not any(line.startswith("文件:") for line in lines)
    code, out, _ = run("rules", "show", "--lang", "en")
    assert '\nSource: 《社区服务业发展成效明显》 ("Community services made clear progress")' in out
    assert "\nRule file: " in out


def test_an_english_header_word_is_never_cut() -> None:
    """`Disappear` / `ed`: the progress table cut one English word over two lines."""
    sample_2008 = SAMPLE.with_name("jinhua-2008.xlsx")
    code, out, _ = run("progress", str(SAMPLE), str(sample_2008), "--lang", "en")
    assert code in (0, 1)
    assert "Disappeared" in out
    assert not any(line.strip().endswith(" ed") for line in out.splitlines())
