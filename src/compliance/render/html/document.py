"""The page around the sections: head, inline stylesheet, title band and footer."""

from __future__ import annotations

from collections.abc import Iterable

from compliance._version import __version__
from compliance.render.html.style import CSS
from compliance.render.html.text import esc, h


def page(
    title: str,
    lang: str,
    subtitle: Iterable[str],
    sections: Iterable[str],
    head: str = "",
) -> str:
    """A whole HTML document. ``title`` and ``subtitle`` are plain text (escaped here);
    ``head`` (what the title band says under them) and ``sections`` are HTML
    fragments built by the section modules."""
    html_lang = "zh-CN" if lang == "zh" else "en"
    lines = "".join(f"<p>{esc(s)}</p>" for s in subtitle if s) + head
    body = "\n".join(s for s in sections if s)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # Nothing is fetched: no script, no font, no image outside the file.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">\n"
        f'<meta name="generator" content="compliance {esc(__version__)}">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<header class="top"><div class="in"><h1>{esc(title)}</h1>{lines}</div></header>\n'
        f"<main>\n{body}\n</main>\n"
        f"<footer>{h('generated', lang, version=__version__)}</footer>\n</body>\n</html>\n"
    )


def section(anchor: str, heading: str, other: str, content: str) -> str:
    """A titled section; ``other`` is the heading in the other language, shown small."""
    sub = f"<small>{other}</small>" if other and other != heading else ""
    return f'<section id="{anchor}"><h2>{heading}{sub}</h2>\n{content}\n</section>'


def titled(anchor: str, key: str, lang: str, content: str, **kwargs: object) -> str:
    """A section headed by label ``key`` in ``lang``, with the other language beside it.

    A value that depends on the language (a level name) is given as a function of it,
    so that each heading is in one language ("按县(市、区)汇总", "By district")."""
    other = "en" if lang == "zh" else "zh"

    def filled(in_lang: str) -> dict[str, object]:
        return {k: v(in_lang) if callable(v) else v for k, v in kwargs.items()}

    return section(anchor, h(key, lang, **filled(lang)), h(key, other, **filled(other)), content)


def table(
    head: Iterable[str], rows: Iterable[str], numeric: Iterable[int] = (), cls: str = ""
) -> str:
    """A table from escaped header texts and ready-made ``<tr>`` rows."""
    right = set(numeric)
    ths = "".join(
        f'<th class="n">{x}</th>' if i in right else f"<th>{x}</th>" for i, x in enumerate(head)
    )
    return (
        f'<div class="scroll{" " + cls if cls else ""}"><table><thead><tr>{ths}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def row(cells: Iterable[str], numeric: Iterable[int] = (), cls: str = "") -> str:
    right = set(numeric)
    tds = "".join(
        f'<td class="n">{x}</td>' if i in right else f"<td>{x}</td>" for i, x in enumerate(cells)
    )
    attr = f' class="{cls}"' if cls else ""
    return f"<tr{attr}>{tds}</tr>"


def meta(items: Iterable[tuple[str, str]]) -> str:
    """A definition list of (label, value) pairs, both already escaped."""
    return '<dl class="meta">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in items) + "</dl>"
