"""The dashboard: Overview, Prices, Releases, Compute, Trends, Changes and Sources as tabs.

Every read runs in a worker thread (``read``) and every worker's error reaches one handler
(``on_worker_state_changed``), which shows it as a notification: the dashboard never
shows a traceback. A screen reads its data when first shown; a poll of the database's
data version reloads the visible screen when cron (or our own fetch) writes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.actions import SkipAction
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, TabbedContent, TabPane
from textual.worker import Worker, WorkerState, get_current_worker

from frontier_watch.domain.clock import utc_now
from frontier_watch.render.output import safe_text
from frontier_watch.settings.config import Settings
from frontier_watch.store.database import Database
from frontier_watch.store.reading import Reader, reader_for
from frontier_watch.tui.host import DashboardHost
from frontier_watch.tui.messages import (
    DataChanged,
    FetchFinished,
    FetchStarted,
    SourceFetched,
    SourceFetching,
)
from frontier_watch.tui.screens import (
    ChangesView,
    ComputeView,
    OverviewView,
    PricesView,
    ReleasesView,
    SourcesView,
    TrendsView,
)
from frontier_watch.tui.screens.help import HelpScreen
from frontier_watch.tui.screens.table_view import TableView
from frontier_watch.tui.widgets import FetchPanel, RowTable

VIEWS: tuple[Any, ...] = (
    OverviewView,
    PricesView,
    ReleasesView,
    ComputeView,
    TrendsView,
    ChangesView,
    SourcesView,
)
VIEW_NAMES = tuple(view.name_ for view in VIEWS)


ERROR_SECONDS = 10  # how long an error notification shows


class FrontierWatchApp(App[None]):
    """The dashboard over one database."""

    TITLE = "frontier-watch"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(number), f"show('{name}')", view.title, show=False)
            for number, (name, view) in enumerate(zip(VIEW_NAMES, VIEWS, strict=True), start=1)
        ),
        # Priority: "/" moves the focus as the app reads it, so the letters typed right after
        # it reach the filter even when the app is behind (action_focus_filter passes "/" on
        # to a text field or a dialog).
        Binding("slash", "focus_filter", "Filter", priority=True),
        Binding("f", "fetch", "Fetch"),
        Binding("e", "export", "Export"),
        Binding("r", "refresh", "Reload", show=False),
        Binding("t", "change_theme", "Theme", show=False),
        Binding("question_mark", "help", "Keys"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        database: Database,
        settings: Settings | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        poll_seconds: float = 5.0,
        initial: str = "overview",
    ) -> None:
        super().__init__()
        self.database = database
        if settings is None:
            from frontier_watch.settings.config import load_settings

            settings = load_settings(db=database.url)
        self.settings = settings
        self._clock = clock or utc_now
        self._poll_seconds = poll_seconds
        self.initial = initial if initial in VIEW_NAMES else "overview"
        self.data_version = -1
        self.fetching = False
        self._cancel_fetch = threading.Event()
        self.last_export: Path | None = None
        self._filter_wanted = ""  # the screen whose filter gets the focus when it is shown
        self._requested: set[str] = set()  # screens whose first read has been asked for
        self._last_error: tuple[str, float] = ("", 0.0)  # message, when: the same one is not repeated

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial=f"tab-{self.initial}", id="tabs"):
            for number, view in enumerate(VIEWS, start=1):
                with TabPane(f"{number} {view.title}", id=f"tab-{view.name_}"):
                    yield view()
        yield FetchPanel(id="fetch-panel")
        yield Footer()

    def on_mount(self) -> None:
        self.activate(self.initial)
        # Cron writes to the same database; poll its data version and reload when it moves.
        self.set_interval(self._poll_seconds, self.check_for_new_data)

    def now(self) -> datetime:
        return self._clock()

    # ------------------------------------------------------------------ screens

    def view(self, name: str) -> Widget:
        return self.query_one(f"#view-{name}")

    @property
    def active_name(self) -> str:
        active = self.query_one("#tabs", TabbedContent).active
        return active.removeprefix("tab-") if active else self.initial

    @property
    def active_view(self) -> Widget:
        return self.view(self.active_name)

    def activate(self, name: str) -> None:
        """Show a screen's data, reading it if it was never read or the data has changed since."""
        view: Any = self.view(name)
        stale = view.loaded_version is not None and 0 <= self.data_version != view.loaded_version
        if name not in self._requested or stale:
            self._requested.add(name)
            view.reload()
        focused = self.focused
        if self._filter_wanted == name and isinstance(view, TableView):
            view.focus_filter()  # "/" on the Overview: type straight into the Prices filter
        elif focused is None or view not in focused.ancestors_with_self:  # keep a focus already inside
            if isinstance(view, TableView):
                self.set_focus(view.table)
            elif isinstance(view, TrendsView):
                self.set_focus(view)
        self.view_status(view)

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id:
            self.activate(event.pane.id.removeprefix("tab-"))
            self._filter_wanted = ""

    def action_show(self, name: str) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        if tabs.active != f"tab-{name}":
            tabs.active = f"tab-{name}"
        else:
            self.activate(name)

    def view_status(self, view: Widget) -> None:
        """The subtitle says what the visible screen shows."""
        if view is not self.active_view:
            return
        if isinstance(view, TableView) and view.loaded_version is None:
            self.sub_title = f"{view.title}: reading…"
        elif isinstance(view, TableView):
            table = view.table
            sort = view.sort_description()
            self.sub_title = (
                f"{view.title}: {table.row_count:,} of {table.total_count:,}"
                + (f" · filter '{safe_text(table.filter_text)}'" if table.filter_text else "")
                + (f" · {sort}" if sort else "")
            )
        else:
            self.sub_title = getattr(view, "title", "")

    # ------------------------------------------------------------------ as the first dashboard named them

    @property
    def prices_table(self) -> RowTable:
        return self.query_one("#prices", RowTable)

    @property
    def shown_filter(self) -> str:
        """The Prices filter text the table shows the answer to (the input may be ahead of it)."""
        return self.prices_table.filter_text

    # ------------------------------------------------------------------ reading in threads

    def read(self, group: str, read: Callable[[Reader], Any], show: Callable[[Any], None]) -> None:
        """Run ``read`` on a reader in a worker thread, then ``show`` its result on the UI thread.

        One read per group at a time: a newer read of the same group replaces an older one,
        whose result is dropped.
        """

        def work() -> None:
            worker = get_current_worker()
            with reader_for(self.database) as reader, reader.snapshot():
                result = read(reader)
            if not worker.is_cancelled:
                self.call_from_thread(self._deliver, show, result)

        self.run_worker(work, name=group, group=group, thread=True, exclusive=True, exit_on_error=False)

    def _deliver(self, show: Callable[[Any], None], result: Any) -> None:
        try:
            show(result)
        except NoMatches:  # the app is closing: the screen it was read for has gone
            pass

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker errors are handled: a notification, never a crash."""
        worker = event.worker
        if event.state == WorkerState.ERROR:
            error = worker.error
            if worker.group == "fetch":
                self.fetching = False
                title = "fetch failed"
            else:
                title = f"could not read {worker.group.split('-')[-1]}"
            message = safe_text(f"{error}") or type(error).__name__
            self._show_read_error(worker.group, message)
            # A damaged file fails every read and every poll alike: say it once while it shows.
            now = time.monotonic()
            if self._last_error[0] == message and now - self._last_error[1] < ERROR_SECONDS:
                return
            self._last_error = (message, now)
            self.notify(message, title=title, severity="error", timeout=ERROR_SECONDS)
        elif worker.group == "fetch" and event.state in (WorkerState.SUCCESS, WorkerState.CANCELLED):
            self.fetching = False

    def _show_read_error(self, group: str, message: str) -> None:
        """A view whose read failed says so where its figures would be, not "reading…" for ever."""
        try:
            view = self.view(group)
        except NoMatches:  # a group that is not a whole view (a table's rows, a detail pane)
            return
        show_error = getattr(view, "show_error", None)
        if show_error is not None:
            show_error(message)

    # ------------------------------------------------------------------ live refresh

    def check_for_new_data(self) -> None:
        # Timer callback: a poll still under way will see the new data itself.
        if any(worker.group == "poll" and worker.is_running for worker in self.workers):
            return

        def work() -> None:
            from frontier_watch.store import catalog

            with reader_for(self.database) as reader:
                version = catalog.data_version(reader)
            self.post_message(DataChanged(version))

        self.run_worker(work, name="poll", group="poll", thread=True, exit_on_error=False)

    @on(DataChanged)
    def _data_changed(self, event: DataChanged) -> None:
        self.data_version = event.version
        try:
            view: Any = self.active_view
        except NoMatches:  # closing
            return
        if view.loaded_version is not None and view.loaded_version != event.version:
            if self._reading(self.active_name):
                # Starting the read again would cancel this one: with a read slower than the
                # poll none would ever finish. It shows its data; the next poll sees any newer.
                return
            view.reload()

    def _reading(self, name: str) -> bool:
        """A read of the screen's own data (its rows, or its figures) is under way."""
        groups = {name, f"rows-{name}"}
        return any(worker.group in groups and worker.is_running for worker in self.workers)

    def action_refresh(self) -> None:
        view: Any = self.active_view
        view.reload()

    # ------------------------------------------------------------------ keys

    def action_focus_filter(self) -> None:
        if isinstance(self.focused, Input) or len(self.screen_stack) > 1:
            raise SkipAction  # "/" is text there (a filter, the palette), or a key for the dialog
        view = self.active_view
        if isinstance(view, TableView):
            view.focus_filter()
        else:
            self._filter_wanted = "prices"
            self.action_show("prices")
            prices: Any = self.view("prices")
            prices.focus_filter()  # now, not when the tab's message comes round

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_export(self) -> None:
        from frontier_watch.tui.view_export import export_csv

        view = self.active_view
        if not isinstance(view, TableView):
            self.notify("this screen has no table to export; open a screen with a table (2, 3, 4, 6, 7)")
            return
        rows = view.export_rows()
        folder = self.settings.export_folder
        try:
            path = export_csv(rows, folder, view.name_, self.now())
        except OSError as error:
            reason = error.strerror or error
            self.notify(f"cannot write to {folder}: {reason}", title="export failed", severity="error")
            return
        self.last_export = path
        self.notify(f"{len(rows):,} rows written to {path}", title="exported", timeout=10)

    # ------------------------------------------------------------------ fetch

    def action_fetch(self) -> None:
        if self.fetching:
            self.notify("a fetch is already running (progress below)")
            return
        self.fetching = True
        self._cancel_fetch.clear()
        self.run_worker(self._fetch, name="fetch", group="fetch", thread=True, exit_on_error=False)

    def _fetch(self) -> None:
        from frontier_watch.use_cases.fetching import FetchOptions, run_fetch, select_sources

        specs = select_sources(self.settings)
        self.post_message(FetchStarted([spec.id for spec in specs]))
        report = run_fetch(
            self.settings,
            self.database,
            options=FetchOptions.from_settings(self.settings, cancelled=self._cancel_fetch),
            on_start=lambda spec: self._post(SourceFetching(spec.id)),
            on_done=lambda summary: self._post(SourceFetched(summary)),
        )
        self.post_message(FetchFinished(report.summaries, report.notes))

    def _post(self, message: Message) -> None:
        self.post_message(message)

    @on(FetchStarted)
    def _fetch_started(self, event: FetchStarted) -> None:
        self.query_one(FetchPanel).start(event.source_ids)

    @on(SourceFetching)
    def _source_fetching(self, event: SourceFetching) -> None:
        self.query_one(FetchPanel).fetching(event.source_id)

    @on(SourceFetched)
    def _source_fetched(self, event: SourceFetched) -> None:
        self.query_one(FetchPanel).fetched(event.summary)

    @on(FetchFinished)
    def _fetch_finished(self, event: FetchFinished) -> None:
        failed = [summary for summary in event.summaries if summary.status != "ok"]
        self.query_one(FetchPanel).finished(len(failed), len(event.summaries))
        for note in event.notes:
            self.notify(safe_text(note), severity="warning")
        self.notify(
            f"{len(event.summaries) - len(failed)} sources ok, {len(failed)} failed",
            title="fetch done",
            severity="error" if failed else "information",
        )
        self.check_for_new_data()

    def on_unmount(self) -> None:
        self._cancel_fetch.set()  # a fetch under way stops and writes nothing more

    # ------------------------------------------------------------------ command palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for title, help_text, callback in (
            ("Fetch all sources", "Fetch every enabled source in the background (f)", self.action_fetch),
            ("Export view to CSV", "Write the current table to a CSV file (e)", self.action_export),
            ("Show keys", "Every key of the dashboard (?)", self.action_help),
            ("Reload", "Read the current screen from the database again (r)", self.action_refresh),
        ):
            yield SystemCommand(title, help_text, callback)
        for number, view in enumerate(VIEWS, start=1):
            yield SystemCommand(
                f"Go to {view.title}", f"Show the {view.title} screen ({number})", _goto(self, view.name_)
            )


if TYPE_CHECKING:
    # mypy checks here that the App gives the screens all that tui/host.py says they use.
    _HOST: type[DashboardHost] = FrontierWatchApp


def _goto(app: FrontierWatchApp, name: str) -> Callable[[], None]:
    return lambda: app.action_show(name)


def create_app(
    database: Database,
    settings: Settings | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
    poll_seconds: float = 5.0,
    initial: str = "overview",
) -> FrontierWatchApp:
    """The dashboard as the CLI and the tests build it (``initial``: the screen it opens on)."""
    return FrontierWatchApp(database, settings, clock=clock, poll_seconds=poll_seconds, initial=initial)
