"""Renderers of the shortfall summary (``compliance summary``), one module per format.

Each module has ``render(summary, report, options, out)``; the xlsx workbook is
the same for ``check`` and ``summary`` and lives in :mod:`compliance.render.xlsx`.
:mod:`compliance.render.summary.common` holds the wording they share.
"""
