#!/usr/bin/env python3
"""Rebuild the curated data files in data/ from the shared fact base and history fixtures.

    python data/convert_from_shared.py /path/to/shared [--out data/]

Reads ``<shared>/facts/*.csv`` and ``<shared>/fixtures/history/*.csv`` (plus a few
fixture snapshots used as extra observations and for display names) and writes:

    data/prices/curated.csv            facts/prices.csv
    data/prices/llm-prices.csv         fixtures/history/llm_prices_history.csv
    data/prices/genai-prices.csv       fixtures/history/genai_prices_price_schedules.csv
    data/prices/litellm-history.csv    fixtures/history/litellm_*.csv (changes + catalogue)
    data/prices/openrouter-history.csv fixtures/history/openrouter_*.csv (changes + catalogue)
    data/releases.csv, data/signals.csv, data/benchmarks.csv, data/trend_claims.csv
    data/model_crosswalk.csv           hand-written below

Standard library plus frontier_watch from ../src (identity rules, the price columns, the price
ceiling). Prices are
read as text and handled as ``decimal.Decimal`` throughout; no binary float is involved.
The output is validated before anything is written; the script exits non-zero on any error.
See data/README.md for the columns and the provenance of every file.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
from model_tables import (  # noqa: E402
    ALIAS_SPANS,
    ALIASES,
    BENCHMARK_IDS,
    CANONICAL,
    EXTRA_CANONICAL,
    MODEL_KINDS,
    MODELS_DEV_SKIP,
    RELEASE_IDS,
)

from frontier_watch.domain.clock import parse_when  # noqa: E402
from frontier_watch.domain.identity import CrosswalkRow, Identity, identity_from_rows, normalise  # noqa: E402
from frontier_watch.domain.model_kind import KINDS  # noqa: E402
from frontier_watch.domain.money import MAX_USD_PER_MTOK  # noqa: E402
from frontier_watch.domain.organisations import canonical_organisation, seller  # noqa: E402
from frontier_watch.sources.curated import MODEL_DATE_COLUMNS  # noqa: E402
from frontier_watch.sources.curated import PRICE_COLUMNS as CURATED_PRICE_COLUMNS  # noqa: E402
from frontier_watch.sources.litellm import kind_of_mode  # noqa: E402
from frontier_watch.sources.llm_prices import kind_in_name  # noqa: E402
from frontier_watch.sources.openrouter import kind_of_architecture  # noqa: E402

MILLION = Decimal(1_000_000)

# The column list is the loader's, so the two cannot drift apart.
PRICE_COLUMNS = list(CURATED_PRICE_COLUMNS)
# When each upstream snapshot was taken: the time the tracker "saw" a seeded price. An
# undated price (llm-prices' from_date null) answers for past days only from then on.
SNAPSHOT_TIMES = {
    "prices/curated.csv": "",  # facts are dated one by one; no single snapshot
    "prices/llm-prices.csv": "2026-08-05",  # simonw/llm-prices 723ef0bd
    "prices/genai-prices.csv": "2026-08-21",  # pydantic/genai-prices 47df840a
    "prices/litellm-history.csv": "2026-07-24T18:23:43Z",  # last scraped version, RoCry 8442b939
    "prices/openrouter-history.csv": "2026-05-01T01:49:44Z",  # last version, skissue 6f92690c
}
PRICE_FIELDS = ("input", "output", "cache_read", "cache_write")
EVIDENCE = {
    "primary-technical-report",
    "official-announcement",
    "regulatory-filing",
    "vendor-claim",
    "independent-estimate",
    "press-report",
    "rumor",
}
BASES = {"curated", "declared", "reconstructed"}
NAMED_TIERS = {"default", "batch", "flex", "priority", "off-peak", "free"}
TIER_PART = re.compile(r"^(?:default|batch|flex|priority|off-peak|free|long-context>\d+k)$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}Z)?$")
URL_RE = re.compile(r"^https?://[^\s/]+\S*$")

LLM_PRICES_COMMIT = "723ef0bd3a6254436e9fe8d7f05d4d787e99f4c5"
GENAI_PRICES_COMMIT = "47df840a5ab10bbcffb8e5ac01b9899032245d1b"
GENAI_PRICES_URL = (
    f"https://github.com/pydantic/genai-prices/blob/{GENAI_PRICES_COMMIT}/prices/new_data/v2/data.json"
)
LITELLM_REPO = "https://github.com/RoCry/llm-api-price"
LITELLM_FIRST_SCRAPE = "2025-02-06T05:17:01Z"
LITELLM_FIRST_URL = f"{LITELLM_REPO}/blob/main/model_prices_and_context_window.json"
# The last of the 640 scraped versions; the fixture sample holds 37 of its models.
LITELLM_SAMPLE = ("2026-07-24T18:23:43Z", "8442b939a6ead479f7995b5d74d8dce488bd0966")
OPENROUTER_REPO = "https://github.com/skissue/gptel-openrouter-models"
# First commit of the scrape (2026-02-27T18:40:50-05:00). The first *change* rows are at
# 2026-02-27T23:54:12Z (the second commit), so the prices they replace were seen here.
OPENROUTER_FIRST_SCRAPE = "2026-02-27T23:40:50Z"
OPENROUTER_FIRST_COMMIT = "eda7195a93e7eb0dc851b8545b9d6fd245912a3c"
OPENROUTER_LAST_SAMPLE = ("2026-05-01T01:49:44Z", "6f92690c384c8b53bd6a7d2905a924f52fd4ab12")


# --------------------------------------------------------------------------- helpers


def dec(text: str) -> Decimal:
    """A price from its source text, exactly."""
    value = Decimal(text.strip())
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    return value


def fmt(value: Decimal | None) -> str:
    """Plain decimal text: no exponent, no trailing zeros (0.27, 0.095, 60)."""
    if value is None:
        return ""
    value = value.normalize()
    if value == 0:
        return "0"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def per_token_text(text: str) -> Decimal | None:
    """USD per token (source text) to USD per million tokens; empty text -> None."""
    return None if text.strip() == "" else dec(text) * MILLION


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def to_csv_text(header: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        extra = set(row) - set(header)
        if extra:
            raise ValueError(f"unexpected columns {sorted(extra)}")
        writer.writerow([row.get(col, "") or "" for col in header])
    return buffer.getvalue()


def when(text: str) -> datetime:
    """Date or datetime text (validated format) to a naive UTC datetime for comparison."""
    if "T" in text:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    return datetime.strptime(text, "%Y-%m-%d")


def join_notes(*parts: str | None) -> str:
    return "; ".join(p.strip().rstrip(";").strip() for p in parts if p and p.strip())


def price_row(**kw: object) -> dict[str, str]:
    row = {col: "" for col in PRICE_COLUMNS}
    for key, value in kw.items():
        if key in PRICE_FIELDS:
            row[f"{key}_usd_per_mtok"] = fmt(value)  # type: ignore[arg-type]
        else:
            if key not in row:
                raise KeyError(key)
            row[key] = "" if value is None else str(value)
    return row


def sort_prices(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(
        rows,
        key=lambda r: (
            r["provider"].lower(),
            r["offering_id"].lower(),
            r["tier"],
            r["effective_from"] != "",
            r["effective_from"],
        ),
    )


# --------------------------------------------------------------------------- curated


# Names for the rows of facts/prices.csv that list several api ids in one row.
SPLIT_NAMES = {
    ("DeepSeek-V3 and R1 (off-peak)", "deepseek-chat"): "DeepSeek-V3",
    ("DeepSeek-V3 and R1 (off-peak)", "deepseek-reasoner"): "DeepSeek-R1",
    ("DeepSeek-V3.2-Exp (chat and reasoner)", "deepseek-chat"): "DeepSeek-V3.2-Exp",
    (
        "DeepSeek-V3.2-Exp (chat and reasoner)",
        "deepseek-reasoner",
    ): "DeepSeek-V3.2-Exp (thinking mode)",
    ("DeepSeek-V3.1 (chat and reasoner)", "deepseek-chat"): "DeepSeek-V3.1",
    ("DeepSeek-V3.1 (chat and reasoner)", "deepseek-reasoner"): "DeepSeek-V3.1 (thinking mode)",
    ("Gemini 1.5 Pro / Flash (-002)", "gemini-1.5-pro-002"): "Gemini 1.5 Pro",
    ("Gemini 1.5 Pro / Flash (-002)", "gemini-1.5-flash-002"): "Gemini 1.5 Flash",
}

# Later rows under another api id that replaced the price of an earlier id for the same
# model. Without this the earlier id would carry its launch price forward for ever.
SUPERSEDED_BY = {
    ("OpenAI", "davinci"): (
        "text-davinci-002",
        "price cut to $20 / 1M applied to all Davinci models (see the text-davinci-002 row), "
        "so this price ends there",
    ),
    ("OpenAI", "gpt-3.5-turbo"): (
        "gpt-3.5-turbo-0125",
        "the gpt-3.5-turbo-0125 price cut (see its row) is the alias's price from then on (the alias "
        "moved to that snapshot in Feb 2024), so this price ends there",
    ),
    ("OpenAI", "o1-mini-2024-09-12"): (
        "o1-mini",
        "the o1-mini price cut (see the o1-mini row) applies to this snapshot, so this price ends there",
    ),
    ("OpenAI", "o3-2025-04-16"): (
        "o3",
        "the -80% o3 price cut (see the o3 row) applies to this snapshot, so this price ends there",
    ),
    ("Google", "gemini-1.5-pro"): (
        "gemini-1.5-pro-002",
        "the Oct 2024 Gemini 1.5 Pro price cut (see the gemini-1.5-pro-002 row) applies to "
        "Gemini 1.5 Pro, so this price ends there",
    ),
}

# Long-context prices written only in original_quote (e.g. "; >128K $7 / $21").
LONG_QUOTE = re.compile(r">\s*(\d+)K(?:\s+input|\s+prompt)?\s+\$([\d.]+)\s*/\s*\$([\d.]+)")
LONG_QUOTE_SKIP = {
    # The quote gives the >200K price, but notes say the tier only came later (1M beta).
    "claude-sonnet-4-20250514": "no long-context row: the >200K price started later, on a "
    "date not in the source",
}
PROMPT_TIER = re.compile(r"^<=\s*(\d+)K\b")

# Hosted-elsewhere rows: provider column -> (provider, lab).
THIRD_PARTY = {
    "Meta (via third-party host)": ("Together.ai", "Meta"),
}


def convert_curated(
    facts: Path, problems: list[str], retirements: list[dict[str, str]]
) -> list[dict[str, str]]:
    """The curated price rows; `retired` rows (no prices) go to ``retirements`` instead and end
    the price of their ids on their date."""
    source_rows = read_csv(facts / "prices.csv")
    entries: list[dict] = []
    for src in source_rows:
        if src["price_event"].strip() == "retired":
            for api_id in (i.strip() for i in src["api_model_id"].split(" / ")):
                retirements.append({**src, "api_model_id": api_id})
                entries.append(
                    dict(
                        provider=THIRD_PARTY.get(src["provider"].strip(), (src["provider"].strip(),))[0],
                        offering_id=api_id,
                        tier="default",
                        effective_from=src["effective_date"],
                        retired=True,
                        notes=[],
                    )
                )
            continue
        ids = [i.strip() for i in src["api_model_id"].split(" / ")]
        provider_col = src["provider"].strip()
        provider, lab = THIRD_PARTY.get(provider_col, (provider_col, provider_col))
        host_note = (
            f"hosted by a third party ({provider}); source provider column '{provider_col}'"
            if provider_col in THIRD_PARTY
            else ""
        )
        # An off-peak price names itself so ("... (off-peak)", "off-peak discount ..."); a row
        # that merely mentions the window ("off-peak discount ended") is a list price.
        off_peak = "(off-peak)" in src["model"].lower() or src["price_event"].lower().startswith("off-peak")
        context = src["context_tier"].strip()
        prompt_tier = PROMPT_TIER.match(context)
        for api_id in ids:
            name = SPLIT_NAMES.get((src["model"], api_id), src["model"]) if len(ids) > 1 else src["model"]
            if len(ids) > 1 and (src["model"], api_id) not in SPLIT_NAMES:
                problems.append(f"curated: no split name for {src['model']!r} / {api_id}")
            base_notes = [
                src["price_event"],
                src["original_quote"],
                f"context: {context}" if context else "",
                f"verified via {src['verified_via']}" if src["verified_via"] else "",
                src["notes"],
                host_note,
            ]
            if len(ids) > 1:
                base_notes.append(f"source row lists '{src['api_model_id']}'")
            tier = "off-peak" if off_peak else "default"
            if off_peak:
                base_notes.append("off-peak window 00:30-08:30 Beijing time = 16:30-00:30 UTC daily")
            common = dict(
                source="curated",
                provider=provider,
                offering_id=api_id,
                name=name,
                lab=lab,
                effective_from=src["effective_date"],
                date_precision=src["date_precision"],
                basis="curated",
                source_url=src["source_url"],
                evidence=src["evidence"],
                confidence=src["confidence"],
            )
            entries.append(
                dict(
                    common,
                    tier=tier,
                    input=dec(src["input_usd_per_mtok"]) if src["input_usd_per_mtok"] else None,
                    output=dec(src["output_usd_per_mtok"]) if src["output_usd_per_mtok"] else None,
                    cache_read=dec(src["cached_input_usd_per_mtok"])
                    if src["cached_input_usd_per_mtok"]
                    else None,
                    cache_write=None,
                    notes=list(base_notes),
                )
            )
            long_match = LONG_QUOTE.search(src["original_quote"])
            if long_match and api_id in LONG_QUOTE_SKIP:
                entries[-1]["notes"].append(LONG_QUOTE_SKIP[api_id])
            elif long_match:
                threshold = long_match.group(1)
                if not prompt_tier or prompt_tier.group(1) != threshold:
                    problems.append(
                        f"curated: {api_id} quote tier >{threshold}K without matching "
                        f"context_tier {context!r}"
                    )
                entries.append(
                    dict(
                        common,
                        tier=f"long-context>{threshold}k",
                        input=dec(long_match.group(2)),
                        output=dec(long_match.group(3)),
                        cache_read=None,
                        cache_write=None,
                        notes=[
                            src["price_event"],
                            f"prompts over {threshold}K tokens; price from the quote of the "
                            f"same source row: {src['original_quote']}",
                            f"verified via {src['verified_via']}" if src["verified_via"] else "",
                            src["notes"],
                        ],
                    )
                )

    # Carry each (provider, offering_id, tier) forward until its next row.
    by_key: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for entry in entries:
        by_key[(entry["provider"], entry["offering_id"], entry["tier"])].append(entry)
    for key, group in by_key.items():
        group.sort(key=lambda e: e["effective_from"])
        for current, following in zip(group, group[1:], strict=False):
            if current["effective_from"] == following["effective_from"]:
                problems.append(f"curated: two rows for {key} on {current['effective_from']}")
            current["effective_to"] = following["effective_from"]
            if following.get("retired"):
                current["notes"].append(f"the model was retired on {following['effective_from']}")

    first_date: dict[tuple[str, str], str] = {}
    for entry in entries:
        key = (entry["provider"], entry["offering_id"])
        if key not in first_date or entry["effective_from"] < first_date[key]:
            first_date[key] = entry["effective_from"]
    for (provider, old_id), (new_id, why) in SUPERSEDED_BY.items():
        end = first_date.get((provider, new_id))
        if end is None:
            problems.append(f"curated: superseding id {new_id} not found")
            continue
        for entry in entries:
            if (
                (entry["provider"], entry["offering_id"]) == (provider, old_id)
                and not entry.get("effective_to")
                and entry["effective_from"] < end
            ):
                entry["effective_to"] = end
                entry["notes"].append(why)

    # Off-peak prices have no end row; the source lists none after the next list-price
    # change of the same id, so close them there rather than leave them open for ever.
    for entry in entries:
        if entry["tier"] != "off-peak" or entry.get("effective_to"):
            continue
        later = sorted(
            e["effective_from"]
            for e in entries
            if (e["provider"], e["offering_id"], e["tier"])
            == (entry["provider"], entry["offering_id"], "default")
            and e["effective_from"] > entry["effective_from"]
        )
        if later:
            entry["effective_to"] = later[0]
            entry["notes"].append(
                "end of off-peak pricing not in source; closed at the next list-price row "
                f"({later[0]}), which has no off-peak price"
            )

    rows = []
    for entry in entries:
        if entry.get("retired"):
            continue
        notes = join_notes(*entry.pop("notes"))
        rows.append(price_row(**{**entry, "notes": notes}))
    return sort_prices(rows)


# --------------------------------------------------------------------------- llm-prices

TIER_NAME = re.compile(r"\s*(?:≤|<=|>)\s*(\d+)k$")


def convert_llm_prices(history: Path, problems: list[str]) -> list[dict[str, str]]:
    rows = []
    seen: dict[tuple, dict[str, str]] = {}
    for src in read_csv(history / "llm_prices_history.csv"):
        vendor, model_id, name = src["vendor"], src["model_id"], src["name"]
        offering_id, tier, notes = model_id, "default", []
        kind = kind_in_name(name) or ""  # "gpt-image-1 (image gen)": the only kind llm-prices states
        tier_match = TIER_NAME.search(name)
        if tier_match:
            threshold = tier_match.group(1)
            display = name[: tier_match.start()].strip()
            if ">" in tier_match.group(0):
                suffix = f"-{threshold}k"
                if not model_id.endswith(suffix):
                    problems.append(f"llm-prices: {model_id} named {name!r} lacks {suffix}")
                else:
                    offering_id = model_id[: -len(suffix)]
                    tier = f"long-context>{threshold}k"
                    notes.append(f"llm-prices lists this tier as its own model id '{model_id}'")
            notes.append(f"llm-prices name '{name}'")
            name = display
        row = price_row(
            source="llm-prices",
            provider=vendor,
            offering_id=offering_id,
            name=name,
            lab=vendor,
            kind=kind,
            tier=tier,
            input=dec(src["input_usd_per_mtok"]) if src["input_usd_per_mtok"] else None,
            output=dec(src["output_usd_per_mtok"]) if src["output_usd_per_mtok"] else None,
            cache_read=dec(src["input_cached_usd_per_mtok"]) if src["input_cached_usd_per_mtok"] else None,
            effective_from=src["from_date"],
            effective_to=src["to_date"],
            date_precision="day",
            basis="declared",
            source_url=f"https://github.com/simonw/llm-prices/blob/{LLM_PRICES_COMMIT}/data/{vendor}.json",
            evidence="independent-estimate",
            confidence="high",
            notes=join_notes(*notes),
        )
        key = tuple(row[c] for c in PRICE_COLUMNS if c not in ("name", "notes"))
        if key in seen:
            # simonw lists grok-4-fast twice (once with a "≤128k" name), same prices.
            kept = seen[key]
            kept["notes"] = join_notes(kept["notes"], f"listed twice in llm-prices (also as '{src['name']}')")
            continue
        seen[key] = row
        rows.append(row)
    return sort_prices(rows)


# --------------------------------------------------------------------------- genai-prices

GENAI_FIELDS = {
    "input_mtok": "input",
    "output_mtok": "output",
    "cache_read_mtok": "cache_read",
    "cache_write_mtok": "cache_write",
}


def genai_lab(provider_id: str, model_id: str) -> str:
    if provider_id in {"anthropic", "deepseek", "google", "openai", "x-ai"}:
        return provider_id
    if "/" in model_id:
        return model_id.split("/", 1)[0]
    match = re.match(r"^(?:(?:global|regional|us|eu|apac)\.)?(anthropic|openai|meta|amazon)\.", model_id)
    return match.group(1) if match else ""


def convert_genai_prices(shared: Path, problems: list[str]) -> list[dict[str, str]]:
    history = shared / "fixtures" / "history"
    names: dict[tuple[str, str], str] = {}
    sample = shared / "fixtures" / "genai_prices" / "data_v2.sample.json"
    if sample.exists():
        for provider in json.loads(sample.read_text(encoding="utf-8"), parse_float=Decimal):
            for model in provider.get("models", []):
                if model.get("name"):
                    names[(provider["id"], model["id"])] = model["name"]

    # (provider, model) -> segment index -> {"start_date", "window", "prices": {...}}
    models: dict[tuple[str, str], dict[int, dict]] = defaultdict(dict)
    for src in read_csv(history / "genai_prices_price_schedules.csv"):
        seg = models[(src["provider_id"], src["model_id"])].setdefault(
            int(src["segment"]),
            {
                "start_date": src["start_date"],
                "window": (src["start_time"], src["end_time"]),
                "prices": {},
            },
        )
        tiers = (
            json.loads(src["tiers_json"], parse_float=Decimal, parse_int=Decimal) if src["tiers_json"] else []
        )
        seg["prices"][src["price_key"]] = (dec(src["base_usd"]), tiers)

    rows = []
    for (provider_id, model_id), segments in sorted(models.items()):
        order = [segments[i] for i in sorted(segments)]
        if order[0]["start_date"] or any(order[0]["window"]):
            problems.append(f"genai-prices: {model_id} first segment is constrained")
        name = names.get((provider_id, model_id), model_id)
        lab = genai_lab(provider_id, model_id)
        common = dict(
            source="genai-prices",
            provider=provider_id,
            offering_id=model_id,
            name=name,
            lab=lab,
            date_precision="day",
            basis="declared",
            source_url=GENAI_PRICES_URL,
            evidence="independent-estimate",
            confidence="high",
        )
        windowed = [s for s in order[1:] if any(s["window"])]
        dated = [s for s in order[1:] if s["start_date"]]
        if windowed and dated:
            problems.append(f"genai-prices: {model_id} mixes time windows and start dates")
            continue
        # Each segment as (tier label, effective_from, effective_to, segment, window note).
        spans: list[tuple[str, str, str, dict, str]] = []
        if windowed:
            if len(windowed) != 1:
                problems.append(f"genai-prices: {model_id} has several time windows")
                continue
            window = windowed[0]
            start, end = (t.removesuffix(":00Z") for t in window["window"])
            base_in = order[0]["prices"]["input_mtok"][0]
            win_in = window["prices"]["input_mtok"][0]
            dear, cheap = (window, order[0]) if win_in > base_in else (order[0], window)
            outside = f"outside {start}-{end} UTC daily (i.e. {end}-{start} UTC)"
            inside = f"{start}-{end} UTC daily"
            dear_when = inside if dear is window else outside
            cheap_when = inside if cheap is window else outside
            spans.append(("default", "", "", dear, f"standard price, applies {dear_when}"))
            spans.append(("off-peak", "", "", cheap, f"off-peak price, applies {cheap_when}"))
        else:
            starts = [s["start_date"] for s in dated]
            if starts != sorted(starts):
                problems.append(f"genai-prices: {model_id} start dates out of order")
            bounds = [""] + starts + [""]
            for i, seg in enumerate([order[0]] + dated):
                spans.append(("default", bounds[i], bounds[i + 1], seg, ""))

        for tier_base, start, end, seg, window_note in spans:
            prices = seg["prices"]
            others = [
                f"{key} {fmt(base)}"
                + (
                    " (" + ", ".join(f">{fmt(t['start'])} tokens: {fmt(t['price'])}" for t in tiers) + ")"
                    if tiers
                    else ""
                )
                for key, (base, tiers) in prices.items()
                if key not in GENAI_FIELDS
            ]
            other_note = ("other genai-prices keys: " + ", ".join(others)) if others else ""
            base_prices = {GENAI_FIELDS[k]: base for k, (base, _) in prices.items() if k in GENAI_FIELDS}
            seg_note = f"genai-prices segment {sorted(segments)[order.index(seg)]}"
            if seg["start_date"]:
                seg_note += f" (constraint start_date {seg['start_date']})"
            if start == "" and dated:
                seg_note += "; first segment, no start date in source"
            rows.append(
                price_row(
                    **common,
                    tier=tier_base,
                    effective_from=start,
                    effective_to=end,
                    **base_prices,
                    notes=join_notes(seg_note, window_note, other_note),
                )
            )
            thresholds = sorted(
                {int(t["start"]) for k, (_, tiers) in prices.items() if k in GENAI_FIELDS for t in tiers}
            )
            for threshold in thresholds:
                if threshold % 1000:
                    problems.append(f"genai-prices: {model_id} threshold {threshold}")
                tier_prices = {}
                for key, (base, tiers) in prices.items():
                    if key not in GENAI_FIELDS:
                        continue
                    price = base
                    for t in sorted(tiers, key=lambda t: t["start"]):
                        if int(t["start"]) <= threshold:
                            price = t["price"]
                    tier_prices[GENAI_FIELDS[key]] = price
                tier = f"long-context>{threshold // 1000}k"
                if tier_base != "default":
                    tier = f"{tier_base}+{tier}"
                rows.append(
                    price_row(
                        **common,
                        tier=tier,
                        effective_from=start,
                        effective_to=end,
                        **tier_prices,
                        notes=join_notes(
                            seg_note,
                            f"prompts over {threshold} input tokens",
                            window_note,
                            other_note,
                        ),
                    )
                )
    return sort_prices(rows)


# --------------------------------------------------------------------------- reconstruction

UNKNOWN = object()  # a field whose value in a state is not known


@dataclass
class State:
    start: str
    url: str
    notes: list[str]
    values: dict[str, object] = field(default_factory=dict)  # field -> Decimal|None|UNKNOWN
    end: str = ""
    end_note: str = ""


@dataclass
class Event:
    at: str
    kind: str  # change | added | removed | snapshot
    commit: str
    values: dict[str, object]  # field -> Decimal | None (absent) for the new state
    old: dict[str, object] = field(default_factory=dict)  # change: field -> old value


def reconstruct(
    key: str,
    events: list[Event],
    *,
    first_scrape: str,
    first_url: str,
    first_note: str,
    commit_url: str,
    change_note: str,
    problems: list[str],
) -> list[State]:
    """Price states of one key from its change, catalogue and snapshot events."""
    order = {"removed": 0, "added": 1, "change": 2, "snapshot": 3}
    events = sorted(events, key=lambda e: (e.at, order[e.kind]))
    lifecycle = [e for e in events if e.kind in ("added", "removed")]
    alive_at_start = not lifecycle or lifecycle[0].kind == "removed"
    stretches: list[list[State]] = []
    current: list[State] | None = None
    if alive_at_start:
        current = [State(first_scrape, first_url, [first_note], {f: UNKNOWN for f in PRICE_FIELDS})]
        stretches.append(current)

    def backfill(states: list[State], name: str, value: object) -> None:
        """Give the latest state (and earlier ones that do not know it) a known value."""
        for state in reversed(states):
            if state.values[name] is UNKNOWN:
                state.values[name] = value
            else:
                if state.values[name] != value:
                    problems.append(
                        f"{key}: {name} known as {fmt(state.values[name])} but source says "
                        f"{'absent' if value is None else fmt(value)} at {state.start}"
                    )
                break

    for event in events:
        if event.kind == "added":
            if current is not None:
                problems.append(f"{key}: added at {event.at} while present")
                continue
            values = {f: UNKNOWN for f in PRICE_FIELDS}
            values.update(event.values)
            current = [
                State(
                    event.at,
                    commit_url.format(event.commit),
                    [f"key added at scrape {event.commit}"],
                    values,
                )
            ]
            stretches.append(current)
        elif event.kind == "removed":
            if current is None:
                problems.append(f"{key}: removed at {event.at} while absent")
                continue
            for name, value in event.values.items():
                backfill(current, name, value)
            current[-1].end = event.at
            current[-1].end_note = f"key removed at scrape {event.commit}"
            current = None
        elif event.kind == "change":
            if current is None:
                problems.append(f"{key}: price change at {event.at} while absent")
                continue
            for name, value in event.old.items():
                backfill(current, name, value)
            values = dict(current[-1].values)
            values.update(event.values)
            current[-1].end = event.at
            current.append(
                State(
                    event.at,
                    commit_url.format(event.commit),
                    [change_note.format(commit=event.commit)],
                    values,
                )
            )
        elif event.kind == "snapshot" and current is not None:
            for name, value in event.values.items():
                backfill(current, name, value)

    # Merge neighbours that ended up identical in the mapped fields (e.g. OpenRouter
    # changes to fields we do not map).
    states: list[State] = []
    for stretch in stretches:
        merged = [stretch[0]]
        for state in stretch[1:]:
            if state.values == merged[-1].values:
                merged[-1].end = state.end
                merged[-1].end_note = state.end_note
            else:
                merged.append(state)
        states.extend(merged)
    return states


# A state whose price the source cuts by this factor or more at its next change is probably
# a unit error (per-1K or per-1M values in a per-token field). It is written with a note; the
# store flags it (anomalies.py) so it is shown but left out of analytics.
UNIT_ERROR_FACTOR = 100


def states_to_rows(
    states: list[State], common: dict[str, str], key: str, dropped: list[str]
) -> list[dict[str, str]]:
    rows = []
    for index, state in enumerate(states):
        values = {name: (None if value is UNKNOWN else value) for name, value in state.values.items()}
        span = f"{key} [{state.start}, {state.end or 'open'})"
        if values["input"] is None and values["output"] is None:
            dropped.append(f"{span}: no input or output price (absent or not known)")
            continue
        absurd = [n for n, v in values.items() if v is not None and v > MAX_USD_PER_MTOK]
        if absurd:
            dropped.append(
                f"{span}: {', '.join(f'{n}={fmt(values[n])}' for n in absurd)} USD/Mtok "
                "is over the 10,000 sanity limit (a unit error in the source)"
            )
            continue
        unknown = [n for n, v in state.values.items() if v is UNKNOWN]
        notes = list(state.notes)
        if unknown:
            notes.append("not known from the diffs: " + ", ".join(unknown))
        following = states[index + 1] if index + 1 < len(states) else None
        corrected = []
        if following is not None and following.start == state.end:
            for name, value in values.items():
                nxt = following.values.get(name)
                if not (isinstance(value, Decimal) and isinstance(nxt, Decimal) and value and nxt):
                    continue
                if value / nxt >= UNIT_ERROR_FACTOR:
                    corrected.append(f"{name} {fmt(value)} -> {fmt(nxt)}")
                elif nxt / value >= UNIT_ERROR_FACTOR:
                    notes.append(
                        f"{name} rises {fmt((nxt / value).quantize(1))}x at the next change "
                        f"({fmt(value)} -> {fmt(nxt)}): check for a unit error in the source"
                    )
        if corrected:
            notes.append(
                f"cut by {UNIT_ERROR_FACTOR}x or more at the next change ({', '.join(corrected)}): "
                "probably a unit error the source corrected; frontier-watch flags it when loaded"
            )
        if state.end_note:
            notes.append(state.end_note)
        rows.append(
            price_row(
                **common,
                tier="default",
                effective_from=state.start,
                effective_to=state.end,
                source_url=state.url,
                notes=join_notes(*notes),
                **values,
            )
        )
    return rows


LITELLM_FIELDS = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cache_read",
    "cache_creation_input_token_cost": "cache_write",
}
LITELLM_LABS = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "anthropic": "anthropic",
    "deepseek": "deepseek",
    "gemini": "google",
    "mistral": "mistral",
    "xai": "xai",
    "moonshot": "moonshot-ai",
    "cohere_chat": "cohere",
    "dashscope": "qwen",
    "minimax": "minimax",
    "zai": "z-ai",
}


# The scraped diffs carry a key's mode only when the key was added or removed while they
# ran; these keys were in LiteLLM's file before the first scrape and never left it. Their
# mode as model_prices_and_context_window.json states it (only the non-chat ones: a key with
# no mode stated is taken for a language model anyway).
LITELLM_MODES_NOT_SCRAPED = {
    "amazon.titan-embed-text-v2:0": "embedding",
    "databricks/databricks-gte-large-en": "embedding",
}


def convert_litellm(shared: Path, identity: Identity, problems: list[str], dropped: list[str]):
    """LiteLLM's price history per key: every key with a price change, and every key the
    catalogue events added or removed that resolves to a canonical model (its launch price,
    observed from the day the sheet listed it). Keys the crosswalk does not know are left out
    and counted on stderr: they would answer for no model the tool knows."""
    history = shared / "fixtures" / "history"
    changes = read_csv(history / "litellm_price_changes.csv")
    catalogue = read_csv(history / "litellm_catalog_events.csv")
    keys = {r["model_key"] for r in changes}
    listed_only = {r["model_key"] for r in catalogue} - keys
    known = {key for key in listed_only if identity.knows(identity.model_id("litellm", key))}
    if listed_only - known:
        dropped.append(
            f"litellm: {len(listed_only - known)} keys only in the catalogue events match no "
            "canonical model (not written)"
        )
    keys |= known
    providers: dict[str, dict[str, str]] = defaultdict(dict)  # key -> provider -> last seen
    events: dict[str, list[Event]] = defaultdict(list)
    grouped: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for r in changes:
        grouped[(r["model_key"], r["observed_at"], r["scrape_commit"])].append(r)
        seen = providers[r["model_key"]]
        seen[r["litellm_provider"]] = max(seen.get(r["litellm_provider"], ""), r["observed_at"])
    for (key, at, commit), group in grouped.items():
        events[key].append(
            Event(
                at,
                "change",
                commit,
                {LITELLM_FIELDS[r["field"]]: per_token_text(r["new_value"]) for r in group},
                {LITELLM_FIELDS[r["field"]]: per_token_text(r["old_value"]) for r in group},
            )
        )
    modes: dict[str, tuple[str, str]] = {}  # key -> (observed at, mode): the latest mode stated
    for r in catalogue:
        if r["model_key"] not in keys:
            continue
        if r["mode"] and r["observed_at"] >= modes.get(r["model_key"], ("", ""))[0]:
            modes[r["model_key"]] = (r["observed_at"], r["mode"])
        seen = providers[r["model_key"]]
        seen[r["litellm_provider"]] = max(seen.get(r["litellm_provider"], ""), r["observed_at"])
        events[r["model_key"]].append(
            Event(
                r["observed_at"],
                r["event"],
                r["scrape_commit"],
                {
                    "input": per_token_text(r["input_cost_per_token"]),
                    "output": per_token_text(r["output_cost_per_token"]),
                },
            )
        )
    sample = shared / "fixtures" / "litellm" / "model_prices_and_context_window.sample.json"
    if sample.exists():
        data = json.loads(sample.read_text(encoding="utf-8"), parse_float=str, parse_int=str)
        for key, entry in data.items():
            if key in keys and isinstance(entry, dict):
                if entry.get("mode"):
                    modes[key] = (LITELLM_SAMPLE[0], entry["mode"])
                events[key].append(
                    Event(
                        LITELLM_SAMPLE[0],
                        "snapshot",
                        LITELLM_SAMPLE[1][:12],
                        {
                            name: per_token_text(entry[src]) if src in entry else None
                            for src, name in LITELLM_FIELDS.items()
                        },
                    )
                )
    rows = []
    for key in sorted(keys):
        # A key's litellm_provider can change over time (bedrock -> bedrock_converse);
        # the offering takes the latest one and the notes keep the others.
        provider = max(providers[key], key=lambda p: providers[key][p])
        earlier = sorted(set(providers[key]) - {provider})
        states = reconstruct(
            key,
            events[key],
            first_scrape=LITELLM_FIRST_SCRAPE,
            first_url=LITELLM_FIRST_URL,
            first_note=f"start = first scrape ({LITELLM_FIRST_SCRAPE}), actual start earlier",
            commit_url=LITELLM_REPO + "/commit/{}",
            change_note="detected at scrape {commit}; may be a LiteLLM data correction "
            "rather than a vendor price change",
            problems=problems,
        )
        mode = modes[key][1] if key in modes else LITELLM_MODES_NOT_SCRAPED.get(key, "")
        common = dict(
            source="litellm",
            provider=provider,
            offering_id=key,
            name=key,
            lab=LITELLM_LABS.get(provider, ""),
            kind=kind_of_mode(mode) or "",
            date_precision="observed",
            basis="reconstructed",
            evidence="independent-estimate",
            confidence="medium",
        )
        key_rows = states_to_rows(states, common, f"litellm {key}", dropped)
        if earlier:
            for row in key_rows:
                row["notes"] = join_notes(
                    row["notes"], f"litellm_provider earlier recorded as {', '.join(earlier)}"
                )
        rows.extend(key_rows)
    return sort_prices(rows)


OPENROUTER_FIELDS = {
    "prompt": "input",
    "completion": "output",
    "input_cache_read": "cache_read",
    "input_cache_write": "cache_write",
}


def openrouter_value(text: str) -> Decimal | None:
    if text.strip() == "-1":  # router models: price decided per request
        raise ValueError("router price")
    return per_token_text(text)


def convert_openrouter(shared: Path, problems: list[str], dropped: list[str]):
    history = shared / "fixtures" / "history"
    changes = read_csv(history / "openrouter_price_changes.csv")
    models = {r["model_id"] for r in changes}
    events: dict[str, list[Event]] = defaultdict(list)
    grouped: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    skipped_router = 0
    for r in changes:
        if r["pricing_field"] in OPENROUTER_FIELDS:
            grouped[(r["model_id"], r["observed_at"], r["scrape_commit"])].append(r)
    for (model, at, commit), group in grouped.items():
        new, old = {}, {}
        for r in group:
            name = OPENROUTER_FIELDS[r["pricing_field"]]
            try:
                new[name] = openrouter_value(r["new_value"])
                old[name] = openrouter_value(r["old_value"])
            except ValueError:
                skipped_router += 1
                continue
        events[model].append(Event(at, "change", commit, new, old))
    for r in read_csv(history / "openrouter_catalog_events.csv"):
        if r["model_id"] not in models:
            continue
        values = {}
        for src, name in (("prompt", "input"), ("completion", "output")):
            try:
                values[name] = openrouter_value(r[src])
            except ValueError:
                skipped_router += 1
        events[r["model_id"]].append(Event(r["observed_at"], r["event"], r["scrape_commit"], values))
    names: dict[str, str] = {}
    kinds: dict[str, str] = {}  # what the snapshots' architecture says each model outputs
    fixtures = shared / "fixtures" / "openrouter"
    for path, (at, commit) in (
        ("models_2026-02-27.sample.json", (OPENROUTER_FIRST_SCRAPE, OPENROUTER_FIRST_COMMIT)),
        ("models_2026-05-01.data-array.sample.json", OPENROUTER_LAST_SAMPLE),
    ):
        if not (fixtures / path).exists():
            continue
        data = json.loads((fixtures / path).read_text(encoding="utf-8"), parse_float=str)
        for model in data["data"] if isinstance(data, dict) else data:
            names.setdefault(model["id"], model.get("name") or model["id"])
            kind = kind_of_architecture(model.get("architecture"))
            if kind:
                kinds[model["id"]] = kind  # the later snapshot's word
            if model["id"] not in models:
                continue
            values = {}
            pricing = model.get("pricing") or {}
            try:
                for src, name in OPENROUTER_FIELDS.items():
                    values[name] = openrouter_value(pricing[src]) if src in pricing else None
            except ValueError:
                skipped_router += 1
                continue
            events[model["id"]].append(Event(at, "snapshot", commit[:12], values))
    rows = []
    for model in sorted(models):
        states = reconstruct(
            model,
            events[model],
            first_scrape=OPENROUTER_FIRST_SCRAPE,
            first_url=f"{OPENROUTER_REPO}/blob/{OPENROUTER_FIRST_COMMIT}/openrouter-models.json",
            first_note=f"start = first scrape ({OPENROUTER_FIRST_SCRAPE}, commit "
            f"{OPENROUTER_FIRST_COMMIT[:12]}), actual start earlier",
            commit_url=OPENROUTER_REPO + "/commit/{}",
            change_note="detected at scrape {commit}",
            problems=problems,
        )
        common = dict(
            source="openrouter",
            provider="openrouter",
            offering_id=model,
            name=names.get(model, model),
            lab=model.split("/", 1)[0].lstrip("~"),
            kind=kinds.get(model, ""),
            date_precision="observed",
            basis="reconstructed",
            evidence="official-announcement",
            confidence="medium",
        )
        rows.extend(states_to_rows(states, common, f"openrouter {model}", dropped))
    if skipped_router:
        print(f"openrouter: skipped {skipped_router} router (-1) values", file=sys.stderr)
    return sort_prices(rows)


# --------------------------------------------------------------------------- model ids

CROSSWALK_HEADER = ["model_id", "name", "lab", "source", "alias", "valid_from", "valid_to", "kind"]


def crosswalk_row(model_id: str, name: str, lab: str, source: str, alias: str, start="", end=""):
    return {
        "model_id": model_id,
        "name": name,
        "lab": canonical_organisation(lab) or "",
        "source": source,
        "alias": alias,
        "valid_from": start,
        "valid_to": end,
        "kind": "",
    }


def identity_of(rows: list[dict[str, str]]) -> Identity:
    """The product's own resolver over crosswalk rows, so the files and the tool agree."""
    return identity_from_rows(
        [
            CrosswalkRow(
                r["model_id"],
                r["name"],
                r["lab"] or None,
                r["source"],
                r["alias"],
                parse_when(r["valid_from"]),
                parse_when(r["valid_to"]),
            )
            for r in rows
        ]
    )


def build_crosswalk(problems: list[str]) -> list[dict[str, str]]:
    canonical = {**CANONICAL, **EXTRA_CANONICAL}
    seen: set[tuple[str, str]] = set()
    rows = []
    for model_id, (name, lab) in canonical.items():
        rows.append(crosswalk_row(model_id, name, lab, "*", model_id))
    for source, alias, model_id in ALIASES:
        if alias != alias.lower():
            problems.append(f"crosswalk: alias {alias} not lower case")
        if model_id not in canonical:
            problems.append(f"crosswalk: {alias} -> unknown model {model_id}")
            continue
        if (source, alias) in seen:
            problems.append(f"crosswalk: duplicate ({source}, {alias})")
        seen.add((source, alias))
        if normalise(alias) == model_id:
            problems.append(f"crosswalk: {alias} already normalises to {model_id}")
        name, lab = canonical[model_id]
        rows.append(crosswalk_row(model_id, name, lab, source, alias))
    for sources, aliases, spans in ALIAS_SPANS:
        for source in sources:
            for alias in aliases:
                if (source, alias) in seen:
                    problems.append(f"crosswalk: duplicate ({source}, {alias})")
                seen.add((source, alias))
                for start, end, model_id in spans:
                    if model_id not in canonical:
                        problems.append(f"crosswalk: {alias} -> unknown model {model_id}")
                        continue
                    name, lab = canonical[model_id]
                    rows.append(crosswalk_row(model_id, name, lab, source, alias, start, end))
    return rows


def with_kinds(crosswalk: list[dict[str, str]], problems: list[str]) -> None:
    """Write MODEL_KINDS on each model's own row (where the alias is its id)."""
    own = {r["model_id"]: r for r in crosswalk if r["source"] == "*" and r["alias"] == r["model_id"]}
    for model_id, kind in MODEL_KINDS.items():
        if kind not in KINDS:
            problems.append(f"crosswalk: {model_id} kind {kind!r} is not one of {', '.join(KINDS)}")
        elif model_id not in own:
            problems.append(f"crosswalk: kind for unknown model {model_id}")
        else:
            own[model_id]["kind"] = kind


MODELS_DEV_COMMIT = "f3fc692299671838c7c65fd8126bf84d81a2e817"
MODELS_DEV_URL = f"https://github.com/anomalyco/models.dev/blob/{MODELS_DEV_COMMIT}/models/{{}}.toml"


def models_dev_dates(
    history: Path, crosswalk: list[dict[str, str]], problems: list[str]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Canonical models the crosswalk lacks, and a release date per model, from models.dev.

    Each models.dev model id resolves through the crosswalk (so snapshots such as
    gpt-4o-2024-05-13 count for gpt-4o); a model's date is the earliest of its entries. Moving
    aliases (``*-latest`` other than ``*-chat-latest``, MODELS_DEV_SKIP) are left out.
    """
    identity = identity_of(crosswalk)
    added: dict[str, dict[str, str]] = {}
    dates: dict[str, tuple[str, str, str]] = {}  # model -> (date, precision, models.dev id)
    for src in read_csv(history / "models_dev_release_dates.csv"):
        full = src["model_id"]
        raw = full.split("/", 1)[1]
        if full in MODELS_DEV_SKIP or (raw.endswith("-latest") and not raw.endswith("chat-latest")):
            continue
        model_id = identity.model_id("*", raw)
        if not identity.knows(model_id):
            current = added.get(model_id)
            if current is None or (normalise(raw) == raw and current["alias"] != model_id):
                added[model_id] = crosswalk_row(model_id, src["name"], src["lab"], "*", model_id)
        day, precision = src["release_date"], "day"
        if re.fullmatch(r"\d{4}-\d{2}", day):
            day, precision = f"{day}-01", "month"
        if not DATE_RE.match(day):
            problems.append(f"models.dev: {full} release_date {src['release_date']!r}")
            continue
        if model_id not in dates or day < dates[model_id][0]:
            dates[model_id] = (day, precision, full)
    released = [
        {
            "model_id": model_id,
            "event": "released",
            "date": day,
            "date_precision": precision,
            "origin": "models.dev",
            "source_url": MODELS_DEV_URL.format(full),
            "evidence": "independent-estimate",
            "confidence": "medium",
            "notes": f"release_date of models.dev {full}"
            + ("" if full.split("/", 1)[1].lower() == model_id else f" (resolves to {model_id})"),
        }
        for model_id, (day, precision, full) in sorted(dates.items())
    ]
    return list(added.values()), released


def curated_life_dates(
    facts: Path, retirements: list[dict[str, str]], identity: Identity
) -> list[dict[str, str]]:
    """A release day from each model's first dated launch price (an API launch is evidence the
    model existed that day), and the retirements of facts/prices.csv."""
    launches: dict[str, dict[str, str]] = {}
    for src in read_csv(facts / "prices.csv"):
        if src["date_precision"] != "day" or not src["price_event"].lower().startswith(
            ("launch", "api launch")
        ):
            continue
        for api_id in (i.strip() for i in src["api_model_id"].split(" / ")):
            if identity.spans("curated", api_id):
                continue  # a moving alias's launch is not its models' launch
            model_id = identity.model_id("curated", api_id)
            if model_id not in launches or src["effective_date"] < launches[model_id]["date"]:
                launches[model_id] = {
                    "model_id": model_id,
                    "event": "released",
                    "date": src["effective_date"],
                    "date_precision": "day",
                    "origin": "facts/prices.csv",
                    "source_url": src["source_url"],
                    "evidence": src["evidence"],
                    "confidence": src["confidence"],
                    "notes": f"{src['price_event']} price of {api_id}",
                }
    retired = {}
    for src in retirements:
        model_id = identity.model_id("curated", src["api_model_id"])
        retired[model_id] = {
            "model_id": model_id,
            "event": "retired",
            "date": src["effective_date"],
            "date_precision": src["date_precision"],
            "origin": "facts/prices.csv",
            "source_url": src["source_url"],
            "evidence": src["evidence"],
            "confidence": src["confidence"],
            "notes": join_notes(f"{src['api_model_id']} retired", src["notes"]),
        }
    return [launches[key] for key in sorted(launches)] + [retired[key] for key in sorted(retired)]


# --------------------------------------------------------------------------- fact tables


def with_model_id(
    rows: list[dict[str, str]],
    ids: dict[str, str],
    identity: Identity,
    what: str,
    problems: list[str],
) -> tuple[list[str], list[dict[str, str]]]:
    """Rows with `developer` renamed to `lab` (in its one spelling) and a `model_id` after `model`."""
    header = []
    for col in rows[0]:
        header.append("lab" if col == "developer" else col)
        if col == "model":
            header.append("model_id")
    out = []
    for row in rows:
        new = {("lab" if k == "developer" else k): v for k, v in row.items()}
        new["lab"] = canonical_organisation(new["lab"]) or ""
        raw = ids.get(row["model"], "")
        if row["model"] not in ids and what == "benchmarks":
            problems.append(f"{what}: no model id for {row['model']!r}")
        new["model_id"] = identity.model_id("*", raw) if raw else ""
        out.append(new)
    unused = set(ids) - {r["model"] for r in rows}
    if unused:
        problems.append(f"{what}: ids for unknown models {sorted(unused)}")
    return header, out


# Who ran a benchmark, by the host (or GitHub / Hugging Face owner) of its source_url, when
# the `setting` does not name an "<X> evaluation".
MEASURED_BY_HOST = {
    "epoch.ai": "Epoch AI",
    "crfm.stanford.edu": "Stanford CRFM (HELM)",
    "qwenlm.github.io": "Alibaba",
    "www.anthropic.com": "Anthropic",
    "www-cdn.anthropic.com": "Anthropic",
    "x.ai": "xAI",
    "openai.com": "OpenAI",
    "blog.google": "Google",
    "deepmind.google": "Google",
    "ai.google.dev": "Google",
    "goo.gle": "Google",
    "developers.googleblog.com": "Google",
    "mistral.ai": "Mistral AI",
    "www.amazon.science": "Amazon",
    "api-docs.deepseek.com": "DeepSeek",
}
MEASURED_BY_OWNER = {
    "deepseek-ai": "DeepSeek",
    "moonshotai": "Moonshot AI",
    "qwenlm": "Alibaba",
    "qwen": "Alibaba",
    "openai": "OpenAI",
    "meta-llama": "Meta",
    "facebookresearch": "Meta",
    "epoch-research": "Epoch AI",
    "google": "Google",
    "google-deepmind": "Google",
    "mistralai": "Mistral AI",
    "microsoft": "Microsoft",
}
OWN_EVIDENCE = {"primary-technical-report", "official-announcement"}


def benchmark_measurer(row: dict[str, str]) -> str:
    """Who measured a score: the lab named in the setting, the source's owner, or (for the
    lab's own reports) the model's lab."""
    named = re.search(r"(\w[\w ]*?) evaluation", row["setting"])
    if named:
        return canonical_organisation(named.group(1)) or named.group(1)
    parts = row["source_url"].split("/")
    host = parts[2] if len(parts) > 2 else ""
    if host in MEASURED_BY_HOST:
        return MEASURED_BY_HOST[host]
    if host in {"github.com", "huggingface.co"} and len(parts) > 3:
        owner = MEASURED_BY_OWNER.get(parts[3].lower())
        if owner:
            return owner
    return row["lab"] if row["evidence"] in OWN_EVIDENCE else ""


def classify_benchmarks(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Add `measured_by`; a score the model's own lab measured is a vendor claim, whatever
    document it came in (its tech report, launch post or model card)."""
    out = []
    for row in rows:
        measured_by = benchmark_measurer(row)
        new = dict(row)
        new["measured_by"] = measured_by
        if measured_by and measured_by == row["lab"] and row["evidence"] != "vendor-claim":
            new["evidence"] = "vendor-claim"
            new["notes"] = join_notes(
                row["notes"], f"measured by the model's own lab; source classed {row['evidence']}"
            )
        out.append(new)
    return out


def canonical_spellings(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Providers and labs in their one spelling, the platform apart; $0 prices in tier `free`."""
    for row in rows:
        raw = row["provider"]
        row["provider"], platform = seller(raw)
        row["platform"] = row.get("platform") or platform or ""
        if raw != row["provider"] and raw.lower() != row["provider"].lower():
            row["notes"] = join_notes(row["notes"], f"provider spelt {raw!r} by the source")
        row["lab"] = canonical_organisation(row["lab"]) or ""
        if (
            row["input_usd_per_mtok"] == "0"
            and row["output_usd_per_mtok"] in ("0", "")
            and row["tier"] == "default"
        ):
            row["tier"] = "free"
            row["notes"] = join_notes(row["notes"], "$0 input and output: written as tier free")
    return sort_prices(rows)


# --------------------------------------------------------------------------- validation


def validate_prices(name: str, rows: list[dict[str, str]], problems: list[str]) -> None:
    spans: dict[tuple[str, str, str], list[tuple[datetime, datetime, int]]] = defaultdict(list)
    for i, row in enumerate(rows, start=2):
        where = f"{name}:{i} {row['offering_id']}"
        if list(row) != PRICE_COLUMNS:
            problems.append(f"{where}: columns {list(row)}")
        if not row["input_usd_per_mtok"] and not row["output_usd_per_mtok"]:
            problems.append(f"{where}: neither input nor output price")
        for col in (
            "input_usd_per_mtok",
            "output_usd_per_mtok",
            "cache_read_usd_per_mtok",
            "cache_write_usd_per_mtok",
        ):
            text = row[col]
            if not text:
                continue
            value = Decimal(text)
            if value < 0 or "e" in text.lower() or (("." in text) and text.endswith("0")):
                problems.append(f"{where}: bad number {col}={text!r}")
            if value > 10_000:
                problems.append(f"{where}: absurd {col}={text}")
        for col in ("effective_from", "effective_to"):
            if row[col] and not DATE_RE.match(row[col]):
                problems.append(f"{where}: bad date {col}={row[col]!r}")
        start, end = row["effective_from"], row["effective_to"]
        if start and end and not when(start) < when(end):
            problems.append(f"{where}: effective_from {start} not before effective_to {end}")
        if row["evidence"] not in EVIDENCE:
            problems.append(f"{where}: evidence {row['evidence']!r}")
        if row["basis"] not in BASES:
            problems.append(f"{where}: basis {row['basis']!r}")
        if not all(TIER_PART.match(p) for p in row["tier"].split("+")):
            problems.append(f"{where}: tier {row['tier']!r}")
        if not URL_RE.match(row["source_url"]):
            problems.append(f"{where}: source_url {row['source_url']!r} is not an http(s) URL")
        if row["confidence"] not in {"high", "medium", "low"}:
            problems.append(f"{where}: confidence {row['confidence']!r}")
        if row["kind"] and row["kind"] not in KINDS:
            problems.append(f"{where}: kind {row['kind']!r}")
        for col in ("source", "provider", "offering_id", "name", "date_precision"):
            if not row[col]:
                problems.append(f"{where}: empty {col}")
        lo = when(start) if start else datetime.min
        hi = when(end) if end else datetime.max
        spans[(row["provider"], row["offering_id"], row["tier"])].append((lo, hi, i))
    for key, group in spans.items():
        group.sort()
        for (_lo1, hi1, i1), (lo2, _hi2, i2) in zip(group, group[1:], strict=False):
            if lo2 < hi1:
                problems.append(f"{name}: overlapping rows {i1} and {i2} for {key}")


def validate_facts(name: str, rows: list[dict[str, str]], problems: list[str]) -> None:
    for i, row in enumerate(rows, start=2):
        if row.get("evidence") not in EVIDENCE:
            problems.append(f"{name}:{i}: evidence {row.get('evidence')!r}")
        if not URL_RE.match(row.get("source_url") or ""):
            problems.append(f"{name}:{i}: source_url {row.get('source_url')!r} is not an http(s) URL")
        for col in ("date", "release_date"):
            if col in row and row[col] and not DATE_RE.match(row[col]):
                problems.append(f"{name}:{i}: bad {col} {row[col]!r}")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", type=Path, help="the shared directory (facts/, fixtures/)")
    parser.add_argument("--out", type=Path, default=HERE, help="output directory (data/)")
    args = parser.parse_args(argv)
    shared: Path = args.shared
    facts = shared / "facts"
    history = shared / "fixtures" / "history"
    missing = [str(folder) for folder in (facts, history) if not folder.is_dir()]
    if missing:
        print(
            f"convert_from_shared: {shared} is not the shared fact base (no {', '.join(missing)})",
            file=sys.stderr,
        )
        return 2
    problems: list[str] = []
    dropped: list[str] = []

    crosswalk = build_crosswalk(problems)
    from_models_dev, released = models_dev_dates(history, crosswalk, problems)
    crosswalk += from_models_dev
    with_kinds(crosswalk, problems)
    identity = identity_of(crosswalk)
    retirements: list[dict[str, str]] = []
    outputs: dict[str, tuple[list[str], list[dict[str, str]]]] = {}
    outputs["prices/curated.csv"] = (PRICE_COLUMNS, convert_curated(facts, problems, retirements))
    outputs["prices/llm-prices.csv"] = (PRICE_COLUMNS, convert_llm_prices(history, problems))
    outputs["prices/genai-prices.csv"] = (PRICE_COLUMNS, convert_genai_prices(shared, problems))
    outputs["prices/litellm-history.csv"] = (
        PRICE_COLUMNS,
        convert_litellm(shared, identity, problems, dropped),
    )
    outputs["prices/openrouter-history.csv"] = (
        PRICE_COLUMNS,
        convert_openrouter(shared, problems, dropped),
    )

    for name, snapshot in SNAPSHOT_TIMES.items():
        header, rows = outputs[name]
        for row in rows:
            row["observed_at"] = snapshot
        outputs[name] = (header, canonical_spellings(rows))

    releases = read_csv(facts / "releases.csv")
    outputs["releases.csv"] = with_model_id(releases, RELEASE_IDS, identity, "releases", problems)
    benchmarks = read_csv(facts / "benchmarks.csv")
    header, rows = with_model_id(benchmarks, BENCHMARK_IDS, identity, "benchmarks", problems)
    outputs["benchmarks.csv"] = (header + ["measured_by"], classify_benchmarks(rows))
    signals = read_csv(facts / "infrastructure.csv")
    outputs["signals.csv"] = (list(signals[0]), signals)
    claims = read_csv(facts / "trend_claims.csv")
    outputs["trend_claims.csv"] = (list(claims[0]), claims)
    outputs["model_crosswalk.csv"] = (CROSSWALK_HEADER, crosswalk)
    life = curated_life_dates(facts, retirements, identity) + released
    outputs["model_dates.csv"] = (list(MODEL_DATE_COLUMNS), life)

    for name, (_header, rows) in outputs.items():
        if name.startswith("prices/"):
            validate_prices(name, rows, problems)
        elif name != "model_crosswalk.csv":
            validate_facts(name, rows, problems)
    known_ids = {r["model_id"] for r in crosswalk if r["source"] == "*" and r["alias"] == r["model_id"]}
    for name in ("releases.csv", "benchmarks.csv", "model_dates.csv"):
        for row in outputs[name][1]:
            if row["model_id"] and row["model_id"] not in known_ids:
                problems.append(f"{name}: model_id {row['model_id']} not in the crosswalk")

    if dropped:
        print(f"{len(dropped)} reconstructed intervals not written:", file=sys.stderr)
        for item in dropped:
            print(f"  {item}", file=sys.stderr)
    if problems:
        for problem in problems:
            print(f"ERROR {problem}", file=sys.stderr)
        print(f"{len(problems)} problems; nothing written", file=sys.stderr)
        return 1

    for name, (header, rows) in outputs.items():
        path = args.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(to_csv_text(header, rows), encoding="utf-8", newline="")
        print(f"{len(rows):6d}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
