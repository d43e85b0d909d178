"""Epoch AI's notable AI models (``notable_ai_models.csv``): releases with size, compute and openness.

Each row becomes a release (batch part ``releases``) keyed by the model's name at Epoch:
publication date, organisation(s) as the lab, parameters (in billions), training compute
(FLOP, as a number), the open-weights flag read from Epoch's "Model accessibility" (or, when
that is empty, the 2026 file's "Open model weights?"), and the link Epoch cites as the
paper or report. The model id is filled from the crosswalk by the release writer where the
crosswalk knows the model. Both layouts Epoch has published are read: the 2025 one (42
columns) and the 2026 one (47 columns, reordered, with "Open model weights?").
"""

from __future__ import annotations

from frontier_watch.domain.batch import Batch, ReleaseFact
from frontier_watch.sources.epoch_csv import Wanted, day, first_url, measure, names, read_table
from frontier_watch.sources.kind import Response, SourceKind
from frontier_watch.sources.spec import SourceSpec

WHAT = "Epoch notable AI models CSV"

COLUMNS = {
    "model": Wanted("Model"),
    "organization": Wanted("Organization"),
    "date": Wanted("Publication date"),
    "parameters": Wanted("Parameters"),
    "compute": Wanted("Training compute (FLOP)"),
    "link": Wanted("Link"),
    "confidence": Wanted("Confidence"),
    "accessibility": Wanted("Model accessibility"),
    "open_weights": Wanted("Open model weights?", optional=True),  # the 2026 layout only
}


def open_weights(accessibility: str, flag: str) -> str | None:
    """yes | no from Epoch's accessibility ("Open weights (restricted use)", "API access"...), else its flag.

    Weights anyone can download are ``yes`` whatever their licence says (as in the curated
    releases: Llama's community licence is ``yes``); hosted or unreleased models are ``no``.
    """
    text = accessibility.casefold()
    if text.startswith("open weights"):
        return "yes"
    if any(word in text for word in ("api access", "hosted access", "unreleased")):
        return "no"
    return {"yes": "yes", "no": "no"}.get(flag.strip().casefold())


def parse(response: Response, spec: SourceSpec) -> Batch:
    table = read_table(response.body, WHAT, COLUMNS)
    batch = Batch()
    lines: dict[str, int] = {}
    for row in table.rows:
        model = row["model"]
        where = f"line {row.line}"
        if row.problem:
            batch.skipped.append((model or where, f"{where}: {row.problem}"))
            continue
        if not model:
            batch.skipped.append((where, f"{where}: no model name"))
            continue
        try:
            dated = day(row["date"])
            parameters = measure(row["parameters"])
            compute = measure(row["compute"])
        except ValueError as exc:
            batch.skipped.append((model, f"{where}: {exc}"))
            continue
        if dated is None:
            batch.skipped.append((model, f"{where}: no publication date"))
            continue
        if model in lines:
            batch.skipped.append((model, f"{where}: listed again; kept line {lines[model]}"))
            continue
        lines[model] = row.line
        notes = []
        if row["accessibility"]:
            notes.append(f"Epoch accessibility: {row['accessibility']}")
        if row["confidence"]:
            notes.append(f"Epoch confidence in its estimates: {row['confidence']}")
        when, precision = dated
        batch.releases.append(
            ReleaseFact(
                key=model,
                date=when,
                date_precision=precision,
                lab=names(row["organization"]) or "unknown",
                model=model,
                total_params_b=parameters / 1e9 if parameters is not None else None,
                open_weights=open_weights(row["accessibility"], row["open_weights"]),
                paper_or_report=first_url(row["link"]),
                training_compute_flop=compute,
                notes="; ".join(notes) or None,
            )
        )
    return batch


KIND = SourceKind(name="epoch-models", parse=parse, produces=frozenset({"releases"}))
