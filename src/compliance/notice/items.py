"""What a notice lists: each cell a return must correct or explain.

:func:`notice_of` reads a checked input (its findings table, data problems and
failed checks, never record objects) or an input that could not be read, and
gives a :class:`Notice`: the addressee, the verdict, and one :class:`Item` per
cell, each with the rule or check, what was found and what is expected, and
what to do: ``fix`` (correct the figure), ``explain`` (write a 说明, or correct)
or ``explained`` (answered already; listed so the record is complete).
Communities that merely fall short of a standard are not listed: the notice is
about the return's data, as its verdict is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from compliance.labels import field_label, t
from compliance.model import DataProblem
from compliance.results import CheckResult, InputFailure, Report
from compliance.verdict import Status, Verdict, judge_failure, verdict_of

#: Actions, in the order a notice lists them.
ACTIONS = ("fix", "explain", "explained")
_SKIPPED = frozenset({"duplicate_across_inputs"})
_CHECK_LABELS = {
    "zh": ("提示性审核", "强制性审核"),
    "en": ("Advisory check", "Blocking check"),
}


@dataclass(frozen=True, slots=True)
class Item:
    """One cell (or group of cells) to correct or explain."""

    action: str
    cells: tuple[str, ...]
    community: str
    what: str
    found: str
    expected: str
    row: int = 0


@dataclass(frozen=True, slots=True)
class Notice:
    """A notice to send back with one return."""

    path: str
    sha256: str | None
    to: str
    verdict: Verdict
    items: tuple[Item, ...]
    ruleset: str
    issued: dt.date
    reply_by: dt.date | None
    office: str | None

    @property
    def needed(self) -> bool:
        """A return that is accepted without notes gets no notice."""
        return self.verdict.status is not Status.ACCEPTED or any(
            i.action != "explained" for i in self.items
        )


def addressee(check: CheckResult | None, path: str) -> str:
    """The 填报单位: the district every community names, else the file's name."""
    if check is not None and "district" in check.table.records.columns:
        names = check.table.records["district"].drop_nulls().unique().to_list()
        names = [n for n in names if n]
        if len(names) == 1:
            return str(names[0])
        if names:
            return "、".join(sorted(map(str, names)))
    return Path(path).stem


def notice_of(
    item: CheckResult | InputFailure,
    report: Report,
    lang: str,
    *,
    to: str | None = None,
    office: str | None = None,
    reply_by: dt.date | None = None,
    issued: dt.date | None = None,
) -> Notice:
    """The notice for one input of ``report`` (see the module docstring)."""
    rs = report.ruleset
    label = (
        f"《{rs.title(lang)}》（{rs.label}）" if lang == "zh" else f"{rs.title(lang)} ({rs.label})"
    )
    when = issued or dt.date.today()
    if isinstance(item, InputFailure):
        unreadable = Item(
            "fix",
            (),
            "—",
            t("notice_file", lang),
            item.message,
            t("notice_expect_file", lang),
        )
        return Notice(
            item.path,
            item.sha256,
            to or Path(item.path).stem,
            judge_failure(item),
            (unreadable,),
            label,
            when,
            reply_by,
            office,
        )
    names = _names(item)
    found = [*_problem_items(item, names, lang), *_unknown_items(item, names, lang)]
    found.sort(key=lambda i: (ACTIONS.index(i.action), i.row, i.cells))

    return Notice(
        item.source.path,
        item.source.sha256,
        to or addressee(item, item.source.path),
        verdict_of(item),
        tuple(found),
        label,
        when,
        reply_by,
        office,
    )


def cells_text(item: Item, lang: str) -> str:
    """The item's cells in one line ("社区情况!I8、社区情况!K8"), or the row alone."""
    if item.cells:
        return ("、" if lang == "zh" else ", ").join(item.cells)
    if item.row:
        return t("notice_row", lang, row=item.row)
    return "—"


def _names(check: CheckResult) -> dict[int, str]:
    records = check.table.records
    rows = records["_row"].to_list()
    names = [n or i or "" for n, i in zip(records["name"], records["id"], strict=True)]
    return dict(zip(rows, names, strict=True))


def _body(p: DataProblem, lang: str, title: str) -> str:
    """A check's message without the "Advisory check 'x' failed: " it starts with."""
    text = p.message_zh if lang == "zh" else p.message_en
    for label in _CHECK_LABELS[lang]:
        head = f"{label}“{title}”未通过：" if lang == "zh" else f"{label} '{title}' failed: "
        if text.startswith(head):
            return text[len(head) :]
    return text


def _problem_items(check: CheckResult, names: dict[int, str], lang: str) -> list[Item]:
    titles = {c.id: (c.title_zh, c.title_en) for c in check.ruleset.checks}
    titles["subtotal"] = ("合计/小计等于所含社区之和", "Subtotal equals the sum of its communities")
    needed = {f for r in check.rules for f in r.fields}
    out = []
    for p in check.problems:
        if p.code in _SKIPPED:
            continue
        who = names.get(p.row or 0, "")
        if p.check == "subtotal":
            who = t("notice_subtotal_row", lang)
        elif not who and p.code == "duplicate":
            who = p.raw or ""  # the repeated row is not among the communities
        cells = tuple(c for c in (p.cells or (p.cell,)) if c)
        if p.code in ("review", "swing"):
            zh, en = titles.get(p.check or "", (p.check or "", p.check or ""))
            title = zh if lang == "zh" else en
            if p.severity == "blocking":
                action, expected = "fix", t("notice_expect_blocking", lang, check=title)
            elif p.explained:
                action, expected = "explained", t("notice_explained", lang, text=p.explanation)
            else:
                action, expected = "explain", t("notice_expect_explain", lang, check=title)
            out.append(Item(action, cells, who, title, _body(p, lang, title), expected, p.row or 0))
        elif p.field in needed and p.code not in (
            "duplicate",
            "roster_unmatched",
            "roster_mismatch",
        ):
            what = field_label(p.field or "", lang)
            expected = t("notice_expect_value", lang, field=what)
            out.append(Item("fix", (p.cell,), who, what, p.message(lang), expected, p.row or 0))
        else:
            what = field_label(p.field, lang) if p.field else t("notice_data", lang)
            expected = t("notice_expect_check", lang)
            out.append(Item("explain", (p.cell,), who, what, p.message(lang), expected, p.row or 0))
    return out


def _unknown_items(check: CheckResult, names: dict[int, str], lang: str) -> list[Item]:
    """One item per empty cell a rule needs (naming every rule that needs it), and one
    per finding that cannot be computed."""
    # Only the unknown findings are explained (materialising every finding would cost
    # the derivations of all the failures too).
    unknown = check.table.findings(pl.col("outcome") == "unknown")
    if not unknown.height:
        return []
    rows = dict(zip(check.table.records["_rec"], check.table.records["_row"], strict=True))
    flagged = {p.cell for p in check.problems}
    short = {r.id: r.short(lang) for r in check.rules}
    empty: dict[str, tuple[int, str, list[str]]] = {}
    out: list[Item] = []
    for rec, rule, reason, cells, fields, notes in unknown.select(
        "_rec", "rule", "reason", "cells", "missing", "notes"
    ).iter_rows():
        row = int(rows[rec])
        if reason.startswith("error:"):
            what = short.get(rule, rule)
            out.append(
                Item(
                    "fix",
                    tuple(c for c in cells or [] if c),
                    names.get(row, ""),
                    what,
                    t("notice_found_error", lang, message=reason[6:]),
                    t("notice_expect_error", lang),
                    row,
                )
            )
            continue
        if reason != "missing":
            continue
        for i, fid in enumerate(fields or []):
            cell = (cells or [])[i] if i < len(cells or []) else ""
            if any(n.startswith(f"{fid}=unsourced:") for n in notes or []) or cell in flagged:
                continue
            key = cell or f"{row}:{fid}"
            _, _, rules = empty.setdefault(key, (row, fid, []))
            if short.get(rule, rule) not in rules:
                rules.append(short.get(rule, rule))
    sep = "、" if lang == "zh" else ", "
    for cell, (row, fid, rules) in empty.items():
        what = field_label(fid, lang)
        out.append(
            Item(
                "fix",
                (cell,) if ":" not in cell else (),
                names.get(row, ""),
                what,
                t("notice_found_empty", lang, rules=sep.join(rules)),
                t("notice_expect_value", lang, field=what),
                row,
            )
        )
    return out
