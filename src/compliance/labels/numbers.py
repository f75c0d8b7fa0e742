"""Figures and units as people write them: 26,647, 0.01, 50.50 m², 1 worker, 40.5%."""

from __future__ import annotations

#: Units whose English name changes for a quantity of exactly 1.
_UNIT_ONE_EN = {
    "workers": "worker",
    "households": "household",
    "centres": "centre",
    "persons": "person",
    "facilities": "facility",
}

UNITS: dict[str, tuple[str, str]] = {
    "m2": ("平方米", "m²"),
    "workers": ("人", "workers"),
    "yuan/worker": ("元/人", "yuan/worker"),
    "yuan": ("元", "yuan"),
    "households": ("户", "households"),
    "yuan/month": ("元/月", "yuan/month"),
    "centres": ("个", "centres"),
    "persons": ("人", "persons"),
    "facilities": ("处", "facilities"),
}


def unit(code: str | None, lang: str, n: float | None = None) -> str:
    """A unit's name; with ``n``, the English agrees with it ("1 worker")."""
    if not code:
        return ""
    pair = UNITS.get(code)
    if pair is None:
        return code
    if lang == "zh":
        return pair[0]
    return _UNIT_ONE_EN.get(code, pair[1]) if n is not None and abs(n) == 1 else pair[1]


def quantity(x: float | None, code: str | None, lang: str, *, total: bool = False) -> str:
    """A figure with its unit: '10 m²', '1 worker', '3 workers', '3,127 元/人'; a
    ``total`` with the unit's fixed decimals ('6,451.51 m²', '50.50 m²')."""
    text = figure(x, code) if total else number(x)
    return f"{text} {unit(code, lang, x)}".rstrip()


def number(x: float | None) -> str:
    """A figure as people write it: 26647, 0.01, 1,234,567."""
    if x is None:
        return ""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


#: Units whose totals are shown with a fixed number of decimals, so that a column of
#: them reads evenly ("1,516.51", "518.50", "528.00" rather than "518.5", "528").
_DECIMALS = {"m2": 2}


def figure(x: float | None, code: str | None) -> str:
    """A total in a unit: fixed decimals where the unit has them (m²), else :func:`number`."""
    places = _DECIMALS.get(code or "")
    if x is None or places is None:
        return number(x)
    return f"{x:,.{places}f}"


def percent(x: float | None) -> str:
    """A share as a percentage with one decimal: 0.40503 -> "40.5%"; "–" for no share
    (nothing to divide by)."""
    return "–" if x is None else f"{x * 100:.1f}%"
