"""Renderers of gap-closure progress (``compliance progress``), one module per format.

Each module has ``render(progress, options, out)``, picked by
:func:`compliance.render.get_progress_renderer`. :mod:`.common` holds the rows
and wording they share; the xlsx workbook reuses the report's xlsx helpers.
"""
