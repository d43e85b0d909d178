"""Releases: what the labs released, newest first, with licence and openness."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from frontier_watch.render.output import safe_text
from frontier_watch.render.public_rows import RELEASES, Listing, release_record
from frontier_watch.store.reading import Reader
from frontier_watch.tui import data
from frontier_watch.tui.screens.table_view import TableView

if TYPE_CHECKING:
    from frontier_watch.render.charts import Chart

RELEASE_LISTING = Listing(RELEASES.columns, "no releases stored yet: press f to fetch Hugging Face")


class ReleasesView(TableView):
    name_ = "releases"
    title = "Releases"
    listing = RELEASE_LISTING
    chart_empty = "no downloads recorded (not a Hugging Face repository, or not fetched yet)"
    search_keys = ("model", "lab", "org", "hf_repo_id", "license", "license_class", "architecture")

    def read_rows(self, reader: Reader) -> list[dict[str, Any]]:
        return data.release_rows(reader)

    def keep(self, row: Any) -> object:
        return (row.get("id"), row.get("model"), row.get("hf_repo_id"))

    def row_line(self, row: Any) -> Text:
        return Text(
            f"{safe_text(row.get('model'))} · {safe_text(row.get('lab'))} · {safe_text(row.get('date'))} "
            f"({safe_text(row.get('date_kind'))}) · licence {safe_text(row.get('license'))} "
            f"[{safe_text(row.get('license_class'))}]\nsource: {safe_text(row.get('source_url'))}"
        )

    def read_detail(self, reader: Reader, row: Any) -> dict[str, Any]:
        return data.release_detail(reader, row)

    def detail_text(self, row: Any, detail: Any) -> Text:
        text = Text()
        text.append(f"{safe_text(row.get('model'))}\n", style="bold")
        text.append(
            f"lab {safe_text(row.get('lab'))} · released {safe_text(row.get('date'))} "
            f"({safe_text(row.get('date_kind'))})\n"
            f"repository {safe_text(row.get('hf_repo_id'))}\n"
            f"licence {safe_text(row.get('license'))} (class {safe_text(row.get('license_class'))})\n"
            f"parameters {safe_text(row.get('total_params_b'))} B · "
            f"context {safe_text(row.get('context_tokens'))}\n"
            f"downloads {safe_text(row.get('downloads'))} · likes {safe_text(row.get('likes'))} "
            f"(on {safe_text(row.get('stats_day'))})\n"
            f"evidence {safe_text(row.get('evidence'))} · source {safe_text(row.get('source_url'))}\n"
        )
        if detail is None:
            text.append("reading downloads and lineage…", style="dim")
            return text
        text.append("\nopenness: ", style="bold")
        text.append("  ".join(f"{layer} {value}" for layer, value in detail["openness"].items()) + "\n")
        bases = row.get("base_models") or []
        if bases:
            text.append("built on: ", style="bold")
            text.append(
                ", ".join(f"{safe_text(base['repo_id'])} ({safe_text(base['relation'])})" for base in bases)
                + "\n"
            )
        derived = detail["derived"]
        text.append(f"derived models: {len(derived)}\n", style="bold")
        for name, lab in derived[:20]:
            text.append(f"  {safe_text(name)} ({safe_text(lab)})\n")
        if len(derived) > 20:
            text.append(f"  … and {len(derived) - 20} more\n")
        return text

    def detail_chart(self, row: Any, detail: Any) -> tuple[Chart | None, str]:
        return (detail["chart"] if detail else None), self.chart_empty

    def export_rows(self) -> list[dict[str, Any]]:
        return [release_record(row) for row in self.table.shown_rows()]
