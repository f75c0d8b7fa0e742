"""atheris targets: whatever the bytes, the tool returns or raises its own error.

Run one target (libFuzzer flags follow)::

    python tests/fuzz/fuzz_targets.py xlsx WORK_CORPUS tests/fuzz/corpus/xlsx -max_total_time=60

Targets: xlsx, xlsx-pure (the .xlsx reader without its native tokeniser), xls, ods, csv
(each reader, through ``read_records``), shared-strings (a block of a shared-strings
part read by the native library and by the pure reading: the same items), rules,
waivers, mapping (the TOML loaders) and number (the cell number parser).
Anything that escapes other than a :class:`~compliance.errors.ComplianceError`
is a crash; an abort, a timeout (``-timeout``) or memory over ``-rss_limit_mb``
is one too. Zip targets use a structure-aware mutator: a valid zip is
unpacked, one member is mutated and the zip is packed again, so that the
mutations reach the XML instead of breaking the CRC.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["compliance"]):
    from compliance.catalogue import default_catalogue
    from compliance.errors import ComplianceError
    from compliance.reading import load_mapping, read_records, xlsx_native, xlsx_values, xlsx_xml
    from compliance.reading.cells import parse_number
    from compliance.rules.loader import load_ruleset
    from compliance.waivers import load_waivers

_TMP = Path(tempfile.mkdtemp(prefix="compliance-fuzz-", dir=os.environ.get("FUZZ_TMP")))
_CATALOGUE = default_catalogue()


def _file(data: bytes, name: str) -> Path:
    path = _TMP / name
    path.write_bytes(data)
    return path


def _reader(name: str) -> Callable[[bytes], None]:
    def run(data: bytes) -> None:
        read_records(_file(data, name))

    return run


def _rules(data: bytes) -> None:
    load_ruleset(str(_file(data, "fuzz-rules.toml")))


def _waivers(data: bytes) -> None:
    load_waivers(_file(data, "waivers.toml"))


def _mapping(data: bytes) -> None:
    load_mapping(_file(data, "mapping.toml"), _CATALOGUE)


def _number(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    value, problem = parse_number(text)
    assert value is None or problem is None or isinstance(value, float)
    if value is not None:
        assert value == value and abs(value) != float("inf"), (text, value)


def _meaning(text: str, escaped: bool) -> object:
    if not escaped:
        return text
    try:
        return xlsx_xml.unescape(text)
    except ComplianceError as exc:
        return str(exc)


def _shared_strings(data: bytes) -> None:
    lib = xlsx_native.library()
    if lib is None:
        return
    with xlsx_native.SharedStrings(lib) as reader:
        frame = reader.block(data)
    if frame is None:
        return  # handed back: the pure reading reads it
    items = xlsx_xml.as_text(data).str.extract_all(xlsx_values._SI).explode().drop_nulls()
    pure = [_meaning(t, True) for t in xlsx_values._si_text(items).to_list()]
    native = [_meaning(t, e) for t, e in frame.iter_rows()]
    assert native == pure, (data, native, pure)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "xlsx": _reader("f.xlsx"),
    # The same reader with the native tokeniser turned off (the pure fallback).
    "xlsx-pure": _reader("f.xlsx"),
    "xls": _reader("f.xls"),
    "ods": _reader("f.ods"),
    "csv": _reader("f.csv"),
    "shared-strings": _shared_strings,
    "rules": _rules,
    "waivers": _waivers,
    "mapping": _mapping,
    "number": _number,
}
ZIP_TARGETS = {"xlsx", "xlsx-pure", "ods"}


def zip_mutator(data: bytes, max_size: int, seed: int) -> bytes:
    """Mutate one member of a valid zip and pack it again; raw bytes otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    except Exception:
        return atheris.Mutate(data, max_size)
    if not members or seed % 16 == 0:
        return atheris.Mutate(data, max_size)
    k = seed % len(members)
    name, body = members[k]
    members[k] = (name, atheris.Mutate(body, max(len(body) * 2, 64)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zw:
        for n, b in members:
            zw.writestr(n, b)
    packed = out.getvalue()
    return packed if len(packed) <= max_size else data


def one_input(target: Callable[[bytes], None]) -> Callable[[bytes], None]:
    def test(data: bytes) -> None:
        with contextlib.suppress(ComplianceError):
            target(data)

    return test


def main() -> None:
    name = sys.argv[1]
    if name == "xlsx-pure":
        os.environ["COMPLIANCE_NATIVE"] = "0"
    target = TARGETS[name]
    argv = [sys.argv[0], *sys.argv[2:]]
    if name in ZIP_TARGETS:
        atheris.Setup(argv, one_input(target), custom_mutator=zip_mutator)
    else:
        atheris.Setup(argv, one_input(target))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
