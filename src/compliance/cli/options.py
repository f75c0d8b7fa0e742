"""Options shared by several commands."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from compliance.labels import default_lang
from compliance.rules.loader import DEFAULT_RULESET


class Lang(StrEnum):
    ZH = "zh"
    EN = "en"


RulesOption = Annotated[
    str,
    typer.Option(
        "--rules",
        "-r",
        metavar="NAME|PATH",
        help="Rule set: a name found in $COMPLIANCE_RULES_PATH, ./rules or the shipped rule sets, or a .toml path.",
    ),
]
DEFAULT_RULES = DEFAULT_RULESET


def lang_default() -> Lang:
    return Lang(default_lang())


LangOption = Annotated[
    Lang,
    typer.Option(
        "--lang",
        "-l",
        metavar="zh|en",
        help="Language of labels and titles (default: from the locale, or $COMPLIANCE_LANG).",
    ),
]
