"""Which language to speak: ``--lang``, ``$COMPLIANCE_LANG`` or the locale."""

from __future__ import annotations

import locale
import os
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


def default_lang() -> Lang:
    """Chinese when the locale is Chinese, else English; $COMPLIANCE_LANG overrides.

    The POSIX variables come first (``zh_CN.UTF-8``); then the process locale,
    which on Windows reads ``Chinese (Simplified)_China`` with code page 936.
    """
    env = os.environ.get("COMPLIANCE_LANG", "").lower()
    if env in LANGS:
        return "zh" if env == "zh" else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return lang_for_locale(value)
    try:
        name, codepage = locale.getlocale()
    except ValueError:
        name, codepage = None, None
    return lang_for_locale(name or "", codepage or locale.getpreferredencoding(False))


#: Code pages of Chinese locales: GBK/GB18030 (Windows 936), Big5 (950).
_CHINESE_CODEPAGES = ("936", "cp936", "gbk", "gb2312", "gb18030", "950", "cp950", "big5")


def lang_for_locale(name: str, codepage: str = "") -> Lang:
    """The language a locale name implies: ``zh_CN.UTF-8``, ``zh-Hans``,
    ``Chinese (Simplified)_China.936`` or ``Chinese_China`` give Chinese, and so
    does a locale that names no language (empty, ``C``) on a Chinese code page
    (``cp936``); anything else English."""
    text = name.strip().lower()
    if text.startswith(("zh", "chinese")):
        return "zh"
    base, _, page = text.partition(".")
    if base not in ("", "c", "posix"):
        return "en"
    page = (page or codepage).strip().lower().replace("-", "")
    return "zh" if page in _CHINESE_CODEPAGES else "en"
