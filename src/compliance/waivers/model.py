"""What a waiver is, and what became of it in a run."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Waiver:
    """One approved exception."""

    community: str
    rule: str
    reason: str
    approved_by: str
    expires: dt.date
    subdistrict: str = ""
    granted: dt.date | None = None
    #: Where it was read: "waivers.toml:12" or "waivers.xlsx [豁免]!A3".
    where: str = ""
    #: The rule as the waiver wrote it ("用房"), when that is not the rule id.
    rule_given: str = ""

    def expired(self, as_of: dt.date) -> bool:
        """True once ``as_of`` is after the expiry date (the expiry day itself is covered)."""
        return as_of > self.expires


class WaiverState(StrEnum):
    APPLIED = "applied"
    EXPIRED = "expired"
    UNMATCHED = "unmatched"
    NOT_NEEDED = "not_needed"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class WaiverStatus:
    """What became of one waiver in a run."""

    waiver: Waiver
    state: WaiverState
    #: The (community or sub-district, rule) pairs it matched: those it waived
    #: (applied), or those it would have covered (expired, not needed).
    matches: tuple[tuple[str, str], ...] = ()


def norm(text: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).lower().split())
