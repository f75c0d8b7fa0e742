"""Write the seed corpus under tests/fuzz/corpus/<target>/ (run from the repository root).

Seeds are small valid files of each kind plus the project's hostile files
(tests/security/hostile.py), so that the fuzzer starts next to every guard::

    python -m tests.fuzz.make_corpus
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
_MAX_SEED = 64 * 1024


def _put(target: str, data: bytes) -> None:
    if len(data) > _MAX_SEED:
        return
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def _shared_strings_seeds() -> None:
    """The shared-strings parts of the .xlsx seeds, and every shape of item the readers
    must agree on (tests/reading/test_native_shared_strings)."""
    import zipfile

    from tests.reading.test_native_shared_strings import BASE

    _put("shared-strings", BASE.encode())
    for seed in sorted((CORPUS / "xlsx").iterdir()):
        try:
            with zipfile.ZipFile(seed) as zf:
                for name in zf.namelist():
                    if name.lower().endswith("sharedstrings.xml"):
                        _put("shared-strings", zf.read(name))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            continue


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from tests.reading.builders import DATA, VALID_BODY, raw_xlsx, sheet
    from tests.security import hostile

    shutil.rmtree(CORPUS, ignore_errors=True)
    tmp = CORPUS.parent / ".seed-tmp"
    tmp.mkdir(exist_ok=True)
    try:
        _put("xlsx", raw_xlsx(tmp / "v.xlsx", sheet(VALID_BODY * 3, "A1:B6")).read_bytes())
        _put("xlsx", raw_xlsx(tmp / "n.xlsx", sheet(VALID_BODY * 3)).read_bytes())
        _put("xlsx", (ROOT / "samples" / "jinhua-2007.xlsx").read_bytes())
        # Every kind of XML the one-pass reader tokenises tag by tag (tests/reading/test_xlsx_reader).
        from tests.reading.test_xlsx_reader import MIXED

        _put("xlsx", raw_xlsx(tmp / "m.xlsx", sheet(VALID_BODY + MIXED)).read_bytes())
        _shared_strings_seeds()
        for name in ("messy.xls", "roster.xls"):
            _put("xls", (DATA / name).read_bytes())
        for name in ("messy.ods", "roster.ods"):
            _put("ods", (DATA / name).read_bytes())
        _put("csv", '社区名称,总户数,建筑面积\n城东社区,"1,500",３５０平方米\n'.encode("gbk"))
        _put("csv", "社区名称\t总户数\n城东社区\t1500\n".encode())
        for path in sorted((ROOT / "rules").glob("*.toml")):
            _put("rules", path.read_bytes())
        _put("waivers", hostile.WAIVERS_TOML.encode())
        _put("mapping", hostile.MAPPING_TOML.encode())
        for text in ("1,500", "３５０平方米", "5人", "1.5万", "—", "-12.5%", "9" * 400, "1e999"):
            _put("number", text.encode())
        for case in hostile.cases(tmp):
            if case.target is not None and case.path.is_file():
                _put(case.target, case.path.read_bytes())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
