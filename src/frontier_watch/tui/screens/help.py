"""The keys, on ``?``: a modal any key closes."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = (
    ("Screens", ""),
    ("1 … 7", "Overview, Prices, Releases, Compute, Trends, Changes, Sources"),
    ("tab / shift+tab", "move between the tabs, the filter, the table and the detail pane"),
    ("Tables", ""),
    ("/", "filter the screen you are on (from the Overview: the Prices filter)"),
    ("down, enter", "from the filter back to the table"),
    ("up, down, pgup, pgdn, home, end", "move the cursor"),
    ("enter", "open the detail pane of the highlighted row (history, chart, evidence)"),
    ("escape", "close the detail pane, then clear the filter"),
    ("s / S", "sort by the next column / reverse the order (or click a heading)"),
    ("p", "cheapest first: input price ascending (again: output price)"),
    ("Prices", ""),
    ("v", "model rows (the price to cite) ↔ every offering's row with its verdict"),
    ("enter", "on a model row: its timeline as a chart, and each source's row"),
    ("Trends", ""),
    ("b", "next benchmark"),
    ("+ / -", "raise / lower the benchmark threshold"),
    ("Everywhere", ""),
    ("f", "fetch every enabled source in the background (progress below)"),
    ("e", "export the current view to CSV (the path is shown)"),
    ("r", "reload from the database"),
    ("t", "change the theme"),
    ("ctrl+p", "command palette: the same actions by name"),
    ("?", "this help"),
    ("q", "quit"),
)


def keys_text() -> Text:
    text = Text()
    for key, what in KEYS:
        if not what:
            text.append(f"\n{key}\n", style="bold underline")
            continue
        text.append(f"  {key:<32}", style="bold")
        text.append(f"{what}\n")
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q,enter", "dismiss", "Close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "keys (Esc closes)"
            yield Static(keys_text(), id="keys")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
