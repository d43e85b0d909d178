"""The ``changes`` digest as text for a terminal or as Markdown ready to paste into a newsletter.

Its price sections are model-level (reports/changes.py): a change of the reference price of
a model, seller and tier, a model's first price, a seller's price withdrawn.
"""

from __future__ import annotations

import re
from typing import Any

from frontier_watch.render.output import safe_text
from frontier_watch.render.rates import usd_text as _usd


def _pct(value: float | None) -> str:
    return "" if value is None else f" ({value:+.0f}%)"


def _cell(value: Any, markdown: bool) -> str:
    text = safe_text(value)
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_") if markdown else text


def _link(url: str, markdown: bool) -> str:
    """A URL as text, or in Markdown as an autolink (``<https://...>``: nothing in it escaped,
    so it stays the address it is) when it can be one."""
    text = safe_text(url)
    if markdown and _AUTOLINK.fullmatch(text):
        return f"<{text}>"
    return _cell(text, markdown)


_AUTOLINK = re.compile(r"https?://[^\s<>`\\]+")


def _subject(row: dict[str, Any], markdown: bool) -> str:
    """``2026-09-01 Claude Sonnet 5 at Anthropic`` (and the tier, when not the default, and
    the variant, when not the plain one)."""
    tier = "" if row["tier"] == "default" else f", {_cell(row['tier'], markdown)} tier"
    if row.get("variant"):
        tier += f" ({_cell(row['variant'], markdown)})"
    return (
        f"{str(row['date'])[:10]} {_cell(row['model_name'], markdown)} at "
        f"{_cell(row['provider'], markdown)}{tier}"
    )


def _backing(row: dict[str, Any], markdown: bool) -> str:
    """`` [scheduled] (genai-prices, llm-prices; declared) https://...``: when, who says so,
    how the day is known, and where."""
    scheduled = " [scheduled]" if row["scheduled"] else ""
    sources = ", ".join(_cell(source, markdown) for source in row["sources"])
    url = f" {_link(row['source_urls'][0], markdown)}" if row["source_urls"] else ""
    return f"{scheduled} ({sources}; {_cell(row['dating'], markdown)}){url}"


def _change_line(row: dict[str, Any], markdown: bool) -> str:
    return (
        f"{_subject(row, markdown)}: input {_usd(row['old_input_usd_per_mtok'])} -> "
        f"{_usd(row['new_input_usd_per_mtok'])}{_pct(row['input_change_pct'])}, output "
        f"{_usd(row['old_output_usd_per_mtok'])} -> {_usd(row['new_output_usd_per_mtok'])}"
        f"{_pct(row['output_change_pct'])}{_backing(row, markdown)}"
    )


def _event_line(row: dict[str, Any], markdown: bool, what: str = "") -> str:
    return (
        f"{_subject(row, markdown)}: input {_usd(row['input_usd_per_mtok'])}, output "
        f"{_usd(row['output_usd_per_mtok'])}{what}{_backing(row, markdown)}"
    )


def _first_seen_lines(rows: list[dict[str, Any]], markdown: bool) -> list[str]:
    """Models whose first price is undated, one line per day and sources: the day a source's
    list was first seen to carry them, which says nothing about when they were launched."""
    groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((str(row["date"])[:10], tuple(row["sources"])), []).append(row)
    lines = []
    for (day, sources), members in groups.items():
        names = sorted({_cell(row["model_name"], markdown) for row in members}, key=str.lower)
        urls = sorted({url for row in members for url in row["source_urls"]})
        url = f" {_link(urls[0], markdown)}" if urls else ""
        shown = ", ".join(_cell(source, markdown) for source in sources)
        lines.append(f"{day} ({shown}): {', '.join(names)}{url}")
    return lines


def render_changes(digest: dict[str, Any], *, markdown: bool = False) -> str:
    """Sections for price changes, new models, withdrawn prices, releases and signals; each
    price line carries its day, its sources and a source URL where the store has one."""
    lines: list[str] = []
    since, until = digest["since"][:10], digest["until"][:10]
    heading = "## " if markdown else ""
    bullet = "- " if markdown else "  "
    lines.append(f"{'# ' if markdown else ''}What changed from {since} to {until}")

    def section(title: str, items: list[str]) -> None:
        if not items:
            return
        lines.append("")
        lines.append(f"{heading}{title} ({len(items)})")
        lines.extend(f"{bullet}{item}" for item in items)

    def c(value: Any) -> str:
        return _cell(value, markdown)

    section("Price changes", [_change_line(row, markdown) for row in digest["price_changes"]])
    new_models = [row for row in digest["new_models"] if row["dating"] != "undated"]
    section("New models", [_event_line(row, markdown) for row in new_models])
    first_seen = [row for row in digest["new_models"] if row["dating"] == "undated"]
    section("First seen in a price list, undated", _first_seen_lines(first_seen, markdown))
    section("Withdrawn", [_event_line(row, markdown, " no longer priced") for row in digest["withdrawn"]])
    section(
        "Releases",
        [
            f"{row['date']} {c(row['lab'])} {c(row['model'])} (open weights: {c(row['open_weights'])}, "
            f"licence: {c(row['license'] or row['license_class'])}) {c(row['source_url'])}"
            for row in digest["releases"]
        ],
    )
    section(
        "Signals",
        [
            f"{row['date']} [{c(row['category'])}] {c(row['entity'])}: {c(row['item'])} "
            f"({c(row['evidence'])}) {c(row['source_url'])}"
            for row in digest["signals"]
        ],
    )
    if len(lines) == 1:
        lines.append("")
        lines.append("Nothing changed in this window (try --since 30d or a date).")
    return "\n".join(lines) + "\n"
