"""JSON text for records and findings, written straight from the model objects.

A large report is almost all records and findings (nine findings per
community with the Zhejiang rules), and building a dict for each one before
``json.dumps`` costs more than the encoding itself. These functions write the
same text as ``json.dumps(record_dict(rr), ensure_ascii=False)`` byte for byte
(a test compares them) without the dicts, using the C string encoder of the
:mod:`json` module. Anything of an unexpected type falls back to ``json.dumps``.
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable, Sequence
from typing import Any

from compliance.model import Finding, RecordResult

_dumps = json.JSONEncoder(ensure_ascii=False).encode
_quote: Callable[[str], str] = (
    getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring
)
_float_repr = float.__repr__
_int_repr = int.__repr__
_IDENTITY = ("id", "name", "city", "district", "subdistrict")


def value_text(v: Any) -> str:
    """One JSON value, as ``json.dumps(v, ensure_ascii=False)`` writes it."""
    if v is None:
        return "null"
    t = type(v)
    if t is str:
        return _quote(v)
    # json writes finite floats with float.__repr__ (NaN and infinities differ) and
    # ints with int.__repr__ (bool, a subclass, is "true"/"false").
    if t is float and v - v == 0.0:
        return _float_repr(v)
    if t is int:
        return _int_repr(v)
    return _dumps(v)


def strings_text(items: Sequence[str]) -> str:
    """A list of strings (a tuple in the model)."""
    if not items:
        return "[]"
    try:
        return "[" + ", ".join(map(_quote, items)) + "]"
    except TypeError:  # not all strings: let json decide
        return _dumps(list(items))


def finding_text(f: Finding) -> str:
    """``json.dumps(finding_dict(f), ensure_ascii=False)``."""
    fr, q, v, s = _float_repr, _quote, value_text, strings_text
    # The common cases inline (a finite float, a string), the rest through value_text;
    # one f-string then builds the text in a single allocation.
    a, r, sh, t, d, why = f.actual, f.required, f.shortfall, f.total, f.derivation, f.reason
    cells, missing, notes = f.cells, f.missing, f.notes
    # Usually one cell and no missing fields or notes.
    ct = f"[{q(cells[0])}]" if len(cells) == 1 and type(cells[0]) is str else s(cells)
    at = fr(a) if type(a) is float and a - a == 0.0 else v(a)
    rt = fr(r) if type(r) is float and r - r == 0.0 else v(r)
    st = fr(sh) if type(sh) is float and sh - sh == 0.0 else v(sh)
    tt = fr(t) if type(t) is float and t - t == 0.0 else v(t)
    return (
        f'{{"rule": {v(f.rule)}, "outcome": {q(f.outcome._value_)}, '
        f'"actual": {at}, "required": {rt}, "shortfall": {st}, "total": {tt}, '
        f'"derivation": {q(d) if type(d) is str else v(d)}, '
        f'"reason": {q(why) if type(why) is str else v(why)}, '
        f'"cells": {ct}, "missing": {s(missing) if missing else "[]"}, '
        f'"notes": {s(notes) if notes else "[]"}}}'
    )


#: Finding texts kept per writer; past this many new ones are written but not kept.
_KEEP = 1 << 17
_CELLS = '"cells": ['


class RecordWriter:
    """Writes ``json.dumps(record_dict(rr), ensure_ascii=False)`` for each record.

    Records of one input share their source and sheet, so the text of those is
    kept from one record to the next.

    Evaluation decides each distinct set of a rule's inputs once, and every
    finding made from that decision shares its figures and texts (the very
    same float and str objects), so most findings of a large sheet differ from
    an earlier one only in the cell they name. The text around the cells is
    kept by the finding's other fields and reused when its figures are the
    same objects as those of the finding it was written for; equal but
    different numbers (1 and 1.0, 0.0 and -0.0) are written afresh, so the
    text is always what :func:`finding_text` gives.
    """

    def __init__(self) -> None:
        self._where: tuple[str, str] | None = None
        self._head = ""
        # finding without its cells -> (that finding, text before the cells, text after)
        self._kept: dict[tuple[Any, ...], tuple[Finding, str, str]] = {}

    def __call__(self, rr: RecordResult) -> str:
        rec = rr.record
        where = (rec.source, rec.sheet)
        if where != self._where:
            self._where = where
            self._head = (
                '{"source": ' + value_text(rec.source) + ', "sheet": ' + value_text(rec.sheet)
            )
        get = rec.values.get
        parts = [self._head, ', "row": ', value_text(rec.row)]
        for k in _IDENTITY:
            parts += (', "', k, '": ', value_text(get(k)))
        parts += (', "worst": ', _quote(rr.worst._value_), ', "findings": [')
        try:
            parts.append(", ".join(self._findings(rr.findings)))
        except TypeError:  # a finding that cannot be a key: no keeping
            parts.append(", ".join(map(finding_text, rr.findings)))
        parts.append("]}")
        return "".join(parts)

    def _findings(self, findings: Sequence[Finding]) -> list[str]:
        kept = self._kept
        out = []
        for f in findings:
            hit = kept.get(f[:8] + f[9:])
            if hit is None:
                out.append(self._keep(f))
                continue
            g, head, tail = hit
            cells = f[8]
            if (
                g[2] is f[2]
                and g[3] is f[3]
                and g[4] is f[4]
                and g[5] is f[5]
                and len(cells) == 1
                and type(cells[0]) is str
            ):
                out.append(head + _quote(cells[0]) + tail)
            else:
                out.append(finding_text(f))
        return out

    def _keep(self, f: Finding) -> str:
        text = finding_text(f._replace(cells=()))
        if len(self._kept) < _KEEP:
            at = text.index(_CELLS) + len(_CELLS)
            self._kept[f[:8] + f[9:]] = (f, text[:at], text[at:])
        return finding_text(f)
