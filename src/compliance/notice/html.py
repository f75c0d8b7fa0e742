"""A notice as one print-ready HTML page: A4, self-contained, no script.

As the HTML report (:mod:`compliance.render.html`): the stylesheet is inline,
nothing is fetched (a ``Content-Security-Policy`` of ``default-src 'none'``), and
every text from a workbook (names, cells, raw values, explanations) passes
through :func:`compliance.render.html.text.esc`.
"""

from __future__ import annotations

from pathlib import Path

from compliance._version import __version__
from compliance.labels import t
from compliance.notice.items import Item, Notice, cells_text
from compliance.render.html.text import esc
from compliance.render.verdicts import reasons, status_text

CSS = """
@page{size:A4;margin:16mm 14mm}
*{box-sizing:border-box}
body{margin:0 auto;max-width:190mm;padding:12px;color:#111;line-height:1.55;font-size:14px;
font-family:"SimSun","Songti SC","Noto Serif CJK SC","Source Han Serif SC",serif}
h1{text-align:center;font-size:1.6rem;letter-spacing:.3em;margin:8px 0 2px}
.status{text-align:center;font-size:1.05rem;margin:0 0 14px}
.status b{border:1.5px solid #111;padding:1px 10px}
p{margin:6px 0}
.to{font-weight:bold;margin-top:12px}
table{border-collapse:collapse;width:100%;font-size:12px;margin:10px 0}
th,td{border:1px solid #555;padding:4px 5px;text-align:left;vertical-align:top}
th{background:#eee;white-space:nowrap}
td.n{text-align:center;white-space:nowrap}
td.cell{font-family:ui-monospace,Consolas,monospace;font-size:10.5px}
td.cell span{white-space:nowrap}
table{table-layout:fixed}
td.act{font-weight:bold}
tr.explained td{color:#555}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:12px;margin:10px 0}
dt{color:#444}dd{margin:0;word-break:break-all}
.how{font-size:12px;color:#333}
.sign{margin-top:28px;display:flex;justify-content:space-between;gap:16px;flex-wrap:wrap}
footer{margin-top:24px;font-size:10px;color:#666;text-align:center}
@media print{
body{padding:0;max-width:none;font-size:11pt}
thead{display:table-header-group}
tr{break-inside:avoid;page-break-inside:avoid}
th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""


def notice_page(notice: Notice, lang: str) -> str:
    """The whole page."""
    html_lang = "zh-CN" if lang == "zh" else "en"
    title = t("notice_title", lang)
    name = Path(notice.path).name
    by = t("notice_by", lang, date=notice.reply_by.isoformat()) if notice.reply_by else ""
    why = reasons(notice.verdict, lang)
    sep = "；" if lang == "zh" else "; "
    facts = [
        (t("notice_file", lang), name),
        (t("notice_sha", lang), notice.sha256 or "—"),
        (t("notice_ruleset", lang), notice.ruleset),
        (t("notice_issued", lang), notice.issued.isoformat()),
    ]
    if notice.reply_by:
        facts.append((t("notice_reply_by", lang), notice.reply_by.isoformat()))
    if why:
        facts.append((t("notice_counts", lang), sep.join(why)))
    body = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="status"><b>{esc(status_text(notice.verdict.status, lang))}</b></p>',
        f'<p class="to">{esc(t("notice_to", lang, to=notice.to))}</p>',
        "<p>"
        + esc(
            t(
                "notice_intro",
                lang,
                file=name,
                ruleset=notice.ruleset,
                status=status_text(notice.verdict.status, lang),
            )
        )
        + "</p>",
    ]
    if notice.items:
        body.append(f"<p>{esc(t('notice_ask', lang, by=by))}</p>")
        body.append(_table(notice, lang))
        body.append(f'<p class="how">{esc(t("notice_how", lang))}</p>')
    else:
        body.append(f"<p>{esc(t('notice_none', lang))}</p>")
    body.append("<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts) + "</dl>")
    office = notice.office or "____________________"
    colon = "：" if lang == "zh" else ": "
    body.append(
        '<div class="sign">'
        f"<span>{esc(t('notice_office', lang))}{colon}{esc(office)} "
        f"{esc(t('notice_seal', lang))}</span>"
        f"<span>{esc(t('notice_reviewer', lang))}{colon}__________</span>"
        f"<span>{esc(t('notice_issued', lang))}{colon}{esc(notice.issued.isoformat())}</span>"
        "</div>"
    )
    footer = esc(t("notice_generated", lang, version=__version__))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{esc(title)} · {esc(name)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + f"\n<footer>{footer}</footer>\n</body>\n</html>\n"
    )


def _table(notice: Notice, lang: str) -> str:
    keys = ("notice_no", "notice_cell", "notice_community", "notice_what", "notice_found")
    head = [*keys, "notice_expected", "notice_action"]
    ths = "".join(f"<th>{esc(t(k, lang))}</th>" for k in head)
    rows = []
    for n, item in enumerate(notice.items, 1):
        cls = ' class="explained"' if item.action == "explained" else ""
        rows.append(
            f"<tr{cls}>"
            f'<td class="n">{n}</td>'
            f'<td class="cell">{_cells(item, lang)}</td>'
            f"<td>{esc(item.community)}</td>"
            f"<td>{esc(item.what)}</td>"
            f"<td>{esc(item.found)}</td>"
            f"<td>{esc(item.expected)}</td>"
            f'<td class="act">{esc(t(f"notice_action_{item.action}", lang))}</td>'
            "</tr>"
        )
    cols = "".join(f'<col style="width:{w}%">' for w in (5, 14, 10, 14, 25, 21, 11))
    return (
        f"<table><colgroup>{cols}</colgroup><thead><tr>{ths}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _cells(item: Item, lang: str) -> str:
    """One cell reference a line, each kept whole."""
    if not item.cells:
        return esc(cells_text(item, lang))
    return "<br>".join(f"<span>{esc(c)}</span>" for c in item.cells)
