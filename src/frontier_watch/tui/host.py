"""What a screen asks of the dashboard that hosts it, as a Protocol.

Screens call back into the App (read in a worker thread, the clock, the settings, the
subtitle, switching tabs). They name this Protocol rather than the App class, so
``tui/screens`` never imports ``tui/app.py``, which imports every screen: no import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from textual.widget import Widget

    from frontier_watch.settings.config import Settings
    from frontier_watch.store.reading import Reader


class DashboardHost(Protocol):
    """The part of the dashboard App that screens use (``FrontierWatchApp`` provides it)."""

    @property
    def settings(self) -> Settings: ...

    def now(self) -> datetime:
        """The dashboard's clock (a test gives it a fixed one)."""
        ...

    def read(self, group: str, read: Callable[[Reader], Any], show: Callable[[Any], None]) -> None:
        """Run ``read`` on a reader in a worker thread, then ``show`` its result on the UI thread."""
        ...

    def view_status(self, view: Widget) -> None:
        """Say in the subtitle what ``view`` shows, when it is the visible screen."""
        ...

    def action_show(self, name: str) -> None:
        """Switch to the screen called ``name``."""
        ...


def host_of(widget: Widget) -> DashboardHost:
    """The dashboard ``widget`` runs in (its ``app``, seen through :class:`DashboardHost`)."""
    return cast("DashboardHost", widget.app)
