"""The dashboard's reusable widgets, one per module."""

from frontier_watch.tui.widgets.chart import Chart
from frontier_watch.tui.widgets.fetch_panel import FetchPanel
from frontier_watch.tui.widgets.row_table import RowTable

__all__ = ["Chart", "FetchPanel", "RowTable"]
