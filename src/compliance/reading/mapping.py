"""Column mapping: the user's word on which column holds which field.

Automatic header matching covers the usual templates. When it is not enough,
a user maps columns with ``--column 表头=field`` (or ``field=表头``, or a column
letter) or with a small TOML file::

    # mapping.toml
    sheet = "社区情况"          # optional
    header_row = 3             # optional, 1-based: the (last) header row

    [columns]
    "用房面积（含租用）" = "premises_area"
    "H" = "full_time_workers"
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from compliance.catalogue import Catalogue, normalise_header, strip_unit
from compliance.errors import UsageError
from compliance.labels.messages import msg
from compliance.tomlsafe import load_toml

#: A mapping names a few dozen columns; anything this large is not one.
MAX_MAPPING_BYTES = 1_000_000

_COLUMN_LETTER = re.compile(r"^[A-Za-z]{1,3}$")


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """What a mapping file says: field id -> header text or column letter."""

    columns: dict[str, str] = field(default_factory=dict)
    sheet: str | int | None = None
    header_row: int | None = None


def orient(pairs: Mapping[str, str], catalogue: Catalogue, where: str) -> dict[str, str]:
    """Field id -> target, whichever way round each pair was written.

    ``premises_area=H``, ``premises_area=用房面积`` and ``用房面积=premises_area``
    all mean the same. A pair naming no known field is an error that suggests
    the closest field ids.
    """
    out: dict[str, str] = {}
    for left, right in pairs.items():
        a, b = left.strip(), right.strip()
        if a in catalogue:
            out[a] = b
        elif b in catalogue:
            out[b] = a
        else:
            hint = catalogue.suggest(b) or catalogue.suggest(a)
            raise UsageError(
                "mapping_no_field",
                pair=f"{left}={right}",
                hint=msg("did_you_mean", names=", ".join(hint)) if hint else "",
                where=where,
            )
    return out


def load_mapping(path: str | os.PathLike[str], catalogue: Catalogue) -> ColumnMap:
    """Read a TOML mapping file; errors name the file and the entry."""
    p = Path(path)
    where = str(p)
    data, _ = load_toml(p, max_bytes=MAX_MAPPING_BYTES, error=UsageError, what="what_mapping_file")
    unknown = set(data) - {"sheet", "header_row", "columns"}
    if unknown:
        raise UsageError("mapping_unknown_keys", keys=", ".join(sorted(unknown)), where=where)
    cols = data.get("columns", {})
    if not isinstance(cols, dict) or not all(isinstance(v, str) for v in cols.values()):
        raise UsageError("mapping_columns", where=where)
    sheet = data.get("sheet")
    if sheet is not None and not isinstance(sheet, str | int):
        raise UsageError("mapping_sheet", where=where)
    header_row = data.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise UsageError("mapping_header_row", where=where)
    return ColumnMap(orient(cols, catalogue, where), sheet, header_row)


def is_letter(target: str, header_texts: Sequence[str]) -> bool:
    """A column letter, unless some header is literally that text."""
    return bool(_COLUMN_LETTER.match(target)) and target.upper() not in {
        t.upper() for t in header_texts
    }


def letter_index(letters: str) -> int:
    """'A' -> 0, 'AA' -> 26."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def closest_headers(field_headers: Sequence[str], found: Sequence[str], n: int = 2) -> list[str]:
    """The found header texts most like any of a field's known headers."""
    keys = {strip_unit(normalise_header(h)) for h in field_headers}
    scored: list[tuple[float, str]] = []
    for text in found:
        k = strip_unit(normalise_header(text.split(" / ")[-1]))
        if not k:
            continue
        best = max(
            (
                difflib.SequenceMatcher(None, k, key).ratio() + (0.3 if key in k or k in key else 0)
                for key in keys
            ),
            default=0.0,
        )
        if best >= 0.5:
            scored.append((best, text))
    scored.sort(key=lambda t: -t[0])
    return [t for _, t in scored[:n]]
