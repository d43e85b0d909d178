"""The dashboard at 1,000,000 stored intervals: time to the first painted price table, and a filter keystroke.

Usage: python bench/dashboard.py [RUNS] [DB]
Goals: the first painted Prices table (the dashboard launched on Prices) within 1.3x of a
bare Textual app showing the same rows (handed to it ready-made) and under 1.5 s; a filter
keystroke answered within 100 ms. Also measured in the same run, for scale: an empty
Textual app's start to its first paint, and the dashboard as a person launches it (on the
Overview), from start to the Prices table painted after the key 2. Every app runs headless
(App.run_test) at 160x45, in turn. Without DB, a 1,000,000-interval database is built
through the writers (bench/history_db.py).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import Goal, ms  # noqa: E402
from history_db import build  # noqa: E402
from textual import events  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from frontier_watch.domain.clock import utc_now  # noqa: E402
from frontier_watch.store import price_reads  # noqa: E402
from frontier_watch.store.database import open_database  # noqa: E402
from frontier_watch.store.reading import reader_for  # noqa: E402
from frontier_watch.tui.app import create_app  # noqa: E402

SIZE = (160, 45)
FIRST_PAINT_GOAL = 1.3
FIRST_PAINT_LIMIT = 1.5
KEYSTROKE_LIMIT = 0.100


class BareApp(App[None]):
    """The least a dashboard can do: one DataTable filled with the same rows."""

    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable(id="prices")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("model", "provider", "source", "tier", "input $/M", "output $/M")
        table.add_rows(self.rows)


class EmptyApp(App[None]):
    """Textual's own start: an app with nothing in it."""


def price_table(app: App):
    return app.query_one("#prices")


async def first_paint_empty() -> float:
    started = time.perf_counter()
    async with EmptyApp().run_test(size=SIZE) as pilot:
        await pilot.pause()
        return time.perf_counter() - started


async def prices_from_the_overview(database) -> float:
    """Start on the Overview as a person does, press 2, and wait for the painted Prices table."""
    started = time.perf_counter()
    app = create_app(database, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        while not price_table(app).row_count:
            await asyncio.sleep(0.002)
        await pilot.pause()
        return time.perf_counter() - started


async def until_painted(app: App, started: float) -> float:
    async with app.run_test(size=SIZE) as pilot:
        while True:
            table = price_table(app)
            if table.row_count:
                await pilot.pause()  # let the screen render the rows once
                return time.perf_counter() - started
            await asyncio.sleep(0.002)


async def first_paint_bare(rows) -> float:
    started = time.perf_counter()
    return await until_painted(BareApp(rows), started)


async def first_paint_dashboard(database) -> float:
    started = time.perf_counter()
    return await until_painted(create_app(database, poll_seconds=3600, initial="prices"), started)


async def keystrokes(database, text: str) -> list[float]:
    """Seconds from each key of ``text`` reaching the filter to the price table repainted with its answer.

    Keys are posted to the app as a terminal would deliver them (Pilot's own waiting after
    each key is not the dashboard's), one after the previous answer is on screen.
    """
    app = create_app(database, poll_seconds=3600, initial="prices")
    answers = []
    async with app.run_test(size=SIZE) as pilot:
        table = price_table(app)
        while not table.row_count:
            await asyncio.sleep(0.005)
        await pilot.press("slash")
        await pilot.pause(0.3)
        painted = [0]
        render_line = table.render_line

        def counting(y: int):
            painted[0] += 1
            return render_line(y)

        table.render_line = counting
        typed = ""
        for key in text:
            typed += key
            await asyncio.sleep(0.15)  # a person types a key every 150 ms or so
            before = painted[0]
            started = time.perf_counter()
            app.post_message(events.Key(key, key))
            # The filter has answered and the table has been drawn again since.
            while app.shown_filter != typed or painted[0] == before:
                await asyncio.sleep(0.0005)
            answers.append(time.perf_counter() - started)
    return answers


def main(runs: int | None = None, path: str | None = None) -> list[Goal]:
    runs = runs or (int(sys.argv[1]) if len(sys.argv) > 1 else 5)
    path = path or (sys.argv[2] if len(sys.argv) > 2 else None)
    with tempfile.TemporaryDirectory() as folder:
        if path is not None:
            database = open_database(path)
        else:
            database = build(Path(folder) / "h1m.db", 1_000_000)
        with reader_for(database) as reader:
            rows = price_reads.prices_as_of(reader, utc_now())
            intervals = reader.scalar("SELECT count(*) FROM price_interval")
        cells = [
            (
                row["model_name"],
                row["provider"],
                row["source"],
                row["tier"],
                str(row["input"]),
                str(row["output"]),
            )
            for row in rows
        ]
        empty, bare, ours, via_overview = [], [], [], []
        for _ in range(runs):
            empty.append(asyncio.run(first_paint_empty()))
            bare.append(asyncio.run(first_paint_bare(cells)))
            ours.append(asyncio.run(first_paint_dashboard(database)))
            via_overview.append(asyncio.run(prices_from_the_overview(database)))
        typing = asyncio.run(keystrokes(database, "model-17"))
    bare_median, ours_median = statistics.median(bare), statistics.median(ours)
    ratio = ours_median / bare_median
    print(f"{intervals:,} stored intervals, {len(rows):,} prices in force; {runs} runs each, alternating")
    empty_median = statistics.median(empty)
    print(f"empty Textual app                  {empty_median * 1000:8.1f} ms to its first paint")
    print(f"bare Textual app, same rows        {bare_median * 1000:8.1f} ms to the first painted table")
    print(
        f"frontier-watch dashboard on Prices {ours_median * 1000:8.1f} ms   ratio {ratio:.2f}x "
        f"(empty app + {(ours_median - empty_median) * 1000:.0f} ms)"
    )
    print(
        f"launched on the Overview, then 2   {statistics.median(via_overview) * 1000:8.1f} ms "
        "to the painted Prices table"
    )
    slowest = max(typing)
    print(
        f"filter keystrokes ('model-17')     median {statistics.median(typing) * 1000:.1f} ms, "
        f"slowest {slowest * 1000:.1f} ms (each key typed after the last was answered)"
    )
    met = ratio <= FIRST_PAINT_GOAL and ours_median <= FIRST_PAINT_LIMIT and slowest <= KEYSTROKE_LIMIT
    print(
        f"goals: first paint within {FIRST_PAINT_GOAL}x and under {FIRST_PAINT_LIMIT} s, "
        f"keystroke within {KEYSTROKE_LIMIT * 1000:.0f} ms: {'met' if met else 'NOT met'}"
    )
    return [
        Goal(
            "dashboard: first painted price table at 1M",
            ms(ours_median),
            ms(bare_median),
            ratio,
            f"within {FIRST_PAINT_GOAL}x",
            ratio <= FIRST_PAINT_GOAL,
        ),
        Goal(
            "dashboard: first painted price table at 1M",
            ms(ours_median),
            "",
            None,
            f"under {FIRST_PAINT_LIMIT} s",
            ours_median <= FIRST_PAINT_LIMIT,
        ),
        Goal(
            "dashboard: filter keystroke (slowest)",
            ms(slowest),
            "",
            None,
            f"within {KEYSTROKE_LIMIT * 1000:.0f} ms",
            slowest <= KEYSTROKE_LIMIT,
        ),
    ]


if __name__ == "__main__":
    main()
