"""Usage errors found by the command-line parser, in the user's language.

typer parses the command line before any command runs, so its messages
("No such option: --bogus") are English. The entry point catches them and
prints them here: in Chinese when ``--lang zh`` is on the command line (or the
locale is Chinese), with the parser's own text kept for anything not
recognised. The exit code stays 2.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

#: The parser's messages, and their Chinese. Groups are carried over as written.
_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), zh)
    for p, zh in (
        (r"^No such option: (\S+) \(Possible options: (.+)\)$", "没有选项 {0}（可用：{1}）"),
        (r"^No such option: (\S+)$", "没有选项 {0}"),
        (r"^No such command '(.+)'\.$", "没有命令“{0}”"),
        (r"^No such command '(.+)'\. Did you mean (.+)\?$", "没有命令“{0}”；是否指 {1}？"),
        (r"^Missing argument '(.+)'\.$", "缺少参数 {0}"),
        (r"^Missing option '(.+)'\.$", "缺少选项 {0}"),
        (r"^Option '(.+)' requires an argument\.$", "选项 {0} 需要一个值"),
        (r"^Option '(.+)' does not take a value\.$", "选项 {0} 不带值"),
        (r"^Got unexpected extra arguments? \((.+)\)$", "多余的参数：{0}"),
        (r"^Invalid value for (.+?): (.+)$", "{0} 的值无效：{1}"),
    )
)

#: Inner messages of "Invalid value for …".
_ZH_VALUE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), zh)
    for p, zh in (
        (r"^(?:Value error, )?(.+) is not one of (.+)\.$", "{0} 不是 {1} 之一"),
        (r"^Input should be greater than or equal to (\S+)$", "应不小于 {0}"),
        (r"^Input should be a valid integer.*$", "应为整数"),
        (r"^Input should be a valid number.*$", "应为数字"),
        (r"^'(.+)' is not a valid (integer|float)\.?$", "“{0}”不是有效的数字"),
    )
)


def lang_of(argv: Sequence[str]) -> str:
    """The language asked for on the command line (``--lang zh``, ``-l en``,
    ``--lang=zh``), else the default (locale or $COMPLIANCE_LANG)."""
    for i, arg in enumerate(argv):
        value = None
        if arg in ("--lang", "-l") and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        elif arg.startswith("-l") and len(arg) > 2 and not arg.startswith("--"):
            value = arg[2:]
        if value in ("zh", "en"):
            return value
    from compliance.labels import default_lang

    return default_lang()


def translate(message: str, lang: str) -> str:
    """The parser's ``message`` in ``lang`` (as written when not recognised)."""
    if lang != "zh":
        return message
    for pattern, zh in _ZH:
        m = pattern.match(message)
        if m is None:
            continue
        parts = list(m.groups())
        if pattern.pattern.startswith("^Invalid value"):
            parts[1] = _value(parts[1])
        return zh.format(*parts)
    # A message this table does not know yet: still framed in Chinese, its words kept.
    return f"命令行用法有误：{message}"


def _value(message: str) -> str:
    for pattern, zh in _ZH_VALUE:
        m = pattern.match(message)
        if m is not None:
            return zh.format(*m.groups())
    return message


def show(error: Any, argv: Sequence[str]) -> None:
    """Print a parser error (a click ``UsageError``) as the parser would, in the
    chosen language: the usage line, a hint, and one ``Error:`` line."""
    lang = lang_of(argv)
    ctx = getattr(error, "ctx", None)
    lines = []
    if ctx is not None:
        usage = ctx.get_usage()
        hint = f"{ctx.command_path} {ctx.help_option_names[0]}"
        if lang == "zh":
            lines += [usage.replace("Usage:", "用法：", 1), f"用 “{hint}” 查看帮助。", ""]
        else:
            lines += [usage, f"Try '{hint}' for help.", ""]
    text = translate(error.format_message(), lang)
    lines.append(f"错误：{text}" if lang == "zh" else f"Error: {text}")
    sys.stderr.write("\n".join(lines) + "\n")
