"""The native shared-strings reader against the pure one: the same items, the same texts.

Thousands of mutants of a shared-strings part (rich text, phonetic runs, prefixes,
quoted ``>`` in attributes, empty items and runs, entities defined and not, numeric
references Python maps specially, broken tags, non-ASCII inside and outside tags,
invalid UTF-8) go through :class:`~compliance.reading.xlsx_native.SharedStrings` and
through the pure reading (``_SI``, ``_si_text``); the items found must be as many, and
each one's text once unescaped (or the error unescaping raises) must be equal. A block
the library hands back is counted, and must be rare. Then every shared-strings part
of the fuzz corpus, the test data and the hostile set is read whole both ways.
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from compliance.errors import InputError
from compliance.reading import guards, xlsx_native, xlsx_values, xlsx_xml
from tests.reading.test_native_differential import _workbooks
from tests.reading.test_native_differential import lib as lib

BASE = (
    '<sst xmlns="m" count="9" uniqueCount="9"><si><t>社区名称</t></si><si/>'
    '<si><r><rPr><b/></rPr><t xml:space="preserve"> 城东 </t></r><r><t>社区</t></r>'
    '<rPh sb="0" eb="1"><t>ジョウ</t></rPh><phoneticPr fontId="1"/></si>'
    "<x:si><x:t>R&amp;D &lt;1&gt; &#20013;&#x6587; &quot;&apos;</x:t></x:si>"
    "<si><t/><t>a</t><t a='>'>b</t></si><si ><t >c</t ></si >"
    "<si><t>&#128;&#0;&#65534;&#x110000;&#xD800;&#9;&#13;&#x1F600;</t></si>"
    "<si><rPh><t>x</t></rPh><t>y</t><rPh/><t>z</t></si></sst>"
)
TOKENS = [
    "<", ">", "/", '"', "'", "=", " ", "\n", ":", "&", "&amp;", "&bogus;", "&#X41;",
    "&#123456789;", "&#x41;", "&#65;", "&lt", "<si>", "</si>", "<si/>", "<t>", "</t>",
    "<t/>", "<rPh>", "</rPh>", "<r>", "</r>", "<x:si>", "</x:si>", "<a:b:t>", "</ t>",
    '<t xml:space="preserve">', "名", "\u3000", "é", "<t\u3000>", "<si名>", "</si\u3000>",
    "<tx>", "\x1f", "\x1c", "<![CDATA[", "&#x80;", "&#xFFFF;", "&#1114111;",
]  # fmt: skip


def _mutants(n: int, seed: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    for _ in range(n):
        text = BASE
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.5:
                at = text.rfind("<", 0, at + 1) % (len(text) + 1)
            op = rng.random()
            if op < 0.6:
                text = text[:at] + rng.choice(TOKENS) + text[at:]
            elif op < 0.85:
                text = text[:at] + text[at + rng.randint(1, 12) :]
            else:
                end = min(len(text), at + rng.randint(1, 40))
                text = text[:at] + text[at:end] * 2 + text[end:]
        data = text.encode()
        if rng.random() < 0.03:
            data = data[: rng.randrange(len(data) + 1)] + b"\xff" + data[len(data) // 2 :]
        yield data


def _meaning(text: str, escaped: bool) -> Any:
    if not escaped:
        return text
    try:
        return xlsx_xml.unescape(text)
    except InputError as exc:
        return ("InputError", str(exc))


def _pure(data: bytes) -> list[Any]:
    items = xlsx_xml.as_text(data).str.extract_all(xlsx_values._SI).explode().drop_nulls()
    return [_meaning(t, True) for t in xlsx_values._si_text(items).to_list()]


def _native(frame: pl.DataFrame) -> list[Any]:
    return [_meaning(t, e) for t, e in frame.iter_rows()]


def test_blocks_give_the_same_items(lib: Any) -> None:
    counts = {"items": 0, "escaped": 0, "refused": 0, "handed back": 0}
    with xlsx_native.SharedStrings(lib) as reader:
        for data in _mutants(3000, seed=17):
            frame = reader.block(data)
            if frame is None:
                counts["handed back"] += 1
                continue
            got = _native(frame)
            assert got == _pure(data), data
            counts["items"] += len(got)
            counts["escaped"] += int(frame["escaped"].sum())
            counts["refused"] += sum(isinstance(x, tuple) for x in got)
    # The mutants reach every outcome, most of them natively.
    assert counts["items"] > 10_000 and counts["refused"] > 300, counts
    assert counts["escaped"] > counts["refused"], counts  # Python's own charref table too
    assert counts["handed back"] < 600, counts


@pytest.mark.parametrize(
    ("written", "text"),
    [
        ("<t>R&amp;D</t>", "R&D"),
        ("<t>&#20013;&#x6587;</t>", "中文"),
        ("<t>&#128;|&#0;|&#xD800;|&#x110000;|&#65534;|&#13;</t>", "€|\ufffd|\ufffd|\ufffd||\r"),
        ("<r><t>&am</t></r><r><t>p;</t></r>", "&"),  # entities are read in the joined runs
        ('<t a=">">x</t>', '">x'),
        ("<t>a<rPh>x</rPh></t>", "a"),
    ],
)
def test_items_mean_what_the_pure_reading_gives(lib: Any, written: str, text: str) -> None:
    data = f"<sst><si>{written}</si></sst>".encode()
    assert _pure(data) == [text]
    with xlsx_native.SharedStrings(lib) as reader:
        frame = reader.block(data)
    assert frame is not None and _native(frame) == [text]


def _table(zf: zipfile.ZipFile, member: str) -> Any:
    try:
        items, failed = xlsx_values._whole(zf, member)
    except guards.ZIP_ERRORS as exc:
        return (type(exc).__name__, str(exc))
    meant = [_meaning(t, e) for t, e in items.iter_rows()]
    return meant, None if failed is None else str(failed)


def test_whole_tables_give_the_same_items(
    lib: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared = 0
    for path in _workbooks(tmp_path):
        try:
            zf = zipfile.ZipFile(path)
            members = [n for n in zf.namelist() if n.lower().endswith("sharedstrings.xml")]
        except (zipfile.BadZipFile, OSError, ValueError):
            continue
        for member in members:
            if zf.getinfo(member).file_size > 16 << 20:
                continue
            monkeypatch.setenv("COMPLIANCE_NATIVE", "1")
            native = _table(zf, member)
            monkeypatch.setenv("COMPLIANCE_NATIVE", "0")
            assert native == _table(zf, member), (path.name, member)
            compared += 1
    assert compared > 10
