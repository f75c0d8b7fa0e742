"""The banner at the top of every report: what a reader must know before the figures.

In this order: the inputs that could not be read (the figures leave them out), the
returns to send back, the unknown findings grouped by cause (the office's own
missing reference figures first), the advisory items to explain, the communities
found in more than one input, and the listed communities no input has. Each
renderer lays the same lines out in its own way (:func:`lines` gives them as
text, each with its kind); a report with nothing to flag has no banner.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from compliance.labels import field_label, t

if TYPE_CHECKING:
    from compliance.results import Report

__all__ = ["BannerLine", "lines", "superseded"]

#: File names named in one line; the rest are counted.
FILES_SHOWN = 8
#: Fields named in the line about empty or unreadable cells; the rest are counted.
FIELDS_SHOWN = 4
#: Districts named in the coverage line; the rest are counted.
DISTRICTS_SHOWN = 10


@dataclass(frozen=True, slots=True)
class BannerLine:
    """One line of the banner: ``kind`` says how grave it is (for styling)."""

    #: "unreadable", "returned", "unknown", "advisory", "explained", "duplicates", "coverage"
    kind: str
    text: str

    @property
    def grave(self) -> bool:
        """Lines about data that is wrong or absent (shown red), not notes."""
        return self.kind in ("unreadable", "returned")


def _files(names: list[str], lang: str) -> str:
    shown = t("banner_sep", lang).join(names[:FILES_SHOWN])
    if len(names) > FILES_SHOWN:
        shown += t("banner_sep", lang) + t("banner_more_files", lang, n=len(names) - FILES_SHOWN)
    return shown


def _by(names: list[str], lang: str, multi: bool) -> str:
    """The files a line is about, named where the run has several inputs."""
    return t("banner_by", lang, files=_files(names, lang)) if multi and names else ""


def superseded(report: Report) -> set[str]:
    """The inputs every community of which is counted from another input (a
    resubmitted, corrected return): nothing of them is sent back or explained."""
    dropped = {d.dropped for d in report.duplicates}
    return {c.source.path for c in report.checks if not len(c.table) and c.source.path in dropped}


def lines(report: Report, lang: str) -> list[BannerLine]:
    """The banner of ``report`` in ``lang`` (empty when nothing needs saying)."""
    from compliance.duplicates import pairs
    from compliance.unknowns import causes
    from compliance.verdict import Status, verdicts

    sep = t("banner_sep", lang)
    multi = len(report.checks) + len(report.failures) > 1
    out: list[BannerLine] = []
    if report.failures:
        names = [Path(f.path).name for f in report.failures]
        out.append(
            BannerLine(
                "unreadable", t("banner_unreadable", lang, n=len(names), files=_files(names, lang))
            )
        )
    # A return whose every community is counted from a corrected file is not sent back.
    gone = superseded(report)
    judged = [(p, v) for p, v in verdicts(report) if p not in gone]
    returned = [Path(p).name for p, v in judged if v.status is Status.RETURNED]
    if returned:
        text = t("banner_returned", lang, n=len(returned), files=_files(returned, lang))
        out.append(BannerLine("returned", text))
    rules = {r.id: r for r in report.rules}
    for cause in causes(report):
        said = sep.join(rules[r].short(lang) if r in rules else r for r in cause.rules)
        by = _by(list(cause.files), lang, multi)
        if cause.kind == "unsourced":
            units = [u or t("banner_no_unit", lang) for u in cause.units]
            field = field_label(cause.fields[0], lang)
            text = t(
                "banner_unsourced",
                lang,
                n=cause.communities,
                units=sep.join(units),
                field=field if lang == "zh" else field[:1].lower() + field[1:],
                rules=said,
            )
        elif cause.kind == "missing":
            fields = [field_label(f, lang) for f in cause.fields]
            shown = sep.join(fields[:FIELDS_SHOWN])
            if len(fields) > FIELDS_SHOWN:
                shown += sep + t("more_names", lang, n=len(fields) - FIELDS_SHOWN)
            text = t("banner_missing", lang, n=cause.communities, fields=shown, rules=said, by=by)
        else:
            text = t(f"banner_{cause.kind}", lang, n=cause.communities, rules=said, by=by)
        out.append(BannerLine("unknown", text))
    for kind in ("advisory", "explained"):
        counted = [(Path(p).name, getattr(v, kind)) for p, v in judged if getattr(v, kind)]
        if counted:
            n = sum(k for _, k in counted)
            names = [f"{name} {k}" for name, k in counted]
            by = _by(names, lang, multi)
            out.append(BannerLine(kind, t(f"banner_{kind}", lang, n=n, by=by)))
    if report.duplicates:
        found = pairs(report.duplicates)
        said_pairs = [
            t(
                "banner_duplicate_pair",
                lang,
                n=n,
                dropped=Path(dropped).name,
                kept=Path(kept).name,
            )
            for dropped, kept, _, n in found
        ]
        text = t(
            "banner_duplicates",
            lang,
            n=sum(n for *_, n in found),
            pairs=_files(said_pairs, lang),
        )
        out.append(BannerLine("duplicates", text))
    cov = report.coverage
    if cov is not None and cov.missing:
        per: dict[str, int] = {}
        for m in cov.missing:
            key = m.district or t("coverage_no_district", lang)
            per[key] = per.get(key, 0) + 1
        districts = [
            t("banner_district_count", lang, district=d, n=n) for d, n in list(per.items())
        ]
        shown = sep.join(districts[:DISTRICTS_SHOWN])
        if len(districts) > DISTRICTS_SHOWN:
            shown += sep + t("more_names", lang, n=len(districts) - DISTRICTS_SHOWN)
        text = t(
            "banner_coverage", lang, n=len(cov.missing), file=Path(cov.path).name, districts=shown
        )
        out.append(BannerLine("coverage", text))
    if cov is not None and cov.unexpected:
        text = t("banner_unexpected", lang, n=len(cov.unexpected), file=Path(cov.path).name)
        out.append(BannerLine("coverage", text))
    return out
