"""The verdict on each return in words: one line per input, for every text report."""

from __future__ import annotations

from pathlib import Path

from compliance.labels import t
from compliance.results import Report
from compliance.verdict import Status, Verdict, verdicts

#: The counts a verdict line names, in this order: first what returns the file.
_COUNTS = (
    "blocking_checks",
    "unreadable_cells",
    "missing_cells",
    "uncomputable",
    "advisory",
    "notes",
    "explained",
    "unsourced",
)
#: The style of each status on a terminal.
STYLE = {
    Status.ACCEPTED: "green",
    Status.ACCEPTED_WITH_NOTES: "yellow",
    Status.RETURNED: "bold red",
}


def status_text(status: Status, lang: str) -> str:
    """审核通过 / 通过，附说明事项 / 退回修改 (accepted / … / returned for correction)."""
    return t(f"verdict_{status.value}", lang)


def reasons(v: Verdict, lang: str) -> list[str]:
    """What produced the verdict, in words: "7 needed cells empty", …"""
    if not v.readable:
        return [t("verdict_unreadable_file", lang)]
    return [t(f"verdict_{k}", lang, n=n) for k in _COUNTS if (n := getattr(v, k))]


def verdict_line(path: str, v: Verdict, lang: str) -> str:
    """One input's verdict: "婺城区.xlsx：退回修改（7 个所需单元格为空）"."""
    text = t("verdict_line", lang, file=Path(path).name, status=status_text(v.status, lang))
    why = reasons(v, lang)
    if why:
        text += t("verdict_because", lang, why=t("verdict_sep", lang).join(why))
    return text


def verdict_lines(report: Report, lang: str) -> list[tuple[Status, str]]:
    """(status, line) for each input of ``report``: the readable ones, then the others."""
    return [(v.status, verdict_line(path, v, lang)) for path, v in verdicts(report)]
