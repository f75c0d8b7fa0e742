"""Apply the user's column mapping (``--column``, ``--mapping``, ``--header-row``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from compliance.catalogue import Catalogue
from compliance.errors import InputError
from compliance.labels.messages import msg
from compliance.reading import cells
from compliance.reading.grid import column_letter
from compliance.reading.head import Head
from compliance.reading.header import SCAN_ROWS, Header, find_header
from compliance.reading.mapping import closest_headers, is_letter, letter_index, orient


def apply_overrides(
    header: Header | None,
    grid: Head,
    overrides: Mapping[str, str],
    header_row: int | None,
    catalogue: Catalogue,
    where: str,
) -> Header:
    """Add or replace columns as the user mapped them."""
    fields = orient(overrides, catalogue, where)
    rows = grid.rows
    if header_row is not None:
        header_rows: tuple[int, ...] = (header_row - 1,)
        header = find_header(rows[:header_row], catalogue, grid.merged)
        if header is not None and header.last_row != header_row - 1:
            header = None
    elif header is not None:
        header_rows = header.rows
    else:
        header_rows = (_row_with(rows, list(fields.values())),)
    if header_rows[-1] >= len(rows):
        raise InputError("header_row_past_end", row=header_rows[-1] + 1, where=where)
    # Each column's label: the joined stack and every row's own text.
    labels: dict[int, set[str]] = {}
    for r in header_rows:
        for c, v in enumerate(rows[r]):
            t = cells.clean_text(v)
            if t:
                labels.setdefault(c, set()).add(t)
    if header is not None:
        for c, text in header.columns.values():
            labels.setdefault(c, set()).add(text)
    all_texts = sorted({t for ts in labels.values() for t in ts})
    columns = dict(header.columns) if header is not None else {}
    for fid, target in fields.items():
        if is_letter(target, all_texts):
            col = letter_index(target)
        else:
            want = _key(target)
            found = [c for c, ts in labels.items() if any(_key(t) == want for t in ts)]
            if not found:
                near = closest_headers([target], all_texts)
                raise InputError(
                    "mapping_no_header",
                    pair=f"{fid}={target}",
                    header=repr(target),
                    row=header_rows[-1] + 1,
                    closest=msg("closest_headers", headers=", ".join(near)) if near else "",
                    headers=msg("headers_found", headers=", ".join(all_texts[:15]))
                    if all_texts
                    else "",
                    where=where,
                )
            col = found[0]
        for other, (c, _) in list(columns.items()):
            if c == col and other != fid:
                del columns[other]
        text = " / ".join(sorted(labels.get(col, ()), key=len)[-1:]) or column_letter(col)
        columns[fid] = (col, text)
    used = {c for c, _ in columns.values()}
    unmatched = tuple(
        sorted(labels[c], key=len)[-1] for c in sorted(labels) if c not in used and labels[c]
    )
    return Header(header_rows, columns, unmatched)


def _key(text: str) -> str:
    return "".join(cells.clean_text(text).split()).casefold()


def _row_with(rows: Sequence[Sequence[Any]], targets: Sequence[str]) -> int:
    """The row (of the first ones) naming most of ``targets``; else the wordiest row."""
    keys = {_key(t) for t in targets}
    best, best_hits = -1, 0
    wordiest, most_words = 0, 0
    for r in range(min(SCAN_ROWS, len(rows))):
        texts = [_key(cells.clean_text(v)) for v in rows[r] if isinstance(v, str) and v.strip()]
        hits = sum(1 for t in texts if t in keys)
        if hits > best_hits:
            best, best_hits = r, hits
        if len(texts) > most_words:
            wordiest, most_words = r, len(texts)
    return best if best >= 0 else wordiest
