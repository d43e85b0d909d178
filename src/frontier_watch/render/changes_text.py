"""The ``changes`` digest as text for a terminal or as Markdown ready to paste into a newsletter."""

from __future__ import annotations

from typing import Any

from frontier_watch.render.output import safe_text
from frontier_watch.render.rates import usd_text as _usd


def _pct(value: float | None) -> str:
    return "" if value is None else f" ({value:+.0f}%)"


def _cell(value: Any, markdown: bool) -> str:
    text = safe_text(value)
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_") if markdown else text


def render_changes(digest: dict[str, Any], *, markdown: bool = False) -> str:
    """Sections for price changes, new and withdrawn offerings, releases and signals."""
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

    section(
        "Price changes",
        [
            f"{c(row['model_name'])} at {c(row['provider'])} ({c(row['source'])} {c(row['offering_id'])}, "
            f"{c(row['tier'])}), {str(row['effective_from'])[:10]}: "
            f"input {_usd(row['old_input_usd_per_mtok'])} -> "
            f"{_usd(row['input_usd_per_mtok'])}{_pct(row['input_change_pct'])}, output "
            f"{_usd(row['old_output_usd_per_mtok'])} -> {_usd(row['output_usd_per_mtok'])}"
            f"{_pct(row['output_change_pct'])}" + (f" [flagged: {c(row['flag'])}]" if row.get("flag") else "")
            for row in digest["price_changes"]
        ],
    )
    section(
        "New offerings",
        [
            f"{c(row['model_name'])} at {c(row['provider'])} ({c(row['source'])}): input "
            f"{_usd(row['input_usd_per_mtok'])}, output {_usd(row['output_usd_per_mtok'])}"
            for row in digest["new_offerings"]
        ],
    )
    section(
        "Withdrawn",
        [
            f"{c(row['model_name'])} at {c(row['provider'])} ({c(row['source'])}), "
            f"{str(row['withdrawn_at'])[:10]}"
            for row in digest["withdrawn"]
        ],
    )
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
