"""Record fields a rule file declares (``[fields.NAME]``), beside the built-in ones.

A new kind of standard, such as a village service centre's checklist of rooms,
needs fields the package does not ship. A rule file declares each: its names,
the headers a sheet's column is recognised by, and its kind (``yes_no``, read
from 是/否 and the like as 1 or 0; ``count``; ``number``; ``area``; ``money``;
``text``). The declared fields extend the built-in catalogue for that rule set
only (:attr:`~compliance.rules.model.RuleSet.catalogue`): header detection,
rules, checks, lookups and templates use them as they use the built-in ones.

A declared field may not take a built-in id, nor a header (or name) that
already names another field: the header would never reach it.
"""

from __future__ import annotations

from collections.abc import Mapping

from compliance.catalogue import DECLARED_KINDS, Catalogue, Field, normalise_header, strip_unit
from compliance.labels.messages import Msg, msg, problem
from compliance.rules.locate import Locator
from compliance.rules.schema import FieldSpec


def declared_fields(
    specs: Mapping[str, FieldSpec], base: Catalogue, problems: list[Msg], at: Locator
) -> tuple[Field, ...]:
    """The ``[fields.*]`` of a rule file as catalogue fields, one problem per mistake."""
    out: list[Field] = []
    taken: dict[str, str] = {}  # normalised header -> the declared field that has it
    for fid, spec in specs.items():
        where = msg("place_declared_field", id=repr(fid))
        if fid in base:
            problems.append(
                problem(
                    where,
                    at(("fields", fid)),
                    msg("field_builtin", id=fid, zh=base[fid].zh, en=base[fid].en),
                )
            )
            continue
        ftype, unit = DECLARED_KINDS[spec.kind]
        ok = True
        for key, texts in (("zh", [spec.zh]), ("en", [spec.en]), ("headers", spec.headers)):
            for text in texts:
                norm = normalise_header(text)
                other = base.match(text) or taken.get(norm) or taken.get(strip_unit(norm))
                if other is not None and other != fid:
                    problems.append(
                        problem(
                            msg("place_key", head=where, key=key),
                            at(("fields", fid, key)),
                            msg("field_header_taken", text=repr(text), other=other),
                        )
                    )
                    ok = False
                taken.setdefault(norm, fid)
        if ok:
            out.append(
                Field(
                    id=fid,
                    type=ftype,
                    zh=spec.zh,
                    en=spec.en,
                    headers=tuple(spec.headers),
                    unit=spec.unit or unit,
                    description_zh=spec.description_zh,
                    description_en=spec.description_en,
                    example=spec.example,
                )
            )
    return tuple(out)
