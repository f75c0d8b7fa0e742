"""Hatchling build hook: compile the native cell tokeniser (scan.rs) when rustc is there.

``pip install -e '.[dev]'`` and ``python -m build`` run it. With rustc on the PATH
(and ``COMPLIANCE_PURE`` unset) it compiles ``src/native/scan.rs`` (std only) into
``src/compliance/reading/_scan.<so|dylib|dll>`` and ships it in the wheel, which
is then tagged for this platform. Without rustc, with ``COMPLIANCE_PURE=1``, or if
the compiler fails, the build goes on without it and gives a pure py3-none-any
wheel: the pure reader reads the same cells, more slowly. A failed compile warns;
it never fails the install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

_SUFFIX = {"darwin": ".dylib", "win32": ".dll"}.get(sys.platform, ".so")


class NativeHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        lib = root / "src" / "compliance" / "reading" / ("_scan" + _SUFFIX)
        if os.environ.get("COMPLIANCE_PURE"):
            # A library built before stays out of the wheel (it is ignored by git).
            self._say("COMPLIANCE_PURE is set: building without the native tokeniser")
            return
        rustc = shutil.which("rustc")
        if rustc is None:
            self._say("rustc not found: building without the native tokeniser (pure reader)")
            return
        if not _compile(rustc, root / "src" / "native" / "scan.rs", lib, self._say):
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version == "standard":
            build_data["force_include"][str(lib)] = "compliance/reading/" + lib.name

    def _say(self, text: str) -> None:
        self.app.display_warning("compliance: " + text)


def _compile(rustc: str, source: str | Path, lib: Path, say: Any) -> bool:
    """rustc -O the cdylib into ``lib`` (atomically); False, with a warning, if it fails."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / lib.name
        cmd = [rustc, "-O", "-C", "strip=symbols", "--crate-type", "cdylib", "--edition", "2021"]
        cmd += ["--crate-name", "compliance_scan", str(source), "-o", str(out)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            say(f"rustc could not run ({exc}): building without the native tokeniser")
            return False
        if done.returncode != 0 or not out.exists():
            say("rustc failed: building without the native tokeniser\n" + done.stderr[-2000:])
            return False
        staged = lib.with_name(lib.name + ".new")
        shutil.copyfile(out, staged)
        os.replace(staged, lib)
    return True
