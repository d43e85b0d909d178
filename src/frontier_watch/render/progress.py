"""Live per-source progress lines for a fetch run from a terminal (rich)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from frontier_watch.render.output import safe_text


@contextmanager
def fetch_progress() -> Iterator[tuple[Callable[[Any], None], Callable[[Any], None]]]:
    """(on_start, on_done) callbacks that keep one live line per source on stderr."""
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    def shown(text: object) -> str:  # source text is data, never rich markup
        return escape(safe_text(text))

    tasks: dict[str, Any] = {}
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as progress:

        def started(spec) -> None:
            tasks[spec.id] = progress.add_task(f"{shown(spec.id)}: fetching {shown(spec.url)}", total=1)

        def done(summary) -> None:
            mark = "ok" if summary.status == "ok" else summary.status.upper()
            detail = (
                f"{summary.records} records, {summary.new} new, {summary.changed} changed, "
                f"{summary.withdrawn} withdrawn"
            )
            if summary.status != "ok":
                detail = shown(summary.error or "")
            task = tasks.get(summary.source_id)
            if task is None:
                task = tasks[summary.source_id] = progress.add_task("", total=1)
            progress.update(task, completed=1, description=f"{shown(summary.source_id)}: {mark} - {detail}")

        yield started, done
