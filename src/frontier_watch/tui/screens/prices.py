"""Prices: the price to cite for each model, seller and tier now; `v` shows every offering's row.

A model row is the model answer, as ``prices`` gives it: the reference price and why. Its
detail pane is the model's timeline for that seller and tier, as a step chart, and the
evidence behind today's answer (each source's row with its verdict). The offering rows are
``prices --offerings``: every source's row with its verdict in its model's answer.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual.binding import Binding, BindingType

from frontier_watch.render.output import safe_text
from frontier_watch.render.public_rows import Column, Listing, day_column
from frontier_watch.store.reading import Reader
from frontier_watch.tui import model_prices
from frontier_watch.tui.model_prices import ModelRow, OfferingRow, PriceScreenRows
from frontier_watch.tui.screens.price_detail import (
    intervals_text,
    model_detail_below,
    model_detail_text,
    offering_detail_text,
)
from frontier_watch.tui.screens.table_view import TableView

if TYPE_CHECKING:
    from frontier_watch.render.charts import Chart

EMPTY = "no prices stored yet: press f to fetch, or run `frontier-watch fetch`"
_TIER = Column("tier_shown", "tier")  # blank for the default tier, so any other always shows


def _money(key: str, heading: str, priority: int = 1) -> Column:
    return Column(key, heading, numeric=True, priority=priority)


# At 80 columns: model, seller, tier (blank when default), both prices and why; the rest
# give way (highest priority number first) and stay in the line under the table.
MODEL_LISTING = Listing(
    (
        Column("model_name", "model"),
        Column("provider", "seller"),
        _TIER,
        _money("input_usd_per_mtok", "input $/M"),
        _money("output_usd_per_mtok", "output $/M"),
        Column("why", "why"),
        day_column("answers_from", "from", priority=3),
        _money("cache_read_usd_per_mtok", "cache rd $/M", priority=4),
        Column("source", "source", priority=4),
        Column("offering_id", "offering", priority=5),
    ),
    EMPTY,
)
# At 80 columns: whose row (model, seller, source), its prices and its verdict.
OFFERING_LISTING = Listing(
    (
        Column("model_name", "model"),
        Column("provider", "seller"),
        Column("source", "source"),
        _money("input_usd_per_mtok", "input $/M"),
        _money("output_usd_per_mtok", "output $/M"),
        Column("verdict", "verdict"),
        _TIER,
        Column("offering_id", "offering", priority=2),
        day_column("answers_from", "from", priority=3),
        day_column("answers_to", "to", priority=4),
        Column("basis", "basis", priority=3),
        _money("cache_read_usd_per_mtok", "cache rd $/M", priority=4),
    ),
    EMPTY,
)
MODEL_SEARCHED = ("model_name", "model_id", "provider", "tier", "searched")
OFFERING_SEARCHED = ("model_name", "offering_name", "model_id", "provider", "source", "offering_id", "tier")


def row_identity(row: Any) -> tuple:
    """What stays the same about an offering row across reloads: its offering and tier. (A model
    row's reference offering: from a model row, the toggle lands on its reference's row.)"""
    return (row["source"], row["provider"], row["offering_id"], row["tier"])


def answer_identity(row: Any) -> tuple:
    """The model answer a row belongs to: its model (an unmatched offering answers for itself),
    seller and tier."""
    model = row["model_id"] or ("offering", row["source"], row["offering_id"])
    return (model, row["provider"], row["tier"])


class PricesView(TableView):
    name_ = "prices"
    title = "Prices"
    listing = MODEL_LISTING
    chart_empty = "no dated price above zero to chart"
    placeholder = "filter by model, seller, offering or source  (Down for the table, Esc clears)"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "offerings", "Offerings"),
        Binding("v", "models", "Models"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.offerings_shown = False
        self.rows = PriceScreenRows([], [])

    def searched(self) -> tuple[str, ...]:
        """The fields the filter looks in, for the rows shown."""
        return OFFERING_SEARCHED if self.offerings_shown else MODEL_SEARCHED

    def read_rows(self, reader: Reader) -> Any:
        return model_prices.price_rows(reader, self.fw_app.now())

    def present(self, rows: Any) -> None:
        self.rows = cast(PriceScreenRows, rows)
        self.table.set_rows(self._shown(), search_keys=self.searched(), keep=self.keep)
        self.show_status()
        # Thousands of long-lived rows need no cycle collection: keep them out of the
        # collector's full passes, which would otherwise stall a keystroke now and then.
        gc.freeze()

    def _shown(self) -> list[Any]:
        return list(self.rows.offerings) if self.offerings_shown else self.rows.models

    def keep(self, row: Any) -> object:
        return row_identity(row) if self.offerings_shown else answer_identity(row)

    # ------------------------------------------------------------------ the toggle

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`v` says what it will show: "Offerings" on the model rows, "Models" on the offerings."""
        if action == "offerings":
            return not self.offerings_shown
        if action == "models":
            return self.offerings_shown
        return True

    def action_offerings(self) -> None:
        """Every offering's row with its verdict; the cursor on the model row's reference."""
        self._toggle(True, row_identity)

    def action_models(self) -> None:
        """The model rows; the cursor on the answer the offering row belongs to."""
        self._toggle(False, answer_identity)

    def _toggle(self, offerings: bool, landing: Any) -> None:
        self.offerings_shown = offerings
        self.table.set_listing(OFFERING_LISTING if offerings else MODEL_LISTING)
        self.table.set_rows(self._shown(), search_keys=self.searched(), keep=landing)
        self.refresh_bindings()
        self.show_status()
        if self.detail_open:
            self.open_detail()

    def sort_description(self) -> str:
        sort = super().sort_description()
        shown = "offerings (v: models)" if self.offerings_shown else "models (v: offerings)"
        return shown + (f" · {sort}" if sort else "")

    # ------------------------------------------------------------------ a row

    def row_line(self, row: Any) -> Text:
        if isinstance(row, OfferingRow):
            return self._offering_line(row)
        text = Text()
        tier = "" if row["tier"] == model_prices.DEFAULT_TIER else f" · tier {safe_text(row['tier'])}"
        text.append(f"{safe_text(row['model_name'])} · {safe_text(row['provider'])}{tier}", style="bold")
        text.append(
            f" · {_price(row)} $/M from {_day(row['answers_from'])}: {safe_text(row['why'])}\n"
            f"reference {safe_text(row['offering_id'])} via {safe_text(row['source'])} · "
            f"evidence {safe_text(row['evidence'])} · {safe_text(row['source_url'])}"
        )
        return text

    def _offering_line(self, row: OfferingRow) -> Text:
        text = Text()
        text.append(f"{safe_text(row['offering_name'])} · {safe_text(row['offering_id'])}", style="bold")
        verdict = f" · {safe_text(row['verdict'])}" + (f": {safe_text(row['why'])}" if row["why"] else "")
        text.append(
            f" ({safe_text(row['provider'])} via {safe_text(row['source'])}) · tier {safe_text(row['tier'])}"
            f"{verdict if row['verdict'] else ''}\n"
            f"basis {row['basis']} · evidence {safe_text(row['evidence'])} · "
            f"source: {safe_text(row['source_url'])}"
        )
        for label, key in (("flag", "flag_reason"), ("narrowed", "clipped")):
            if row.get(key):
                text.append(f"\n{label}: {safe_text(row[key])}")
        return text

    def read_detail(self, reader: Reader, row: Any) -> Any:
        today = self.fw_app.now().date()
        if isinstance(row, ModelRow) and row["model_id"]:
            return model_prices.model_detail(reader, row, today)
        return model_prices.offering_detail(reader, row, today)  # (an unmatched offering's own too)

    def detail_text(self, row: Any, detail: Any) -> Text:
        if isinstance(row, ModelRow) and row["model_id"]:
            return model_detail_text(row, detail)
        return offering_detail_text(row, detail)

    def detail_chart(self, row: Any, detail: Any) -> tuple[Chart | None, str]:
        if detail is None:
            return None, ""
        chart = detail["chart"] if isinstance(detail, dict) else detail.chart
        return chart, self.chart_empty

    def detail_below(self, row: Any, detail: Any) -> Text | None:
        if detail is None:
            return None
        if isinstance(detail, dict):
            return intervals_text(detail["intervals"])
        return model_detail_below(row, detail, self.fw_app.now().date())

    def export_rows(self) -> list[dict[str, Any]]:
        """The rows as shown, in the public shape of ``prices --json`` (model rows, with their
        evidence array) or ``prices --offerings --json``."""
        return [cast(ModelRow | OfferingRow, row).as_record() for row in self.table.shown_rows()]


def _price(row: Any) -> str:
    return f"{_amount(row['input_usd_per_mtok'])}/{_amount(row['output_usd_per_mtok'])}"


def _amount(value: Any) -> str:
    return "?" if value is None else safe_text(value)


def _day(moment: Any) -> str:
    return "undated" if moment is None else safe_text(moment.date() if hasattr(moment, "date") else moment)
