"""Find the parts of an OOXML package the way the format defines it, in linear time.

The package relationships (``_rels/.rels``) name the workbook part; the
workbook's relationships name its sheets and its shared strings. Writers put
parts outside ``xl/`` and some Chinese report exporters store member names
with backslashes (``xl\\worksheets\\sheet1.xml``); calamine reads both, so we
must too. Member names are compared normalised (``/`` separators, no leading
slash) and the real name is kept for opening.

The XML here is small but untrusted, so it is scanned with ``bytes.find``
and a regular expression over each (bounded, disjoint) tag: no pattern can
backtrack across the document, and an unclosed tag ends the scan.
"""

from __future__ import annotations

import html
import posixpath
import re
import weakref
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

#: The relationship and workbook parts are read whole; real ones are kilobytes.
MAX_PART_BYTES = 16 * 1024 * 1024
#: A tag longer than this is not a relationship or a sheet entry.
_MAX_TAG = 64 * 1024

# An attribute; the look-behind makes every attempt start at the beginning of a
# name and the possessive quantifiers never give back, so the scan is linear.
_ATTR = re.compile(rb"(?<![\w:.-])([\w:.-]++)\s*+=\s*+(?:\"([^\"]*+)\"|'([^']*+)')")
_NAME = re.compile(rb"[^\s/>]*+")


def normal(name: str) -> str:
    """A member name as the format means it: '/' separators, no leading slash."""
    return name.replace("\\", "/").lstrip("/")


def iter_tags(data: bytes, local: bytes) -> Iterator[dict[str, str]]:
    """Attributes of every start tag named ``local`` (any namespace prefix).

    Comments and CDATA sections are skipped, as an XML parser skips them, so
    that a tag hidden in a comment cannot stand in for the real one.
    """
    suffix = b":" + local
    pos = 0
    while True:
        lt = data.find(b"<", pos)
        if lt < 0:
            return
        for opener, closer in ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>")):
            if data.startswith(opener, lt):
                end = data.find(closer, lt + len(opener))
                if end < 0:
                    return
                pos = end + len(closer)
                break
        else:
            gt = data.find(b">", lt + 1)
            if gt < 0:
                return  # an unclosed tag: nothing after it is a tag
            pos = gt + 1
            if gt - lt > _MAX_TAG:
                continue
            m = _NAME.match(data, lt + 1, gt)
            name = m.group() if m else b""
            if name == local or name.endswith(suffix):
                yield _attrs(data[lt + 1 + len(name) : gt])


def _attrs(raw: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(raw):
        key = m.group(1).decode("utf-8", "replace").split(":")[-1]
        value = m.group(2) if m.group(2) is not None else m.group(3) or b""
        out[key] = html.unescape(value.decode("utf-8", "replace"))
    return out


@dataclass(frozen=True, slots=True)
class Package:
    """The parts of an .xlsx/.xlsm/.xlsb that the reader and its guards need."""

    #: Real member name of the workbook part ('' when there is none).
    workbook: str
    #: Sheet name -> real member name of its worksheet part.
    sheets: dict[str, str] = field(default_factory=dict)
    #: Real member names of the shared-strings parts.
    shared_strings: tuple[str, ...] = ()
    #: Real member names of every XML part that may hold a sheet (all but the
    #: package's own bookkeeping), measured when a sheet cannot be mapped to its part.
    worksheets: tuple[str, ...] = ()
    #: Every sheet the workbook lists, in its order: (name, visible).
    listed: tuple[tuple[str, bool], ...] = ()


def members(zf: zipfile.ZipFile) -> dict[str, str]:
    """Normalised name -> real name of each member."""
    return {normal(i.filename): i.filename for i in zf.infolist()}


class PartTooLarge(ValueError):
    """A relationship or workbook part larger than :data:`MAX_PART_BYTES`."""


def _read(zf: zipfile.ZipFile, real: str) -> bytes:
    with zf.open(real) as fh:
        data = fh.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        # Never scan a truncated part: a sheet past the cut would go unmeasured.
        raise PartTooLarge(f"part {real[:200]!r} is larger than {MAX_PART_BYTES >> 20} MB")
    return data


def _targets(zf: zipfile.ZipFile, names: dict[str, str], part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, normalised target) of each relationship of ``part``."""
    folder, base = posixpath.split(part)
    rels = names.get(posixpath.join(folder, "_rels", base + ".rels"))
    if rels is None:
        return []
    out = []
    for a in iter_tags(_read(zf, rels), b"Relationship"):
        if a.get("TargetMode", "").lower() == "external" or "Target" not in a:
            continue
        target = a["Target"].replace("\\", "/")
        full = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out.append((a.get("Id", ""), a.get("Type", ""), posixpath.normpath(full)))
    return out


def workbook_part(zf: zipfile.ZipFile, names: dict[str, str] | None = None) -> str:
    """The normalised name of the workbook part, from ``_rels/.rels`` (or the usual place)."""
    names = members(zf) if names is None else names
    for _, kind, target in _targets(zf, names, ""):
        if kind.endswith("/officeDocument") and target in names:
            return target
    for usual in ("xl/workbook.xml", "xl/workbook.bin"):
        if usual in names:
            return usual
    return ""


#: Each open archive's package, found once (the guards, the sheet list and the shared
#: strings all ask for it).
_PACKAGES: weakref.WeakKeyDictionary[zipfile.ZipFile, Package] = weakref.WeakKeyDictionary()


def package(zf: zipfile.ZipFile) -> Package:
    """Find the workbook, its sheets and its shared strings through the relationships."""
    found = _PACKAGES.get(zf)
    if found is None:
        found = _PACKAGES[zf] = _package(zf)
    return found


def _package(zf: zipfile.ZipFile) -> Package:
    names = members(zf)
    wb = workbook_part(zf, names)
    worksheets = tuple(real for norm, real in names.items() if "/worksheets/" in "/" + norm.lower())
    strings = [real for norm, real in names.items() if norm.lower().endswith("sharedstrings.xml")]
    if not wb:
        return Package("", {}, tuple(strings), worksheets)
    rels = _targets(zf, names, wb)
    by_id = {rid: target for rid, _, target in rels}
    for _, kind, target in rels:
        if kind.endswith("/sharedStrings") and target in names and names[target] not in strings:
            strings.append(names[target])
    sheets: dict[str, str] = {}
    listed: list[tuple[str, bool]] = []
    if wb.endswith(".xml"):
        for a in iter_tags(_read(zf, names[wb]), b"sheet"):
            sheet_target = by_id.get(a.get("id", ""))
            if "name" in a:
                listed.append((a["name"], a.get("state", "visible").strip() == "visible"))
            if "name" in a and sheet_target in names:
                sheets[a["name"]] = names[sheet_target]
    return Package(names[wb], sheets, tuple(strings), worksheets, tuple(listed))
