"""Error messages in both languages (issue 19, item 9): every message of the catalogue
has a Chinese and an English text with the same placeholders, no error is raised with
a sentence of its own, and the command line says them in the user's language."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from typer.testing import CliRunner

import compliance
from compliance.cli import app
from compliance.errors import InputError
from compliance.labels.messages import AREAS, AS_GIVEN, MESSAGES, Msg, msg, placeholders
from tests.conftest import SAMPLE, WorkbookFactory, community

SRC = Path(compliance.__file__).resolve().parent
runner = CliRunner()
#: The calls that take a message key first: the error classes and the message itself.
KEYED = {
    "ComplianceError",
    "InputError",
    "RuleSetError",
    "UsageError",
    "BiffError",
    "ExpressionError",
    "Msg",
    "msg",
}


def test_every_message_has_both_languages_and_the_same_placeholders() -> None:
    bad = [
        key
        for key, (zh, en) in MESSAGES.items()
        if not zh.strip()
        or not en.strip()
        or (placeholders(zh) != placeholders(en) and key != AS_GIVEN)
    ]
    assert bad == []


def test_no_two_areas_share_a_key() -> None:
    assert len(MESSAGES) == sum(len(area.TEXT) for area in AREAS)


def test_every_message_can_be_said_in_both_languages() -> None:
    for key, (zh, en) in MESSAGES.items():
        filled = Msg(key, dict.fromkeys(placeholders(zh) | placeholders(en), 1))
        assert filled.text("zh") and filled.text("en"), key


def _calls() -> list[tuple[str, int, str, ast.expr | None]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            if name in KEYED:
                first = node.args[0] if node.args else None
                out.append((str(path.relative_to(SRC)), node.lineno, name, first))
    return out


def _key_pattern(node: ast.JoinedStr) -> bool:
    """``f"kind_{kind}"``: a key chosen among several, not a sentence."""
    parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
    return all(isinstance(p, str) and p.replace("_", "").isalnum() and p.islower() for p in parts)


def test_no_error_is_raised_with_a_sentence_of_its_own() -> None:
    """An error names a message by key; a literal or formatted sentence is refused."""
    assert len(_calls()) > 150  # the walk finds the raise sites
    sentences = [
        f"{path}:{line} {name}"
        for path, line, name, first in _calls()
        if (isinstance(first, ast.JoinedStr) and not _key_pattern(first))
        or isinstance(first, ast.BinOp)
        or (isinstance(first, ast.Call) and getattr(first.func, "attr", "") in ("join", "format"))
    ]
    assert sentences == []


def test_every_key_named_in_the_code_is_in_the_catalogue() -> None:
    missing = [
        f"{path}:{line} {first.value!r}"
        for path, line, _, first in _calls()
        if isinstance(first, ast.Constant)
        and isinstance(first.value, str)
        and first.value not in MESSAGES
    ]
    assert missing == []


def test_a_message_names_a_known_key() -> None:
    with pytest.raises(KeyError, match="no message 'a sentence'"):
        InputError("a sentence")


def test_an_error_in_either_language() -> None:
    exc = InputError("file_empty", where="婺城区.xlsx")
    assert str(exc) == "婺城区.xlsx: the file is empty (0 bytes)"
    assert exc.line("zh") == "婺城区.xlsx：文件为空（0 字节）"
    nested = msg("worker_failed", what=msg("worker_oom", limit="4 GiB", ulimit=""))
    assert nested.text("zh") == "读取进程内存不足（上限 4 GiB）"
    assert nested.text("en") == "the reader process ran out of memory (limit 4 GiB)"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200", **(env or {})})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "zh"),
    [
        (["check", "nothere.xlsx"], "compliance: 错误：nothere.xlsx：找不到文件\n"),
        (
            ["check", str(SAMPLE), "--as-of", "soon"],
            "compliance: 错误：--as-of 'soon'：不是日期；请写成 "
            "YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYY年MM月DD日\n",
        ),
        (["check", str(SAMPLE), "--rules", "nothere"], None),
        (["check", str(SAMPLE), "-o", "r.pdf"], None),
        (["rules", "explain", "staffs"], None),
    ],
)
def test_error_lines_are_chinese_under_lang_zh_and_a_chinese_locale(
    args: list[str], zh: str | None
) -> None:
    chinese_locale = {"LANG": "zh_CN.UTF-8", "COMPLIANCE_LANG": ""}
    for extra, env in ((["--lang", "zh"], {}), ([], chinese_locale)):
        code, _, err = run(*args, *extra, env=env)
        assert code == 2, err
        assert err.startswith("compliance: 错误："), err
        assert "error:" not in err
        if zh is not None:
            assert err == zh


def test_a_rule_file_problem_in_chinese(tmp_path: Path, make_xlsx: WorkbookFactory) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[ruleset]\nid = "bad"\nversion = "1"\ntitle_zh = "坏"\ntitle_en = "Bad"\n'
        'extends = "zhejiang-2007"\n\n[[rules]]\nid = "premises"\nseverity = "fatal"\n'
        'measure = "premises_aera"\n',
        encoding="utf-8",
    )
    code, _, err = run("check", str(make_xlsx([community()])), "--rules", str(bad), "--lang", "zh")
    assert code == 2
    assert err.startswith(
        f"compliance: 错误：{bad}：规则 'premises' 的字段 severity（第 10 行）：应为 "
    )
    assert (
        "规则 'premises' 的 measure = 'premises_aera'（第 11 行）：未知的名称 'premises_aera'"
        in err
    )
    assert "是否指 'premises_area'？" in err
    code, out, _ = run("rules", "validate", str(bad), "--lang", "zh")
    assert code == 2
    assert "未知的名称 'premises_aera'" in out


def test_the_unreadable_file_text_of_a_chinese_report(
    make_xlsx: WorkbookFactory, tmp_path: Path
) -> None:
    empty = tmp_path / "义乌市.xlsx"
    empty.write_bytes(b"")
    good = make_xlsx([community()])
    code, out, _ = run("check", str(good), str(empty), "--lang", "zh")
    assert code == 2
    assert f"  {empty}：文件为空（0 字节）" in out.split("无法读取的文件\n", 1)[1]
    md = tmp_path / "r.md"
    run("check", str(good), str(empty), "--lang", "zh", "-o", str(md))
    assert "义乌市.xlsx：文件为空（0 字节）" in md.read_text(encoding="utf-8")
    html = tmp_path / "r.html"
    run("check", str(good), str(empty), "--lang", "zh", "-o", str(html))
    assert "文件为空（0 字节）" in html.read_text(encoding="utf-8")


def test_usage_errors_are_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    from compliance.cli.app import run as entry

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LANG", "zh_CN.UTF-8")
        mp.setenv("COMPLIANCE_LANG", "")
        mp.delenv("LC_ALL", raising=False)
        mp.delenv("LC_MESSAGES", raising=False)
        assert entry(["chek", "x"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == "错误：没有命令“chek”；是否指 'check'？"


def test_interrupted_and_internal_errors_in_chinese() -> None:
    from compliance.cli.errors import handle_errors

    @handle_errors
    def interrupted(lang: str) -> None:
        raise KeyboardInterrupt

    @handle_errors
    def broken(lang: str) -> None:
        raise ValueError("boom")

    import typer

    app_ = typer.Typer()
    app_.command("i")(interrupted)
    app_.command("b")(broken)
    result = runner.invoke(app_, ["i", "zh"])
    assert (result.exit_code, result.stderr) == (130, "compliance: 已中断\n")
    result = runner.invoke(app_, ["b", "zh"])
    assert result.exit_code == 3
    assert result.stderr == (
        "compliance: 错误：内部错误：ValueError: boom（这是程序错误；"
        "设置 COMPLIANCE_DEBUG=1 可查看调用栈，请报告此问题）\n"
    )


def test_errors_cross_a_worker_in_both_languages(tmp_path: Path) -> None:
    """A single named file is checked in a worker; its error comes back by key."""
    empty = tmp_path / "e.xlsx"
    empty.write_bytes(b"")
    code, _, err = run("check", str(empty), "--lang", "zh")
    assert (code, err) == (2, f"compliance: 错误：{empty}：文件为空（0 字节）\n")
