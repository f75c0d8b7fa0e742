"""Names of rule sets that need no loading: the default one."""

from __future__ import annotations

#: The rule set checked when none is given (``rules/zhejiang-2007.toml``).
DEFAULT_RULESET = "zhejiang-2007"
