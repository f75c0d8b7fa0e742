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

from compliance.safetext import echo

# After NFKC: "３５０平方米" -> "350平方米", "１，２００" -> "1,200", "㎡" -> "m2".
_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<num>\d+(?:\.\d*)?|\.\d+)(?P<wan>万)?"
    r"(?P<unit>平方米|平米|m2|m\^2|平方|人|名|户|元|元/人|元/月|元/年|元/人/年|元/人/月|个|%)?$",
    re.IGNORECASE,
)
# A thousands separator is followed by exactly three digits ("1,200户": the unit
# is a word character, so \b would not end the group).
_SEPARATORS = re.compile(r"(?<=\d)[,，'’ ](?=\d{3}(?!\d))")
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
NOT_A_SEX = "not_a_sex"
ERROR_VALUE = "error_value"
FORMULA_NOT_COMPUTED = "formula_not_computed"
DUPLICATE = "duplicate"
ROSTER_UNMATCHED = "roster_unmatched"
ROSTER_MISMATCH = "roster_mismatch"
OUT_OF_RANGE = "out_of_range"

#: No figure of a community (an area, a head count, a wage) is anywhere near this;
#: a larger or non-finite number is a damaged or forged cell, never a pass.
MAX_PLAUSIBLE = 1e12

#: Bilingual messages for each problem code; {raw} is the cell text.
MESSAGES: dict[str, tuple[str, str]] = {
    EMPTY: ("单元格为空", "the cell is empty"),
    NOT_A_NUMBER: ("“{raw}”不是数字", "'{raw}' is not a number"),
    NEGATIVE: ("“{raw}”为负数", "'{raw}' is negative"),
    NOT_WHOLE: ("“{raw}”不是整数，已按原值计算", "'{raw}' is not a whole number; used as is"),
    PLACEHOLDER: ("“{raw}”表示无数据", "'{raw}' means no data"),
    NOT_A_FLAG: ("“{raw}”不是“是/否”", "'{raw}' is not yes/no"),
    NOT_A_SEX: ("“{raw}”不是性别（男/女）", "'{raw}' is not a sex (男/女, M/F)"),
    OUT_OF_RANGE: (
        "“{raw}”超出合理范围（0 至 10¹²），未使用",
        "'{raw}' is outside the plausible range (0 to 10¹²); not used",
    ),
    ERROR_VALUE: ("单元格是错误值 {raw}", "the cell holds the error value {raw}"),
    FORMULA_NOT_COMPUTED: (
        "公式没有保存计算结果：请用 Excel 或 WPS 打开该文件并保存后再检查",
        "a formula with no saved result: open the file in Excel or WPS, save it, and check again",
    ),
    DUPLICATE: (
        "与第{first}行重复（{key}），按第一次出现的行检查，本行未参与检查",
        "duplicate of row {first} ({key}); the first row is checked, this one is not",
    ),
    ROSTER_UNMATCHED: (
        "人员名册中的社区“{raw}”在社区表中找不到，本行未计入",
        "the roster names community '{raw}', which is not in the community sheet; row not counted",
    ),
    ROSTER_MISMATCH: (
        "社区表填写为 {raw}，人员名册汇总为 {rolled}，按人员名册检查",
        "the community sheet says {raw} but the roster adds up to {rolled}; the roster is used",
    ),
}


def message(code: str, **params: Any) -> tuple[str, str]:
    """The (zh, en) message of a problem code, filled in."""
    zh, en = MESSAGES[code]
    # Cell text is echoed escaped and clipped: a message stays one short line.
    safe = {k: echo(v) if isinstance(v, str) else v for k, v in params.items()}
    return zh.format(**safe), en.format(**safe)


def is_blank(v: Any) -> bool:
    """An empty cell, or one holding only spaces."""
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


def clean_text(v: Any) -> str:
    """A cell as display text: NFKC-normalised, inner whitespace collapsed."""
    if v.__class__ is str:
        # Most cells are clean already; checking is much cheaper than rebuilding.
        if (
            v.isprintable()
            and "  " not in v
            and not v[:1].isspace()
            and not v[-1:].isspace()
            and unicodedata.is_normalized("NFKC", v)
        ):
            return v
    elif v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = unicodedata.normalize("NFKC", str(v))
    return " ".join(s.split())


def parse_number(v: Any) -> tuple[float | None, str | None]:
    """(value, problem code). The value is None when the cell is unusable."""
    t = type(v)
    if t is float or t is int:
        return _checked(float(v) if not abs(v) >= 1e300 else math.inf)
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
        value = -value
    return _checked(value)


def _checked(value: float) -> tuple[float | None, str | None]:
    """A number that is finite, plausible and not negative; else the problem."""
    if math.isnan(value):
        return None, NOT_A_NUMBER
    if not math.isfinite(value) or abs(value) > MAX_PLAUSIBLE:
        return None, OUT_OF_RANGE
    if value < 0:
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
    """Text cells, normalised; an empty cell is None."""
    s = clean_text(v)
    return (s, None) if s else (None, EMPTY)


def raw_text(v: Any) -> str:
    """How a raw cell is quoted in a message."""
    s = clean_text(v)
    return s if len(s) <= 40 else s[:37] + "..."
