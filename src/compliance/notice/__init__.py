"""Notices to send back with returns (审核意见): for each input that is returned or
has notes, a print-ready HTML page and a workbook, addressed to the 填报单位 and
listing each cell to correct or explain (:mod:`.items`, :mod:`.html`, :mod:`.xlsx`).

>>> from compliance import api
>>> from compliance.notice import write_notices
>>> report = api.check_files(["returns/"])  # doctest: +SKIP
>>> write_notices(report, "notices", lang="zh")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from compliance.errors import UsageError
from compliance.notice.items import Item, Notice, notice_of
from compliance.results import CheckResult, InputFailure, Report
from compliance.verdict import Status

__all__ = ["Item", "Notice", "Written", "notice_of", "write_notices"]

#: What a notice file's name adds to its input's (婺城区.xlsx -> 婺城区-审核意见.html).
SUFFIX = {"zh": "-审核意见", "en": "-notice"}


@dataclass(frozen=True, slots=True)
class Written:
    """What became of one input: the notice files written (none when not needed), or
    the input its communities were all counted from."""

    path: str
    status: Status
    files: tuple[Path, ...] = ()
    superseded_by: str | None = None


def write_notices(
    report: Report,
    folder: str | os.PathLike[str],
    *,
    lang: str = "zh",
    to: str | None = None,
    office: str | None = None,
    reply_by: dt.date | None = None,
    issued: dt.date | None = None,
    side_files: Iterable[Path | None] = (),
) -> list[Written]:
    """Write a notice (``.html`` and ``.xlsx``) into ``folder`` for each input of
    ``report`` that is returned or has notes, named after the input. Each file is
    written atomically and never over a file the run read (an input or a side file);
    ``folder`` is made if it does not exist."""
    from compliance.notice.html import notice_page
    from compliance.notice.xlsx import write_notice
    from compliance.output import atomic_writer, guard_inputs

    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise UsageError("notice_folder", path=str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError("notice_mkdir", path=str(out), reason=exc.strerror or str(exc)) from None
    read = [Path(c.source.path) for c in report.checks] + [Path(f.path) for f in report.failures]
    sides = list(side_files)
    taken: set[str] = set()
    done: list[Written] = []
    items: list[CheckResult | InputFailure] = [*report.checks, *report.failures]
    for item in items:
        path = item.source.path if isinstance(item, CheckResult) else item.path
        kept = _superseded(item, report)
        notice = notice_of(
            item, report, lang, to=to, office=office, reply_by=reply_by, issued=issued
        )
        if kept is not None or not notice.needed:
            done.append(Written(path, notice.verdict.status, superseded_by=kept))
            continue
        stem = _free(f"{Path(path).stem}{SUFFIX[lang]}", taken)
        html_path, xlsx_path = out / f"{stem}.html", out / f"{stem}.xlsx"
        for target in (html_path, xlsx_path):
            guard_inputs(target, read, sides)
        page = notice_page(notice, lang)
        with atomic_writer(html_path) as text:
            text.write(page)  # type: ignore[call-overload]
        with atomic_writer(xlsx_path, binary=True) as fh:
            write_notice(notice, lang, fh)  # type: ignore[arg-type]
        done.append(Written(path, notice.verdict.status, (html_path, xlsx_path)))
    return done


def _free(stem: str, taken: set[str]) -> str:
    """``stem``, or ``stem-2``, ``stem-3``… when two inputs share a name."""
    name, n = stem, 1
    while name.casefold() in taken:
        n += 1
        name = f"{stem}-{n}"
    taken.add(name.casefold())
    return name


def _superseded(item: CheckResult | InputFailure, report: Report) -> str | None:
    """The input every community of ``item`` is counted from, if all of them are."""
    if not isinstance(item, CheckResult) or len(item.table):
        return None
    kept = {d.kept for d in report.duplicates if d.dropped == item.source.path}
    return next(iter(kept)) if len(kept) == 1 else None
