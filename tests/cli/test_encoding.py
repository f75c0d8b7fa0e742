"""Output on Chinese Windows: GBK and ASCII streams, the locale, usage errors in
the chosen language, and a broken pipe (issue 11, items 4 and 8)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from compliance.cli.usage import lang_of, translate
from compliance.labels import lang_for_locale
from compliance.render.encoding import fallback_stream
from tests.conftest import SAMPLE


def compliance(
    *args: str, env: dict[str, str] | None = None, **kw: object
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "compliance", *args],
        env={**os.environ, "COMPLIANCE_LANG": "", **(env or {})},
        **kw,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize("encoding", ["gbk", "cp936", "ascii"])
def test_a_legacy_stream_gets_fallback_marks_not_an_exception(
    encoding: str, tmp_path: Path
) -> None:
    out = tmp_path / "out.txt"
    with out.open("wb") as fh:
        proc = compliance(
            "check",
            str(SAMPLE),
            "--lang",
            "zh",
            env={"PYTHONIOENCODING": encoding},
            stdout=fh,
            stderr=subprocess.PIPE,
        )
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err.decode("utf-8", "replace")
    text = out.read_bytes().decode(encoding)  # every byte is valid in the stream's encoding
    assert "✓" not in text and "✗" not in text
    if encoding == "ascii":
        assert "x 140" in text  # 人民社区 is 140 m² short
    else:
        assert "人民社区" in text and "× 140" in text and "√" in text


def test_fallback_marks_choose_what_the_encoding_has() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="gbk")
    fallback_stream(stream)
    stream.write("✓ ✗ 3 ⏳ 2 m² ≥ 350 社区")
    stream.flush()
    assert raw.getvalue().decode("gbk") == "√ × 3 … 2 m2 ≥ 350 社区"
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    fallback_stream(stream)
    stream.write("\ufeff✓ ✗ 3 ⏳ ≥ 社区")
    stream.flush()
    assert raw.getvalue().decode("ascii") == "v x 3 ~ >= ??"


@pytest.mark.parametrize(
    ("name", "codepage", "lang"),
    [
        ("Chinese (Simplified)_China.936", "", "zh"),
        ("Chinese (Simplified)_China", "936", "zh"),
        ("Chinese (Traditional)_Taiwan.950", "", "zh"),
        ("zh_CN", "", "zh"),
        ("zh_CN.UTF-8", "", "zh"),
        ("zh-Hans", "", "zh"),
        ("", "cp936", "zh"),
        ("C", "GBK", "zh"),
        ("English_United States.1252", "", "en"),
        ("en_US.UTF-8", "", "en"),
        ("C.UTF-8", "", "en"),
        ("", "UTF-8", "en"),
        ("de_DE.gb18030", "", "en"),
    ],
)
def test_locale_names_give_the_language(name: str, codepage: str, lang: str) -> None:
    assert lang_for_locale(name, codepage) == lang


def test_usage_errors_follow_the_language_on_the_command_line() -> None:
    assert lang_of(["check", "x", "--lang", "zh"]) == "zh"
    assert lang_of(["check", "--lang=en", "x"]) == "en"
    assert lang_of(["check", "-lzh"]) == "zh"
    assert translate("No such option: --bogus", "zh") == "没有选项 --bogus"
    assert translate("Missing argument 'FILE...'.", "zh") == "缺少参数 FILE..."
    assert (
        translate(
            "Invalid value for '--jobs' / '-j': Input should be greater than or equal to 1", "zh"
        )
        == "'--jobs' / '-j' 的值无效：应不小于 1"
    )
    assert translate("Something new.", "zh") == "命令行用法有误：Something new."
    assert translate("No such option: --bogus", "en") == "No such option: --bogus"


def test_a_usage_error_in_chinese_through_the_entry_point() -> None:
    proc = compliance(
        "check",
        str(SAMPLE),
        "--bogus",
        "--lang",
        "zh",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    text = err.decode("utf-8")
    assert "错误：没有选项 --bogus" in text
    assert "用 “compliance check -h” 查看帮助。" in text
    assert out == b""


def test_a_broken_pipe_keeps_the_exit_code() -> None:
    # `compliance check … -f json | head -c1`: the report is far larger than a pipe holds.
    proc = compliance(
        "check", str(SAMPLE), "-f", "json", "-q", stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(1) == b"{"
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 1  # communities fail in the sample
    assert b"Traceback" not in err and b"Exception ignored" not in err


def test_default_language_on_a_chinese_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    import locale

    from compliance import labels

    for var in ("COMPLIANCE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    # What Python reports on a Chinese Windows (no POSIX variables there).
    monkeypatch.setattr(locale, "getlocale", lambda: ("Chinese (Simplified)_China", "936"))
    assert labels.default_lang() == "zh"
    monkeypatch.setattr(locale, "getlocale", lambda: ("English_United States", "1252"))
    assert labels.default_lang() == "en"
    monkeypatch.setenv("COMPLIANCE_LANG", "zh")
    assert labels.default_lang() == "zh"
