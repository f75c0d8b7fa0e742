"""The header search: its fast path gives what the plain search gives, with work linear in the cells."""

from __future__ import annotations

import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.catalogue import Catalogue, default_catalogue, normalise_header
from compliance.reading import header as h

CATALOGUE = default_catalogue()


def _plain_find_header(rows: Sequence[Sequence[Any]], catalogue: Catalogue) -> h.Header | None:
    """The search as it was written first: every stack, every column, every candidate."""
    limit = min(h.SCAN_ROWS, len(rows))
    texts = [h._filled_row(rows, r, {}) for r in range(limit)]
    best: tuple[int, int, h.Header] | None = None
    for r in range(limit):
        if sum(1 for t in texts[r] if t) < h.MIN_FIELDS:
            continue
        for depth in (1, 2, 3):
            top = r - depth + 1
            if top < 0:
                break
            stack = texts[top : r + 1]
            found: dict[str, tuple[int, str]] = {}
            for c in range(max(len(t) for t in stack)):
                cells = [t[c] if c < len(t) else "" for t in stack]
                parts = [p for i, p in enumerate(cells) if p and (i == 0 or p != cells[i - 1])]
                if not parts:
                    continue
                cands = [
                    parts[-1],
                    "".join(parts),
                    *("".join(parts[i:]) for i in range(1, len(parts))),
                ]
                if len(parts) > 1:
                    cands.append(parts[-1] + parts[0])
                for cand in cands:
                    fid = catalogue.match(cand)
                    if fid is not None:
                        found.setdefault(fid, (c, " / ".join(parts)))
                        break
            if len(found) < h.MIN_FIELDS:
                continue
            score = (len(found), -depth)
            if best is None or score > (best[0], best[1]):
                used = {c for c, _ in found.values()}
                unmatched = tuple(
                    " / ".join(p for p in dict.fromkeys(s[c] for s in stack if c < len(s)) if p)
                    for c in range(max(len(s) for s in stack))
                    if c not in used and any(c < len(s) and s[c] for s in stack)
                )
                best = (len(found), -depth, h.Header(tuple(range(top, r + 1)), found, unmatched))
    return best[2] if best else None


def _composition_seconds() -> set[str]:
    """Every character that canonical composition can join to the one before it."""
    out = set()
    for cp in range(sys.maxunicode + 1):
        d = unicodedata.decomposition(chr(cp))
        if d and not d.startswith("<"):
            pieces = d.split()
            if len(pieces) == 2:
                out.add(chr(int(pieces[1], 16)))
    # Hangul: a vowel joins a leading consonant, a trailing consonant joins a syllable.
    out.update(chr(c) for c in range(0x1161, 0x1176))
    out.update(chr(c) for c in range(0x11A8, 0x11C3))
    return out


def test_simple_characters_normalise_one_by_one() -> None:
    # The fast path joins keys instead of normalising the joined text. That is exact when
    # no character of a simple text can combine with, reorder against or change the case
    # of a neighbour after NFKC and lower-casing.
    seconds = _composition_seconds()
    checked = 0
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        if not h._SIMPLE.fullmatch(ch):
            continue
        checked += 1
        for out in (unicodedata.normalize("NFKC", ch), unicodedata.normalize("NFKC", ch).lower()):
            for o in out:
                assert unicodedata.combining(o) == 0, hex(cp)
                assert o not in seconds, hex(cp)
                assert o not in "Σσς", hex(cp)
    assert checked > 25_000  # every CJK ideograph among them


_PIECES = [
    "社区",
    "名称",
    "用房",
    "面积",
    "(平方米)",
    "（㎡）",
    "养老",
    "社会保险参保人数",
    "总户数",
]
_PIECES += [
    "工作人员",
    "人数",
    "：",
    "*",
    " ",
    "x",
    "1",
    "Σ",
    "e\u0301",
    "\u0301",
    "가",
    "\u11a8",
    "",
    "",
]
_TEXT = st.one_of(st.sampled_from(_PIECES), st.text(max_size=6))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_TEXT, max_size=6), min_size=1, max_size=6))
def test_the_fast_search_finds_what_the_plain_one_finds(rows: list[list[str]]) -> None:
    assert h.find_header(rows, CATALOGUE) == _plain_find_header(rows, CATALOGUE)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=2, max_size=4))
def test_a_join_is_matched_as_the_joined_text(parts: list[str]) -> None:
    parts = [p for p in parts if p] or ["x"]
    assert h._Cells(CATALOGUE).match(parts) == CATALOGUE.match("".join(parts))
    if all(h._SIMPLE.fullmatch(p) for p in parts):
        assert normalise_header("".join(parts)) == "".join(normalise_header(p) for p in parts)


@pytest.mark.parametrize("pattern", ["{r}-{c}", "面积{r}x{c}", "专职（{c}）"])
def test_a_sheet_16384_columns_wide_is_searched_in_linear_time(
    pattern: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Counted, not timed: 30 rows of 16,384 distinct cells once took 5 million
    # normalisations (8 s), about 10 per cell; each distinct text is now worked out
    # once (a normalisation, a lookup, a prefix test), and texts that cannot begin a
    # field name are ruled out by their first character.
    work: Counter[str] = Counter()

    def counted(name: str, f: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            work[name] += 1
            return f(*args)

        return call

    monkeypatch.setattr(h, "normalise_header", counted("normalise", h.normalise_header))
    for name in ("match_key", "may_begin"):
        monkeypatch.setattr(Catalogue, name, counted(name, getattr(Catalogue, name)))
    width = 16_384
    rows = [[pattern.format(r=r, c=c) for c in range(width)] for r in range(40)]
    rows[12][5000:5002] = ["社区名称", "总户数"]
    found = h.find_header(rows, CATALOGUE)
    assert found is not None and found.rows == (12,)
    assert {c for c, _ in found.columns.values()} == {5000, 5001}
    assert len(found.unmatched) == width - 2
    cells = h.SCAN_ROWS * width
    # At most once per cell each (and a few more for the header's own cells).
    assert all(n <= cells + 64 for n in work.values()), work
