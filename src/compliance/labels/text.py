"""The text of a key in a language: :func:`t`, over every area's table."""

from __future__ import annotations

from compliance.labels import banner, office, progress, report, rulesets, summary, template

#: Every key of every area; the areas never share a key (a test checks that).
TEXT: dict[str, tuple[str, str]] = {
    **report.TEXT,
    **summary.TEXT,
    **rulesets.TEXT,
    **progress.TEXT,
    **template.TEXT,
    **office.TEXT,
    **banner.TEXT,
}
#: Every text whose English agrees with a count.
COUNTED: dict[str, tuple[str, str, str, str]] = {
    **report.COUNTED,
    **office.COUNTED,
    **banner.COUNTED,
}
_COUNTED = COUNTED


def t(key: str, lang: str, **kwargs: object) -> str:
    """The text ``key`` in ``lang``, filled in; English agrees with its count."""
    if key == "overall":
        return _overall(lang, **kwargs)
    counted = _COUNTED.get(key)
    if counted is not None:
        name, zh, one, other = counted
        text = zh if lang == "zh" else (one if _is_one(kwargs.get(name)) else other)
    else:
        zh, text = TEXT[key]
        if lang == "zh":
            text = zh
    return text.format(**kwargs) if kwargs else text


def _is_one(n: object) -> bool:
    return isinstance(n, int | float) and not isinstance(n, bool) and n == 1


def _overall(lang: str, **counts: object) -> str:
    """'200 communities: 50 pass every standard, 147 fail at least one, …'."""
    head = t("overall_total", lang, total=counts["total"])
    parts = (
        t("overall_pass", lang, passed=counts["passed"]),
        t("overall_fail", lang, failed=counts["failed"]),
        t("overall_unknown", lang, unknown=counts["unknown"]),
    )
    return f"{head}：{'，'.join(parts)}" if lang == "zh" else f"{head}: {', '.join(parts)}"
