"""Turn raw cell values into numbers, flags and text.

Government sheets hold numbers as text, with thousands separators, full-width
digits (３５０) and units inside the cell (350平方米). Each parser returns the
value and, when the cell cannot be used, a problem code; the caller knows the
cell and records the problem.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

# After NFKC: "３５０平方米" -> "350平方米", "１，２００" -> "1,200", "㎡" -> "m2".
_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<num>\d+(?:\.\d*)?|\.\d+)(?P<wan>万)?"
    r"(?P<unit>平方米|平米|m2|m\^2|平方|人|名|户|元|元/人|元/月|元/年|元/人/年|元/人/月|个|%)?$",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"(?<=\d)[,，'’ ](?=\d{3}\b)")
_PLACEHOLDERS = frozenset(
    {
        "-",
        "--",
        "—",
        "——",
        "/",
        "\\",
        "无",
        "暂无",
        "n/a",
        "na",
        "none",
        "null",
        "#n/a",
        "空",
        "不详",
        "未填",
        "x",
    }
)
_TRUE = frozenset(
    {"是", "有", "已参保", "已缴", "已缴存", "参保", "y", "yes", "true", "1", "√", "✓", "✔", "t"}
)
_FALSE = frozenset(
    {"否", "无", "未参保", "未缴", "未缴存", "没有", "n", "no", "false", "0", "×", "✗", "✘", "f"}
)

EMPTY = "empty"
NOT_A_NUMBER = "not_a_number"
NEGATIVE = "negative"
NOT_WHOLE = "not_whole"
PLACEHOLDER = "placeholder"
NOT_A_FLAG = "not_a_flag"
ERROR_VALUE = "error_value"

#: Bilingual messages for each problem code; {raw} is the cell text.
MESSAGES: dict[str, tuple[str, str]] = {
    EMPTY: ("单元格为空", "the cell is empty"),
    NOT_A_NUMBER: ("“{raw}”不是数字", "'{raw}' is not a number"),
    NEGATIVE: ("“{raw}”为负数", "'{raw}' is negative"),
    NOT_WHOLE: ("“{raw}”不是整数，已按原值计算", "'{raw}' is not a whole number; used as is"),
    PLACEHOLDER: ("“{raw}”表示无数据", "'{raw}' means no data"),
    NOT_A_FLAG: ("“{raw}”不是“是/否”", "'{raw}' is not yes/no"),
    ERROR_VALUE: ("单元格是错误值 {raw}", "the cell holds the error value {raw}"),
}


def is_blank(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


def clean_text(v: Any) -> str:
    """A cell as display text: NFKC-normalised, inner whitespace collapsed."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = unicodedata.normalize("NFKC", str(v))
    return " ".join(s.split())


def parse_number(v: Any) -> tuple[float | None, str | None]:
    """(value, problem code). The value is None when the cell is unusable."""
    t = type(v)
    if t is float:
        if math.isfinite(v):
            return (v, None) if v >= 0 else (None, NEGATIVE)
        return None, NOT_A_NUMBER
    if t is int:
        return (float(v), None) if v >= 0 else (None, NEGATIVE)
    if v is None:
        return None, EMPTY
    if t is bool or isinstance(v, dt.date | dt.time | dt.timedelta):
        return None, NOT_A_NUMBER
    s = unicodedata.normalize("NFKC", str(v)).strip()
    if not s:
        return None, EMPTY
    if s.startswith("#") and s.endswith(("!", "?", "A")):
        return None, ERROR_VALUE
    s = _SEPARATORS.sub("", s).replace(" ", "")
    if s.lower() in _PLACEHOLDERS:
        return None, PLACEHOLDER
    m = _NUMBER.match(s)
    if m is None:
        return None, NOT_A_NUMBER
    value = float(m["num"])
    if m["wan"]:
        value *= 10_000
    if m["sign"] == "-" and value:
        return None, NEGATIVE
    return value, None


def parse_flag(v: Any) -> tuple[bool | None, str | None]:
    """Yes/no cells (是/否, √/×, 1/0) as booleans."""
    if v is None:
        return None, EMPTY
    if type(v) is bool:
        return v, None
    if isinstance(v, int | float):
        if v in (0, 1):
            return bool(v), None
        return None, NOT_A_FLAG
    s = unicodedata.normalize("NFKC", str(v)).strip().lower()
    if not s:
        return None, EMPTY
    if s in _TRUE:
        return True, None
    if s in _FALSE:
        return False, None
    return None, NOT_A_FLAG


def parse_text(v: Any) -> tuple[str | None, str | None]:
    s = clean_text(v)
    return (s, None) if s else (None, EMPTY)


def raw_text(v: Any) -> str:
    """How a raw cell is quoted in a message."""
    s = clean_text(v)
    return s if len(s) <= 40 else s[:37] + "..."
