"""What the tool says to people, in Chinese and English.

Every user-facing word goes through :func:`t` so that ``--lang zh|en`` changes
all of it. Identifiers, JSON keys and log lines stay English.

The texts are kept by area (:mod:`.report`, :mod:`.summary`, :mod:`.rulesets`,
:mod:`.progress`, :mod:`.template`) and looked up by :func:`t` (:mod:`.text`);
:mod:`.numbers` writes figures and units, :mod:`.findings` explains findings, and
:mod:`.lang` picks the language. Error messages are a catalogue of their own, by key
(:mod:`.messages`, with the areas ``msg_*``).
"""

from compliance.labels.findings import (
    field_label,
    not_positive,
    note,
    outcome,
    reason,
    reason_text,
    row_label,
    unsourced,
)
from compliance.labels.lang import LANGS, Lang, default_lang, lang_for_locale
from compliance.labels.numbers import UNITS, figure, number, percent, quantity, unit
from compliance.labels.text import t

__all__ = [
    "LANGS",
    "UNITS",
    "Lang",
    "default_lang",
    "field_label",
    "figure",
    "lang_for_locale",
    "not_positive",
    "note",
    "number",
    "outcome",
    "percent",
    "quantity",
    "reason",
    "reason_text",
    "row_label",
    "t",
    "unit",
    "unsourced",
]
