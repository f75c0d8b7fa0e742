"""Reading what a worker sends back, without trusting it.

A worker parses hostile files with native code; if one were ever subverted, a
pickle would be its way to run code here, since unpickling calls whatever the
stream names. So this process unpickles a worker's replies with
:meth:`~pickle.Unpickler.find_class` limited to the classes that make up an
outcome (the results, the findings table and what it holds, data problems,
dates, our own errors and Python's exceptions) and no function at all. The
rules and lookups cross by id and are bound to this process's own rule set
(:meth:`compliance.findings.FindingsTable.bind`), so no expression comes back.
"""

from __future__ import annotations

import io
import pickle
from typing import Any

from compliance.labels.messages import Msg

#: Modules whose classes (never their functions) an outcome may hold.
_MODULES = frozenset(
    {
        "compliance.results",
        "compliance.model",
        "compliance.findings",
        "compliance.findings_objects",
        "compliance.engine.explain",
        "compliance.reading.rowmaps",
        "compliance.errors",
        "compliance.labels.messages",
        "compliance.verdict",
        "datetime",
        "pathlib",
    }
)
_BUILTINS = frozenset({"set", "frozenset", "complex", "bytearray", "slice", "range"})


class Refused(pickle.UnpicklingError):
    """A reply named something an outcome never holds; the message completes "the
    reader process ..."."""

    def __init__(self, name: str) -> None:
        self.msg = Msg("worker_refused", {"name": name})
        super().__init__(self.msg.text("en"))


def allowed(module: str, name: str, obj: object) -> bool:
    """Whether a reply may name ``module.name`` (which is ``obj``)."""
    # A class defined there, not one it imports (an expression, a rule).
    if not isinstance(obj, type) or obj.__module__ != module:
        return False
    if module == "builtins":
        return name in _BUILTINS or issubclass(obj, BaseException)
    return module in _MODULES


class _Reader(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module in _MODULES or module == "builtins":
            obj = super().find_class(module, name)
            if allowed(module, name, obj):
                return obj
        raise Refused(f"{module}.{name}")


def loads(data: bytes) -> Any:
    """``pickle.loads`` for bytes a worker wrote."""
    return _Reader(io.BytesIO(data)).load()
