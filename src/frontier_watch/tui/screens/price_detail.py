"""The Prices screen's detail pane as text: above the chart, what the row is and the chart's
legend; under it, the timeline and the evidence (a model row) or the intervals (an offering row).

Rich text only: the chart itself is drawn by the Chart widget from tui/model_prices.py's data.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rich.text import Text

from frontier_watch.render.charts import SERIES_COLOURS
from frontier_watch.render.output import safe_text
from frontier_watch.tui.model_prices import DEFAULT_TIER, ModelRow, Timeline

VERDICT_STYLES = {
    "reference": "bold green",
    "agrees": "green",
    "stale": "yellow",
    "undated": "dim",
    "outlier": "red",
}
EVIDENCE_HEADINGS = ("verdict", "source", "in / out $/M", "basis", "from", "to")


def counted(count: int, noun: str) -> str:
    """``1 segment``, ``2 segments``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def amount(value: Any) -> str:
    """A price as the tables show it; ``?`` for none."""
    return "?" if value is None else safe_text(value)


def prices(row: Any, input_key: str = "input_usd_per_mtok", output_key: str = "output_usd_per_mtok") -> str:
    return f"{amount(row[input_key])} / {amount(row[output_key])}"


def day(moment: date | datetime | None, missing: str = "-") -> str:
    if moment is None:
        return missing
    return (moment.date() if isinstance(moment, datetime) else moment).isoformat()


def legend() -> Text:
    """The chart's legend, in the colours plotext gives its two series."""
    return Text.assemble(
        ("━━ input $/M", SERIES_COLOURS[0]),
        "  ",
        ("━━ output $/M", SERIES_COLOURS[1]),
        ("  (log scale)", "dim"),
    )


# ---------------------------------------------------------------- a model row


def model_detail_text(row: ModelRow, detail: Timeline | None) -> Text:
    """What a model row is, in three lines: the model, seller and tier with today's reference
    price; why it is the reference; the chart's legend."""
    text = Text()
    tier = "" if row["tier"] == DEFAULT_TIER else f" · tier {safe_text(row['tier'])}"
    text.append(f"{safe_text(row['model_name'])} · {safe_text(row['provider'])}{tier}", style="bold")
    cache = row.get("cache_read_usd_per_mtok")
    text.append(
        f" · now {prices(row)} $/M"
        + (f" (cache read {safe_text(cache)})" if cache is not None else "")
        + f" from {day(row['answers_from'], 'undated')}\n"
    )
    text.append("why: ", style="bold")
    text.append(f"{safe_text(row['why'])}\n")
    if detail is None:
        text.append("reading the timeline…", style="dim")
    elif detail.chart is not None:
        text.append_text(legend())
    text.rstrip()
    return text


def model_detail_below(row: ModelRow, detail: Timeline, today: date) -> Text:
    """Under the chart: the timeline's segments, then today's evidence, a row per source."""
    text = Text()
    segments = detail.segments
    text.append(f"timeline, oldest first: {counted(len(segments), 'segment')}\n", style="bold")
    for segment in segments:
        text.append(
            f"  {day(segment.start, 'since ever')} → {day(segment.end, 'now')}  "
            f"{amount(segment.input)} / {amount(segment.output)}  "
        )
        text.append(f"{', '.join(safe_text(source) for source in segment.sources)}\n", style="dim")
    evidence = detail.evidence
    text.append(f"\nevidence on {today.isoformat()}: {counted(len(evidence), 'row')}\n", style="bold")
    cells = [
        (
            safe_text(item["verdict"]),
            safe_text(item["source"]),
            prices(item),
            safe_text(item["basis"]),
            day(item["effective_from"], "undated"),
            day(item["effective_to"]),
        )
        for item in evidence
    ]
    widths = [
        max(len(heading), *(len(line[i]) for line in cells)) for i, heading in enumerate(EVIDENCE_HEADINGS)
    ]

    def joined(parts: tuple[str, ...], sizes: list[int]) -> str:
        return "  ".join(part.ljust(size) for part, size in zip(parts, sizes, strict=True))

    text.append(f"  {joined(EVIDENCE_HEADINGS, widths)}\n")
    for item, line in zip(evidence, cells, strict=True):
        text.append("  ")
        text.append(line[0].ljust(widths[0]), style=VERDICT_STYLES.get(item["verdict"], ""))
        text.append(f"  {joined(line[1:], widths[1:])}\n")
        about = [safe_text(item["offering_id"])]
        if item["note"]:
            about.append(safe_text(item["note"]))
        about.append(safe_text(item["source_url"]))
        text.append(f"    {' · '.join(about)}\n", style="dim")
    return text


# ---------------------------------------------------------------- an offering row


def offering_detail_text(row: Any, detail: dict[str, Any] | None) -> Text:
    """An offering row, in four lines: its model and offering; seller, source, tier and prices;
    its verdict (and a flag); the chart's legend. Under the chart: ``intervals_text``."""
    text = Text()
    text.append(f"{safe_text(row['model_name'])} · {safe_text(row['offering_id'])}", style="bold")
    if row["offering_name"] not in (row["offering_id"], row["model_name"]):
        text.append(f" ({safe_text(row['offering_name'])})")
    cache = row.get("cache_read_usd_per_mtok")
    text.append(
        f"\n{safe_text(row['provider'])} via {safe_text(row['source'])} · tier {safe_text(row['tier'])} · "
        f"now {prices(row)} $/M" + (f" (cache read {safe_text(cache)})" if cache is not None else "") + "\n"
    )
    verdict = row.get("verdict")
    if verdict:
        text.append(f"verdict {verdict}", style=VERDICT_STYLES.get(verdict, ""))
        text.append(f": {safe_text(row['why'])}\n" if row.get("why") else "\n")
    if row.get("flag_reason"):
        text.append(f"flag: {safe_text(row['flag_reason'])}\n", style="bold red")
    if detail is None:
        text.append("reading the price history…", style="dim")
    elif detail["chart"] is not None:
        text.append_text(legend())
    text.rstrip()
    return text


def intervals_text(intervals: list[dict[str, Any]]) -> Text:
    text = Text()
    text.append(f"{counted(len(intervals), 'interval')}, oldest first:\n", style="bold")
    for interval in intervals:
        start = interval["answers_from"] or interval["effective_from"]
        end = interval["answers_to"] or interval["effective_to"]
        text.append(
            f"{day(start, 'undated')} → {day(end, 'now')}  "
            f"in {amount(interval['input_usd_per_mtok'])} out {amount(interval['output_usd_per_mtok'])}  "
            f"{interval['basis']} · {safe_text(interval['source'])} · {safe_text(interval['evidence'])}"
            + (" · superseded" if interval.get("superseded_at") else "")
            + f"\n  {safe_text(interval['source_url'])}\n"
        )
    return text
