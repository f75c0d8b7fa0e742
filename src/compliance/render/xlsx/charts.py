"""Native Excel bar charts over a table on some sheet."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.worksheet.worksheet import Worksheet


def bar_chart(
    title: str,
    sheet: Worksheet,
    *,
    value_column: int,
    category_column: int,
    header_row: int,
    first_row: int,
    last_row: int,
    number_format: str,
    axis_title: str = "",
    percent: bool = False,
) -> BarChart:
    """A horizontal bar chart of one column of ``sheet`` against a column of names.

    Bars run top to bottom in table order; each bar carries its value. The
    series is named from the header cell. Long lists get a taller chart.
    """
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.gapWidth = 60
    chart.title = title
    chart.legend = None
    data = Reference(sheet, min_col=value_column, min_row=header_row, max_row=last_row)
    cats = Reference(sheet, min_col=category_column, min_row=first_row, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    # openpyxl 3.1 hides axes unless told otherwise.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    # Table order from the top: the category axis runs max to min.
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.numFmt = number_format
    chart.y_axis.majorGridlines = None
    chart.y_axis.title = axis_title or None
    if percent:
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
    labels = DataLabelList()
    labels.showVal = True
    # Spelled out: LibreOffice otherwise also prints the series and category names.
    labels.showSerName = False
    labels.showCatName = False
    labels.showLegendKey = False
    labels.showPercent = False
    labels.numFmt = number_format
    chart.dataLabels = labels
    rows = max(last_row - first_row + 1, 1)
    chart.width = 18
    chart.height = min(60.0, max(7.5, 0.6 * rows + 2.5))
    return chart
