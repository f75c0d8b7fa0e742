"""Gap-closure progress between two snapshots of the same communities.

The 2008 plan asks that 70% of the province's premises gap (m² short of 350)
be closed by the end of 2008. :func:`compare` matches the communities of a
baseline and a current report, by community code, falling back to name plus
sub-district, and gives for each region and in total:

- the baseline gap and the current gap of the matched communities, in the
  rule's unit, and the share of the baseline gap closed, against the target;
- the communities that newly comply, newly fail, still fail, appeared (only in
  the current snapshot) or disappeared (only in the baseline);
- per community and standard, the same words for every evaluated standard
  (still failing with the shortfall ``improved``, ``worsened`` or ``unchanged``),
  and the large swings of premises area, workers and households between the
  snapshots (大起大落: data problems with code ``swing``), see
  :mod:`compliance.progress.changes`.

The closed share is net by default (rule-set parameter ``gap_closure``): a
community whose gap grew takes its growth off what others closed. Gross counts
only what was closed, so a community that lost area does not reduce it.

The gap is the physical shortfall: a failure not yet due or waived still counts,
since a deadline or an exception does not add square metres. A community whose
figure is unknown in either snapshot is left out of the gap figures and
counted apart. Communities that appeared or disappeared are left out of the
closed share (their gaps are reported separately), so that a merger or a new
community cannot look like progress.

:mod:`.model` holds the result, :mod:`.compare` computes it, :mod:`.snapshots`
matches the communities and :mod:`.changes` says what changed for each.

>>> from compliance import api
>>> from compliance.progress import compare
>>> p = compare(api.check_files(["2007.xlsx"]), api.check_files(["2008.xlsx"]))  # doctest: +SKIP
>>> p.total.closed_share  # doctest: +SKIP
0.71
"""

from __future__ import annotations

from compliance.progress.changes import Change, StandardChange, Trend
from compliance.progress.compare import changed, compare
from compliance.progress.model import (
    DEFAULT_SWING_SHARE,
    GAP_CLOSURE,
    CommunityChange,
    Progress,
    RegionProgress,
)

__all__ = [
    "DEFAULT_SWING_SHARE",
    "GAP_CLOSURE",
    "Change",
    "CommunityChange",
    "Progress",
    "RegionProgress",
    "StandardChange",
    "Trend",
    "changed",
    "compare",
]
