"""The dashboard's reusable widgets, one per module."""

from frontier_watch.tui.widgets.row_table import RowTable

__all__ = ["RowTable"]
