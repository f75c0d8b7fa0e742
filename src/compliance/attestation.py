"""Who vouches for a report: 填表单位 (reporting unit), 填表人 (preparer), 审核人 (reviewer).

Statistical returns in China carry these three lines at their foot; a report
forwarded from the tool carries them in its header. They come from options
(``--unit``, ``--preparer``, ``--reviewer``) or from a side file
(``--attestation FILE``, TOML or JSON), the options winning field by field. The
file's keys are the English names or the Chinese ones (quoted in TOML, which
allows only ASCII bare keys)::

    "填表单位" = "金华市民政局基层政权和社区建设处"
    "填表人" = "王芳"
    reviewer = "李强"
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from compliance.errors import InputError

__all__ = ["FIELDS", "Attestation", "load_attestation"]

#: Each field with the keys a side file may give it under.
FIELDS: dict[str, tuple[str, ...]] = {
    "unit": ("unit", "填表单位", "reporting_unit"),
    "preparer": ("preparer", "填表人", "prepared_by"),
    "reviewer": ("reviewer", "审核人", "reviewed_by"),
}
#: A side file is a few lines; anything bigger is not one.
_MAX_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Attestation:
    unit: str | None = None
    preparer: str | None = None
    reviewer: str | None = None

    def __bool__(self) -> bool:
        return any((self.unit, self.preparer, self.reviewer))

    def items(self) -> list[tuple[str, str]]:
        """(field, value) of the fields given, in the order a form prints them."""
        return [(k, v) for k in FIELDS if (v := getattr(self, k))]

    def over(self, base: Attestation) -> Attestation:
        """These fields where given, ``base``'s elsewhere."""
        return replace(base, **dict(self.items()))


def load_attestation(path: Path) -> Attestation:
    """The fields of a side file (TOML, or JSON for a ``.json`` file)."""
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise InputError("attestation_too_big", where=str(path), limit=_MAX_BYTES)
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError("attestation_unreadable", where=str(path), reason=exc.strerror) from None
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(
            "attestation_unparsable", where=str(path), reason=str(exc).splitlines()[0]
        ) from None
    if not isinstance(data, dict):
        raise InputError("attestation_unknown_key", where=str(path), key="[]", keys=_keys())
    found: dict[str, str] = {}
    for key, value in data.items():
        name = next((f for f, names in FIELDS.items() if key in names), None)
        if name is None:
            raise InputError("attestation_unknown_key", where=str(path), key=key, keys=_keys())
        if not isinstance(value, str):
            raise InputError("attestation_not_text", where=str(path), key=key)
        found[name] = value.strip()
    return Attestation(**found)


def _keys() -> str:
    return ", ".join(n for names in FIELDS.values() for n in names[:2])
