"""The dashboard's screens (tabs) and modals, one per module."""

from frontier_watch.tui.screens.changes import ChangesView
from frontier_watch.tui.screens.compute import ComputeView
from frontier_watch.tui.screens.overview import OverviewView
from frontier_watch.tui.screens.prices import PricesView
from frontier_watch.tui.screens.releases import ReleasesView
from frontier_watch.tui.screens.sources import SourcesView
from frontier_watch.tui.screens.trends import TrendsView

__all__ = [
    "ChangesView",
    "ComputeView",
    "OverviewView",
    "PricesView",
    "ReleasesView",
    "SourcesView",
    "TrendsView",
]
