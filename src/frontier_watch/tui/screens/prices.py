"""Prices: every price in force now, one row per offering and tier."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text

from frontier_watch.render.output import safe_text
from frontier_watch.render.public_rows import Column, Listing, PublicPriceRow
from frontier_watch.store.reading import Reader
from frontier_watch.tui import data
from frontier_watch.tui.screens.table_view import TableView

if TYPE_CHECKING:
    from frontier_watch.render.charts import Chart

# At 80 columns the model, provider and prices stay, the rest give way (highest priority
# number first) and remain in the line under the table and the detail pane.
PRICE_LISTING = Listing(
    (
        Column("model_name", "model"),
        Column("provider", "provider"),
        Column("offering_id", "offering"),  # look-alike rows differ here
        Column("input_usd_per_mtok", "input $/M", numeric=True),
        Column("output_usd_per_mtok", "output $/M", numeric=True),
        Column("tier", "tier", priority=2),
        Column("source", "source", priority=3),
        Column("cache_read_usd_per_mtok", "cache rd $/M", numeric=True, priority=4),
        Column("answers_from", "since", fixed=True, priority=4),
        Column("flag", "flag", priority=3),
        Column("basis", "basis", priority=5),
    ),
    "no prices stored yet: press f to fetch, or run `frontier-watch fetch`",
)
SEARCHED = ("model_name", "offering_name", "model_id", "provider", "source", "offering_id", "tier")


def row_identity(row: Any) -> tuple:
    """What stays the same about a price row across reloads: its offering and tier."""
    return (row["source"], row["provider"], row["offering_id"], row["tier"])


class PricesView(TableView):
    name_ = "prices"
    title = "Prices"
    listing = PRICE_LISTING
    search_keys = SEARCHED
    chart_empty = "no dated prices to chart"
    placeholder = "filter by model, provider, offering or source  (Down for the table, Esc clears)"

    def read_rows(self, reader: Reader) -> list[Any]:
        return data.price_rows(reader, self.fw_app.now())

    def _show_rows(self, result: tuple[list[Any], int]) -> None:
        super()._show_rows(result)
        # Thousands of long-lived rows need no cycle collection: keep them out of the
        # collector's full passes, which would otherwise stall a keystroke now and then.
        gc.freeze()

    def keep(self, row: Any) -> object:
        return row_identity(row)

    def row_line(self, row: Any) -> Text:
        text = Text()
        text.append(f"{safe_text(row['offering_name'])} · {safe_text(row['offering_id'])}", style="bold")
        text.append(
            f" ({safe_text(row['provider'])} via {safe_text(row['source'])}) · tier {safe_text(row['tier'])}"
            f" · basis {row['basis']} · evidence {safe_text(row['evidence'])}\n"
            f"source: {safe_text(row['source_url'])}"
        )
        for label, key in (("flag", "flag_reason"), ("outlier", "outlier"), ("narrowed", "clipped")):
            if row.get(key):
                text.append(f"\n{label}: {safe_text(row[key])}")
        return text

    def read_detail(self, reader: Reader, row: Any) -> dict[str, Any]:
        return data.price_detail(reader, row)

    def detail_text(self, row: Any, detail: Any) -> Text:
        text = Text()
        text.append(f"{safe_text(row['model_name'])}\n", style="bold")
        text.append(
            f"offering {safe_text(row['offering_name'])} · {safe_text(row['offering_id'])}\n"
            f"provider {safe_text(row['provider'])} · source {safe_text(row['source'])} · "
            f"tier {safe_text(row['tier'])}\n"
            f"now: input {safe_text(row['input_usd_per_mtok'])} · "
            f"output {safe_text(row['output_usd_per_mtok'])} · "
            f"cache read {safe_text(row['cache_read_usd_per_mtok'])} $/M\n"
        )
        if row.get("flag_reason"):
            text.append(f"flag: {safe_text(row['flag_reason'])}\n", style="bold red")
        if detail is None:
            text.append("reading the price history…", style="dim")
            return text
        intervals = detail["intervals"]
        text.append(f"\n{len(intervals)} intervals, oldest first:\n", style="bold")
        for interval in intervals:
            start = interval["answers_from"] or interval["effective_from"]
            end = interval["answers_to"] or interval["effective_to"]
            text.append(
                f"{safe_text(start)} → {safe_text(end) if end else 'now'}  "
                f"in {safe_text(interval['input_usd_per_mtok'])} "
                f"out {safe_text(interval['output_usd_per_mtok'])}  "
                f"{interval['basis']} · {safe_text(interval['source'])} · {safe_text(interval['evidence'])}"
                + (" · superseded" if interval.get("superseded_at") else "")
                + f"\n  {safe_text(interval['source_url'])}\n"
            )
        return text

    def detail_chart(self, row: Any, detail: Any) -> tuple[Chart | None, str]:
        return (detail["chart"] if detail else None), self.chart_empty

    def export_rows(self) -> list[dict[str, Any]]:
        # The table holds the rows data.price_rows gave it: public price rows.
        return [cast(PublicPriceRow, row).as_record() for row in self.table.shown_rows()]
