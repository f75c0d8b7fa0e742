"""`compliance notice` (issue 19, item 2): a notice per return that is returned or has
notes, as print-ready HTML and as a workbook, named after the input, never over one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from compliance.cli import app
from tests.conftest import SAMPLE, WorkbookFactory, community

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def returns(make_xlsx: WorkbookFactory, tmp_path: Path) -> list[str]:
    clean = make_xlsx([community("甲社区")], name="婺城区.xlsx")
    noted = make_xlsx(
        [community("乙社区", district="金东区", insured=(7, 6, 6, 6, 6, 6))], name="金东区.xlsx"
    )
    empty = make_xlsx(
        [
            community("丙社区", district="兰溪市", area=None),
            community("<b>丁</b>社区", district="兰溪市", workers="待核实"),
        ],
        name="兰溪市.xlsx",
    )
    return [str(clean), str(noted), str(empty), str(tmp_path / "义乌市.xlsx")]


def test_a_notice_for_each_return_that_needs_one(
    make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    out = tmp_path / "notices"
    code, _, err = run(
        "notice", *returns(make_xlsx, tmp_path), "-o", str(out), "--lang", "zh",
        "--reply-by", "2008年3月31日", "--as-of", "2008-12-31",
    )  # fmt: skip
    assert code == 2  # an unreadable return, as `check` would exit
    assert err.splitlines() == [
        "婺城区.xlsx：审核通过，无需通知",
        f"金东区.xlsx：通过，附说明事项 → {out / '金东区-审核意见.html'}, {out / '金东区-审核意见.xlsx'}",
        f"兰溪市.xlsx：退回修改 → {out / '兰溪市-审核意见.html'}, {out / '兰溪市-审核意见.xlsx'}",
        f"义乌市.xlsx：退回修改 → {out / '义乌市-审核意见.html'}, {out / '义乌市-审核意见.xlsx'}",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{d}-审核意见.{x}" for d in ("金东区", "兰溪市", "义乌市") for x in ("html", "xlsx")
    )  # written atomically: no temporary file is left


def test_the_html_notice(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    out = tmp_path / "n"
    run(
        "notice", *returns(make_xlsx, tmp_path)[2:3], "-o", str(out), "--lang", "zh",
        "--reply-by", "2008-03-31", "--from", "金华市民政局", "--as-of", "2008-12-31",
    )  # fmt: skip
    page = (out / "兰溪市-审核意见.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "<script" not in page and "@page{size:A4" in page
    assert "<b>丁</b>" not in page and "&lt;b&gt;丁&lt;/b&gt;社区" in page  # escaped
    assert '<p class="to">致：兰溪市（填报单位）</p>' in page
    assert "请对下列各项逐项更正或说明，于 2008-03-31 前，并将修改后的文件报回。" in page
    assert "审核单位：金华市民政局 （盖章）" in page
    # The empty area cell, and the unreadable workers cell (which leaves six standards unknown).
    assert (
        '<td class="cell"><span>Sheet1!E2</span></td><td>丙社区</td><td>工作服务用房面积</td>'
        "<td>空白（用房需要）</td><td>填写有效的工作服务用房面积</td>"
        '<td class="act">更正</td>'
    ) in page
    assert "<td>“待核实”不是数字</td><td>填写有效的专职社区工作者人数</td>" in page
    assert page.count("<tr>") == 3  # the header and two items, no more


def test_the_english_notice_and_its_name(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    out = tmp_path / "n"
    code, _, err = run(
        "notice", returns(make_xlsx, tmp_path)[1], "-o", str(out), "--lang", "en", "--to", "金东区民政局"
    )  # fmt: skip
    assert code == 0, err
    page = (out / "金东区-notice.html").read_text(encoding="utf-8")
    assert '<p class="to">To: 金东区民政局 (reporting unit)</p>' in page
    assert '<p class="status"><b>accepted with notes</b></p>' in page
    assert (
        "<td>Pension-insured at most full-time workers</td>"
        "<td>7 pension-insured but 6 full-time workers; please explain (Sheet1!I2, Sheet1!F2)</td>"
    ) in page
    assert '<td class="act">correct or explain</td>' in page


def test_the_workbook_notice(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    out = tmp_path / "n"
    run("notice", returns(make_xlsx, tmp_path)[2], "-o", str(out), "--lang", "zh")
    ws = load_workbook(out / "兰溪市-审核意见.xlsx").active
    assert ws.title == "审核意见"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "序号")
    assert [ws.cell(header, c).value for c in range(1, 8)] == [
        "序号", "单元格", "社区", "标准或审核项目", "发现的问题", "要求", "处理"
    ]  # fmt: skip
    assert ws.print_title_rows == f"${header}:${header}"  # repeated on every page
    first = [ws.cell(header + 1, c).value for c in range(1, 8)]
    assert first == [1, "Sheet1!E2", "丙社区", "工作服务用房面积", "空白（用房需要）",
                     "填写有效的工作服务用房面积", "更正"]  # fmt: skip


def test_notices_never_go_over_an_input(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    source = make_xlsx([community("乙社区", insured=(7, 6, 6, 6, 6, 6))], name="a.xlsx")
    shutil.move(source, folder / "a.xlsx")
    trap = folder / "a-审核意见.xlsx"
    shutil.copy2(SAMPLE, trap)
    before = trap.read_bytes()
    code, _, err = run("notice", str(folder / "a.xlsx"), str(trap), "-o", str(folder), "-l", "zh")
    assert code == 2
    assert "是本次运行读取的文件之一；拒绝覆盖" in err
    assert trap.read_bytes() == before


def test_two_inputs_of_the_same_name(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    paths = []
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        p = make_xlsx([community(f"{sub}社区", insured=(7, 6, 6, 6, 6, 6))], name=f"{sub}.xlsx")
        paths.append(shutil.move(p, tmp_path / sub / "婺城区.xlsx"))
    out = tmp_path / "n"
    run("notice", *map(str, paths), "-o", str(out), "--lang", "zh")
    assert sorted(p.name for p in out.glob("*.html")) == [
        "婺城区-审核意见-2.html",
        "婺城区-审核意见.html",
    ]


def test_a_superseded_return_gets_no_notice(tmp_path: Path) -> None:
    first, fixed = tmp_path / "婺城区.xlsx", tmp_path / "婺城区（修改）.xlsx"
    shutil.copy2(SAMPLE, first)
    shutil.copy2(SAMPLE, fixed)
    out = tmp_path / "n"
    code, _, err = run("notice", str(first), str(fixed), "-o", str(out), "--lang", "zh")
    assert code == 1
    assert err.splitlines()[0] == "婺城区.xlsx：各社区均按 婺城区（修改）.xlsx 计入，无需通知"
    assert [p.name for p in out.glob("*.html")] == ["婺城区（修改）-审核意见.html"]


def test_the_output_must_be_a_folder(make_xlsx: WorkbookFactory, tmp_path: Path) -> None:
    source = make_xlsx([community("乙社区", insured=(7, 6, 6, 6, 6, 6))])
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    code, _, err = run("notice", str(source), "-o", str(not_a_folder))
    assert code == 2
    assert err == (
        f"compliance: error: --output {not_a_folder}: notices are written into a folder; "
        "this is a file\n"
    )


@pytest.mark.parametrize(
    ("lang", "name", "footer", "office"),
    [
        ("zh", "兰溪市-审核意见.xlsx", "第 &P 页，共 &N 页", "审核单位：金华市民政局 （盖章）"),
        ("en", "兰溪市-notice.xlsx", "Page &P of &N", "Reviewing office: 金华市民政局 (seal)"),
    ],
)
def test_nothing_follows_the_table_of_the_workbook_notice(
    make_xlsx: WorkbookFactory, tmp_path: Path, lang: str, name: str, footer: str, office: str
) -> None:
    """A block after the items printed on a last page of its own under the repeated
    header row, an empty table: the facts and the signature now come before the
    table, and who made it and the page number are in the page footer."""
    out = tmp_path / "n"
    code, _, _ = run(
        "notice", returns(make_xlsx, tmp_path)[2], "-o", str(out), "--lang", lang,
        "--from", "金华市民政局",
    )  # fmt: skip
    assert code == 0
    ws = load_workbook(out / name).active
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value in ("序号", "No."))
    # The items are numbered 1, 2, … down to the last row of the sheet.
    numbers = [ws.cell(r, 1).value for r in range(header + 1, ws.max_row + 1)]
    assert numbers == list(range(1, len(numbers) + 1)) and numbers
    column_a = [ws.cell(r, 1).value for r in range(1, header)]
    assert office in column_a  # the signature line, above the table
    assert ws.oddFooter.right.text == footer
    assert ws.oddFooter.left.text.startswith(("由 compliance", "Made by compliance"))
