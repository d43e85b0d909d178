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
from frontier_watch.identity import normalise  # noqa: E402
from frontier_watch.money import MAX_USD_PER_MTOK  # noqa: E402
from frontier_watch.sources.curated import PRICE_COLUMNS as CURATED_PRICE_COLUMNS  # noqa: E402

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
NAMED_TIERS = {"default", "batch", "flex", "priority", "off-peak"}
TIER_PART = re.compile(r"^(?:default|batch|flex|priority|off-peak|long-context>\d+k)$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}Z)?$")

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
}

# Later rows under another api id that replaced the price of an earlier id for the same
# model. Without this the earlier id would carry its launch price forward for ever.
SUPERSEDED_BY = {
    ("OpenAI", "davinci"): (
        "text-davinci-003",
        "price cut to $20 / 1M applied to all Davinci models (see the text-davinci-003 row), "
        "so this price ends there",
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


def convert_curated(facts: Path, problems: list[str]) -> list[dict[str, str]]:
    source_rows = read_csv(facts / "prices.csv")
    entries: list[dict] = []
    for src in source_rows:
        ids = [i.strip() for i in src["api_model_id"].split(" / ")]
        provider_col = src["provider"].strip()
        provider, lab = THIRD_PARTY.get(provider_col, (provider_col, provider_col))
        host_note = (
            f"hosted by a third party ({provider}); source provider column '{provider_col}'"
            if provider_col in THIRD_PARTY
            else ""
        )
        off_peak = "off-peak" in src["model"].lower() or "off-peak" in src["price_event"].lower()
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


# A state whose price the source cuts by this factor or more at its next change is taken to
# be a unit error (per-1K or per-1M values in a per-token field) and is not written.
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
            dropped.append(
                f"{span}: cut by {UNIT_ERROR_FACTOR}x or more at the next change "
                f"({', '.join(corrected)}), i.e. a unit error the source corrected"
            )
            continue
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


def convert_litellm(shared: Path, problems: list[str], dropped: list[str]):
    history = shared / "fixtures" / "history"
    changes = read_csv(history / "litellm_price_changes.csv")
    keys = {r["model_key"] for r in changes}
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
    for r in read_csv(history / "litellm_catalog_events.csv"):
        if r["model_key"] not in keys:
            continue
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
        common = dict(
            source="litellm",
            provider=provider,
            offering_id=key,
            name=key,
            lab=LITELLM_LABS.get(provider, ""),
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

# releases.csv `model` -> an API/HF id (normalise() is applied, then the crosswalk).
RELEASE_IDS = {
    "GPT-3 (davinci)": "davinci",
    "Llama 2 (7B/13B/70B, base + chat)": "llama-2-70b",
    "Llama 3.1 405B (also 8B/70B)": "llama-3.1-405b",
    "Llama 4 Scout": "llama-4-scout",
    "Llama 4 Maverick": "llama-4-maverick",
    "DeepSeek-V3 (and V3-Base)": "deepseek-v3",
    "DeepSeek-R1 (and R1-Zero)": "deepseek-r1",
    "DeepSeek-R1-Distill-Qwen-32B (one of six distills)": "deepseek-r1-distill-qwen-32b",
    "gpt-oss-120b": "gpt-oss-120b",
    "gpt-oss-20b": "gpt-oss-20b",
    "Kimi K2 (Base, Instruct)": "kimi-k2",
    "OLMo 2 (7B, 13B)": "allenai/OLMo-2-1124-13B",
    "OLMo (7B, 1B)": "allenai/OLMo-7B",
    "Qwen3-235B-A22B (flagship of Qwen3 family)": "qwen3-235b-a22b",
    "Qwen3-30B-A3B": "qwen3-30b-a3b",
    "Qwen2.5-72B (family 0.5B-72B)": "qwen2.5-72b",
    "Mixtral 8x7B": "mixtral-8x7b",
    "Mixtral 8x22B": "mixtral-8x22b",
    "DeepSeek-V2": "deepseek-v2",
    "GPT-4 (8K and 32K variants)": "gpt-4",
    "GPT-4 Turbo (gpt-4-1106-preview)": "gpt-4-turbo",
    "GPT-4o": "gpt-4o",
    "GPT-4o mini": "gpt-4o-mini",
    "o1-preview / o1-mini": "o1-preview",
    "o3-mini": "o3-mini",
    "GPT-4.5 (research preview)": "gpt-4.5",
    "GPT-4.1 (+ mini, nano)": "gpt-4.1",
    "o3 and o4-mini": "o3",
    "GPT-5 (+ mini, nano)": "gpt-5",
    "DeepSeek-V3-0324": "deepseek-ai/DeepSeek-V3-0324",
    "DeepSeek-V3.2-Exp": "deepseek-v3.2-exp",
    "Grok-1 (base)": "grok-1",
    "Gemini 1.0 (Ultra, Pro, Nano)": "gemini-1.0-pro",
    "Gemini 1.5 Pro": "gemini-1.5-pro",
    "Gemini 2.0 Flash": "gemini-2.0-flash",
    "Llama 3 (8B, 70B)": "llama-3-70b",
    "Llama 3.3 70B": "llama-3.3-70b",
    "Tülu 3 (8B, 70B; 405B added 2025-01-30)": "allenai/Llama-3.1-Tulu-3-405B",
    "Claude 3 family (Opus, Sonnet, Haiku)": "claude-3-opus",
    "Claude 3.5 Sonnet": "claude-3.5-sonnet",
    "Claude 3.7 Sonnet": "claude-3.7-sonnet",
    "Claude Opus 4 and Claude Sonnet 4": "claude-opus-4",
    "Claude Opus 4.5": "claude-opus-4.5",
    "Gemini 2.5 Pro": "gemini-2.5-pro",
    "Gemini 3 Pro (preview)": "gemini-3-pro",
    "Grok 3 (and Grok 3 mini)": "grok-3",
    "Grok 4 (and Grok 4 Heavy)": "grok-4",
    "Kimi K2.5": "kimi-k2.5",
    "Gemini 3.1 Pro": "gemini-3.1-pro",
    "DeepSeek-V4 Preview (V4-Flash, V4-Pro)": "deepseek-v4-pro",
    # Deliberately empty: "LLaMA (1) 7B-65B" (no official API/HF id),
    # "ChatGPT (GPT-3.5 series)" (a product, not one API model).
}

# benchmarks.csv `model` -> an API id.
BENCHMARK_IDS = {
    "GPT-3 (davinci)": "davinci",
    "text-davinci-003 (GPT-3.5)": "text-davinci-003",
    "Gemini 1.5 Flash (May 2024, gemini-1.5-flash-001)": "gemini-1.5-flash-001",
    "Gemini 1.5 Pro (May 2024, gemini-1.5-pro-001)": "gemini-1.5-pro-001",
    "Amazon Nova Lite": "amazon-nova-lite",
    "Amazon Nova Micro": "amazon-nova-micro",
    "Amazon Nova Pro": "amazon-nova-pro",
    "Claude 2": "claude-2",
    "Claude 3 Haiku": "claude-3-haiku-20240307",
    "Claude 3 Opus": "claude-3-opus-20240229",
    "Claude 3 Sonnet": "claude-3-sonnet-20240229",
    "Claude 3.5 Haiku": "claude-3-5-haiku-20241022",
    "Claude 3.5 Sonnet (2024-06-20)": "claude-3-5-sonnet-20240620",
    "Claude 3.5 Sonnet (2024-10-22)": "claude-3-5-sonnet-20241022",
    "Claude 3.7 Sonnet": "claude-3-7-sonnet-20250219",
    "Claude Haiku 4.5": "claude-haiku-4-5",
    "Claude Opus 4": "claude-opus-4-20250514",
    "Claude Opus 4.1": "claude-opus-4-1",
    "Claude Opus 4.5": "claude-opus-4-5",
    "Claude Sonnet 4": "claude-sonnet-4-20250514",
    "Claude Sonnet 4.5": "claude-sonnet-4-5",
    "DeepSeek-R1": "deepseek-r1",
    "DeepSeek-R1-0528": "deepseek-r1-0528",
    "DeepSeek-R1-Distill-Llama-70B": "deepseek-r1-distill-llama-70b",
    "DeepSeek-R1-Distill-Qwen-32B": "deepseek-r1-distill-qwen-32b",
    "DeepSeek-V2 (Chat 0506)": "deepseek-v2",
    "DeepSeek-V2.5 (0905)": "deepseek-v2.5",
    "DeepSeek-V3": "deepseek-v3",
    "DeepSeek-V3-0324": "deepseek-v3-0324",
    "DeepSeek-V3.1": "deepseek-v3.1",
    "DeepSeek-V3.2-Exp": "deepseek-v3.2-exp",
    "GPT-4 (gpt-4-0314)": "gpt-4-0314",
    "GPT-4 Turbo (gpt-4-1106-preview)": "gpt-4-1106-preview",
    "GPT-4 Turbo (gpt-4-turbo-2024-04-09)": "gpt-4-turbo-2024-04-09",
    "GPT-4.1": "gpt-4.1",
    "GPT-4.1 mini": "gpt-4.1-mini",
    "GPT-4.1 nano": "gpt-4.1-nano",
    "GPT-4.5 (preview)": "gpt-4.5-preview",
    "GPT-4o (2024-05-13)": "gpt-4o-2024-05-13",
    "GPT-4o (2024-08-06)": "gpt-4o-2024-08-06",
    "GPT-4o (2024-11-20)": "gpt-4o-2024-11-20",
    "GPT-4o mini": "gpt-4o-mini",
    "GPT-5": "gpt-5",
    "GPT-5 mini": "gpt-5-mini",
    "GPT-5 nano": "gpt-5-nano",
    "GPT-5.2": "gpt-5.2",
    "Gemini 1.0 Pro": "gemini-1.0-pro",
    "Gemini 1.5 Flash-002": "gemini-1.5-flash-002",
    "Gemini 1.5 Flash-8B": "gemini-1.5-flash-8b",
    "Gemini 1.5 Pro-002": "gemini-1.5-pro-002",
    "Gemini 2.0 Flash": "gemini-2.0-flash",
    "Gemini 2.0 Flash-Lite": "gemini-2.0-flash-lite",
    "Gemini 2.5 Flash": "gemini-2.5-flash",
    "Gemini 2.5 Flash-Lite": "gemini-2.5-flash-lite",
    "Gemini 2.5 Pro": "gemini-2.5-pro",
    "Gemini 3 Pro (preview)": "gemini-3-pro-preview",
    "Gemma 2 27B": "gemma-2-27b",
    "Gemma 2 9B": "gemma-2-9b",
    "Gemma 3 12B": "gemma-3-12b",
    "Gemma 3 27B": "gemma-3-27b",
    "Gemma 3 4B": "gemma-3-4b",
    "Grok 2": "grok-2",
    "Grok 2 mini": "grok-2-mini",
    "Grok 3": "grok-3",
    "Grok 3 mini": "grok-3-mini",
    "Grok 4": "grok-4",
    "Grok 4 Fast": "grok-4-fast",
    "Kimi K2 (Instruct)": "kimi-k2",
    "Llama 2 13B": "llama-2-13b",
    "Llama 2 70B": "llama-2-70b",
    "Llama 2 7B": "llama-2-7b",
    "Llama 3 70B": "llama-3-70b",
    "Llama 3 8B": "llama-3-8b",
    "Llama 3.1 405B": "llama-3.1-405b",
    "Llama 3.1 70B": "llama-3.1-70b",
    "Llama 3.1 8B": "llama-3.1-8b",
    "Llama 3.2 1B": "llama-3.2-1b",
    "Llama 3.2 3B": "llama-3.2-3b",
    "Llama 3.3 70B": "llama-3.3-70b",
    "Llama 4 Maverick": "llama-4-maverick",
    "Llama 4 Scout": "llama-4-scout",
    "Ministral 8B": "ministral-8b",
    "Mistral 7B": "mistral-7b",
    "Mistral Large (2402)": "mistral-large-2402",
    "Mistral Large 2 (2407)": "mistral-large-2407",
    "Mistral Large 24.11": "mistral-large-2411",
    "Mistral Medium 3": "mistral-medium-3",
    "Mistral NeMo": "mistral-nemo",
    "Mistral Small 3": "mistral-small-3",
    "Mixtral 8x22B": "mixtral-8x22b",
    "Mixtral 8x7B": "mixtral-8x7b",
    "Phi-3-medium": "phi-3-medium",
    "Phi-3-mini": "phi-3-mini",
    "Phi-3.5-mini": "phi-3.5-mini",
    "Phi-4": "phi-4",
    "Qwen2.5-72B-Instruct": "qwen2.5-72b-instruct",
    "Qwen2.5-7B-Instruct": "qwen2.5-7b-instruct",
    "Qwen3-235B-A22B": "qwen3-235b-a22b",
    "Qwen3-235B-A22B-Instruct-2507": "qwen3-235b-a22b-instruct-2507",
    "Qwen3-235B-A22B-Thinking-2507": "qwen3-235b-a22b-thinking-2507",
    "Qwen3-30B-A3B": "qwen3-30b-a3b",
    "Qwen3-32B": "qwen3-32b",
    "Qwen3-8B": "qwen3-8b",
    "gpt-3.5-turbo": "gpt-3.5-turbo",
    "gpt-oss-120b": "gpt-oss-120b",
    "gpt-oss-20b": "gpt-oss-20b",
    "o1 (2024-12-17)": "o1-2024-12-17",
    "o1-mini": "o1-mini",
    "o1-preview": "o1-preview",
    "o3": "o3",
    "o3-mini": "o3-mini",
    "o4-mini": "o4-mini",
}

# Canonical models: model_id -> (display name, lab). Lab spellings follow releases.csv.
OAI, ANT, GDM, DS, META = "OpenAI", "Anthropic", "Google DeepMind", "DeepSeek", "Meta"
QWEN, MIS, XAI, MS = "Alibaba (Qwen team)", "Mistral AI", "xAI", "Microsoft"
MOON, AI2, AMZ = "Moonshot AI", "Allen Institute for AI (Ai2)", "Amazon"
CANONICAL = {
    # OpenAI
    "davinci": ("GPT-3 Davinci", OAI),
    "text-davinci-003": ("GPT-3.5 (text-davinci-003)", OAI),
    "gpt-3.5-turbo": ("GPT-3.5 Turbo", OAI),
    "gpt-4": ("GPT-4", OAI),
    "gpt-4-turbo": ("GPT-4 Turbo", OAI),
    "gpt-4o": ("GPT-4o", OAI),
    "gpt-4o-mini": ("GPT-4o mini", OAI),
    "o1-preview": ("o1-preview", OAI),
    "o1-mini": ("o1-mini", OAI),
    "o1": ("o1", OAI),
    "o1-pro": ("o1-pro", OAI),
    "o3-mini": ("o3-mini", OAI),
    "o3": ("o3", OAI),
    "o3-pro": ("o3-pro", OAI),
    "o4-mini": ("o4-mini", OAI),
    "gpt-4.5": ("GPT-4.5", OAI),
    "gpt-4.1": ("GPT-4.1", OAI),
    "gpt-4.1-mini": ("GPT-4.1 mini", OAI),
    "gpt-4.1-nano": ("GPT-4.1 nano", OAI),
    "gpt-5": ("GPT-5", OAI),
    "gpt-5-mini": ("GPT-5 mini", OAI),
    "gpt-5-nano": ("GPT-5 nano", OAI),
    "gpt-5.2": ("GPT-5.2", OAI),
    "gpt-oss-120b": ("gpt-oss-120b", OAI),
    "gpt-oss-20b": ("gpt-oss-20b", OAI),
    # Anthropic
    "claude-2": ("Claude 2", ANT),
    "claude-3-opus": ("Claude 3 Opus", ANT),
    "claude-3-sonnet": ("Claude 3 Sonnet", ANT),
    "claude-3-haiku": ("Claude 3 Haiku", ANT),
    "claude-3.5-sonnet": ("Claude 3.5 Sonnet", ANT),
    "claude-3.5-haiku": ("Claude 3.5 Haiku", ANT),
    "claude-3.7-sonnet": ("Claude 3.7 Sonnet", ANT),
    "claude-opus-4": ("Claude Opus 4", ANT),
    "claude-sonnet-4": ("Claude Sonnet 4", ANT),
    "claude-opus-4.1": ("Claude Opus 4.1", ANT),
    "claude-sonnet-4.5": ("Claude Sonnet 4.5", ANT),
    "claude-haiku-4.5": ("Claude Haiku 4.5", ANT),
    "claude-opus-4.5": ("Claude Opus 4.5", ANT),
    # Google
    "gemini-1.0-pro": ("Gemini 1.0 Pro", GDM),
    "gemini-1.5-pro": ("Gemini 1.5 Pro", GDM),
    "gemini-1.5-flash": ("Gemini 1.5 Flash", GDM),
    "gemini-1.5-flash-8b": ("Gemini 1.5 Flash-8B", GDM),
    "gemini-2.0-flash": ("Gemini 2.0 Flash", GDM),
    "gemini-2.0-flash-lite": ("Gemini 2.0 Flash-Lite", GDM),
    "gemini-2.5-pro": ("Gemini 2.5 Pro", GDM),
    "gemini-2.5-flash": ("Gemini 2.5 Flash", GDM),
    "gemini-2.5-flash-lite": ("Gemini 2.5 Flash-Lite", GDM),
    "gemini-3-pro": ("Gemini 3 Pro", GDM),
    "gemini-3-flash": ("Gemini 3 Flash", GDM),
    "gemini-3.1-pro": ("Gemini 3.1 Pro", GDM),
    "gemma-2-9b": ("Gemma 2 9B", GDM),
    "gemma-2-27b": ("Gemma 2 27B", GDM),
    "gemma-3-4b": ("Gemma 3 4B", GDM),
    "gemma-3-12b": ("Gemma 3 12B", GDM),
    "gemma-3-27b": ("Gemma 3 27B", GDM),
    # DeepSeek
    "deepseek-v2": ("DeepSeek-V2", DS),
    "deepseek-v2.5": ("DeepSeek-V2.5", DS),
    "deepseek-v3": ("DeepSeek-V3", DS),
    "deepseek-r1": ("DeepSeek-R1", DS),
    "deepseek-r1-distill-qwen-32b": ("DeepSeek-R1-Distill-Qwen-32B", DS),
    "deepseek-r1-distill-llama-70b": ("DeepSeek-R1-Distill-Llama-70B", DS),
    "deepseek-v3.1": ("DeepSeek-V3.1", DS),
    "deepseek-v3.2-exp": ("DeepSeek-V3.2-Exp", DS),
    "deepseek-v4-flash": ("DeepSeek-V4-Flash", DS),
    "deepseek-v4-pro": ("DeepSeek-V4-Pro", DS),
    # Meta
    "llama-2-7b": ("Llama 2 7B", META),
    "llama-2-13b": ("Llama 2 13B", META),
    "llama-2-70b": ("Llama 2 70B", META),
    "llama-3-8b": ("Llama 3 8B", META),
    "llama-3-70b": ("Llama 3 70B", META),
    "llama-3.1-8b": ("Llama 3.1 8B", META),
    "llama-3.1-70b": ("Llama 3.1 70B", META),
    "llama-3.1-405b": ("Llama 3.1 405B", META),
    "llama-3.2-1b": ("Llama 3.2 1B", META),
    "llama-3.2-3b": ("Llama 3.2 3B", META),
    "llama-3.3-70b": ("Llama 3.3 70B", META),
    "llama-4-scout": ("Llama 4 Scout", META),
    "llama-4-maverick": ("Llama 4 Maverick", META),
    # Alibaba / Qwen
    "qwen2.5-7b": ("Qwen2.5-7B", QWEN),
    "qwen2.5-72b": ("Qwen2.5-72B", QWEN),
    "qwen3-8b": ("Qwen3-8B", QWEN),
    "qwen3-32b": ("Qwen3-32B", QWEN),
    "qwen3-30b-a3b": ("Qwen3-30B-A3B", QWEN),
    "qwen3-235b-a22b": ("Qwen3-235B-A22B", QWEN),
    "qwen3-235b-a22b-instruct-2507": ("Qwen3-235B-A22B-Instruct-2507", QWEN),
    "qwen3-235b-a22b-thinking-2507": ("Qwen3-235B-A22B-Thinking-2507", QWEN),
    "qwen-long": ("Qwen-Long", QWEN),
    # Mistral
    "mistral-7b": ("Mistral 7B", MIS),
    "mixtral-8x7b": ("Mixtral 8x7B", MIS),
    "mixtral-8x22b": ("Mixtral 8x22B", MIS),
    "mistral-nemo": ("Mistral NeMo", MIS),
    "ministral-8b": ("Ministral 8B", MIS),
    "mistral-small-3": ("Mistral Small 3", MIS),
    "mistral-medium-3": ("Mistral Medium 3", MIS),
    "mistral-large-2402": ("Mistral Large (24.02)", MIS),
    "mistral-large-2407": ("Mistral Large 2 (24.07)", MIS),
    "mistral-large-2411": ("Mistral Large 24.11", MIS),
    # xAI
    "grok-1": ("Grok-1", XAI),
    "grok-2": ("Grok 2", XAI),
    "grok-2-mini": ("Grok 2 mini", XAI),
    "grok-3": ("Grok 3", XAI),
    "grok-3-mini": ("Grok 3 mini", XAI),
    "grok-4": ("Grok 4", XAI),
    "grok-4-fast": ("Grok 4 Fast", XAI),
    # Others
    "kimi-k2": ("Kimi K2", MOON),
    "kimi-k2.5": ("Kimi K2.5", MOON),
    "phi-3-mini": ("Phi-3-mini", MS),
    "phi-3-medium": ("Phi-3-medium", MS),
    "phi-3.5-mini": ("Phi-3.5-mini", MS),
    "phi-4": ("Phi-4", MS),
    "olmo-7b": ("OLMo 7B", AI2),
    "olmo-2-1124-13b": ("OLMo 2 13B (1124)", AI2),
    "llama-3.1-tulu-3-405b": ("Tülu 3 405B", AI2),
    "amazon-nova-micro": ("Amazon Nova Micro", AMZ),
    "amazon-nova-lite": ("Amazon Nova Lite", AMZ),
    "amazon-nova-pro": ("Amazon Nova Pro", AMZ),
    "amazon-nova-premier": ("Amazon Nova Premier", AMZ),
    "doubao-pro-32k": ("Doubao-pro (32K)", "ByteDance"),
}

# (source, alias, model_id): spellings normalise() does not map to the right id.
# Aliases are lower case. `*` = any source.
ALIASES = [
    # DeepSeek's API names. They are moving aliases: deepseek-chat served DeepSeek-V2/V2.5
    # before 2024-12-26 and V3.1 / V3.2 from Aug / Sep 2025; deepseek-reasoner served
    # R1-0528 and later the thinking mode of V3.1 / V3.2. The price rows' `name` says which.
    *[(s, "deepseek-reasoner", "deepseek-r1") for s in ("curated", "llm-prices", "genai-prices", "litellm")],
    ("litellm", "deepseek/deepseek-reasoner", "deepseek-r1"),
    *[(s, "deepseek-chat", "deepseek-v3") for s in ("curated", "llm-prices", "genai-prices", "litellm")],
    ("litellm", "deepseek/deepseek-chat", "deepseek-v3"),
    ("openrouter", "deepseek/deepseek-chat", "deepseek-v3"),
    ("openrouter", "deepseek/deepseek-chat-v3-0324", "deepseek-v3"),
    ("openrouter", "deepseek/deepseek-chat-v3.1", "deepseek-v3.1"),
    # OpenAI
    ("*", "gpt-4-32k", "gpt-4"),
    ("*", "gpt-4-1106-preview", "gpt-4-turbo"),
    ("*", "gpt-4-0125-preview", "gpt-4-turbo"),
    ("*", "gpt-4-turbo-preview", "gpt-4-turbo"),
    ("*", "gpt-3.5-turbo-16k", "gpt-3.5-turbo"),
    ("*", "gpt-4.5-preview", "gpt-4.5"),
    # Anthropic
    ("llm-prices", "claude-4.5-haiku", "claude-haiku-4.5"),
    # Bedrock "regional." endpoint prefix (normalise() knows global./us./eu./... only)
    # Google: numbered snapshots and previews of the same model
    ("*", "gemini-1.5-pro-001", "gemini-1.5-pro"),
    ("*", "gemini-1.5-pro-002", "gemini-1.5-pro"),
    ("*", "gemini-1.5-flash-001", "gemini-1.5-flash"),
    ("*", "gemini-1.5-flash-002", "gemini-1.5-flash"),
    ("*", "gemini-1.5-flash-8b-001", "gemini-1.5-flash-8b"),
    ("*", "gemini-2.0-flash-001", "gemini-2.0-flash"),
    ("*", "gemini-2.0-flash-lite-001", "gemini-2.0-flash-lite"),
    ("*", "gemini-2.5-pro-exp-03-25", "gemini-2.5-pro"),
    ("*", "gemini-2.5-pro-preview-03-25", "gemini-2.5-pro"),
    ("*", "gemini-2.5-pro-preview-05-06", "gemini-2.5-pro"),
    ("*", "gemini-2.5-pro-preview-06-05", "gemini-2.5-pro"),
    ("openrouter", "google/gemini-2.5-pro-preview", "gemini-2.5-pro"),
    ("*", "gemini-3-pro-preview", "gemini-3-pro"),
    ("*", "gemini-3-flash-preview", "gemini-3-flash"),
    ("*", "gemini-3.1-pro-preview", "gemini-3.1-pro"),
    ("llm-prices", "gemini-3-1-pro-preview", "gemini-3.1-pro"),
    ("*", "gemma-2-9b-it", "gemma-2-9b"),
    ("*", "gemma-2-27b-it", "gemma-2-27b"),
    ("*", "gemma-3-4b-it", "gemma-3-4b"),
    ("*", "gemma-3-12b-it", "gemma-3-12b"),
    ("*", "gemma-3-27b-it", "gemma-3-27b"),
    # Meta: instruct / hosted spellings of the same model
    ("curated", "meta-llama/llama-3.2-3b-instruct-turbo", "llama-3.2-3b"),
    ("*", "llama-3.2-3b-instruct", "llama-3.2-3b"),
    ("*", "llama-3.2-1b-instruct", "llama-3.2-1b"),
    ("*", "llama-3.3-70b-instruct", "llama-3.3-70b"),
    ("*", "llama-3.1-8b-instruct", "llama-3.1-8b"),
    ("*", "llama-3.1-70b-instruct", "llama-3.1-70b"),
    ("*", "llama-3.1-405b-instruct", "llama-3.1-405b"),
    ("*", "meta-llama-3.1-405b-instruct", "llama-3.1-405b"),
    ("*", "meta-llama-3-8b-instruct", "llama-3-8b"),
    ("*", "meta-llama-3-70b-instruct", "llama-3-70b"),
    ("huggingface", "meta-llama/meta-llama-3-70b", "llama-3-70b"),
    ("huggingface", "meta-llama/llama-2-70b-hf", "llama-2-70b"),
    ("huggingface", "meta-llama/llama-4-scout-17b-16e", "llama-4-scout"),
    ("huggingface", "meta-llama/llama-4-maverick-17b-128e", "llama-4-maverick"),
    ("huggingface", "meta-llama/llama-3.3-70b-instruct", "llama-3.3-70b"),
    # Qwen
    ("*", "qwen2.5-72b-instruct", "qwen2.5-72b"),
    ("*", "qwen2.5-7b-instruct", "qwen2.5-7b"),
    ("openrouter", "qwen/qwen-2.5-72b-instruct", "qwen2.5-72b"),
    ("huggingface", "qwen/qwen2.5-72b-instruct", "qwen2.5-72b"),
    # Mistral
    ("llm-prices", "mistral-medium-2505", "mistral-medium-3"),
    ("curated", "mistral-medium-2505", "mistral-medium-3"),
    ("llm-prices", "open-mistral-7b", "mistral-7b"),
    ("llm-prices", "open-mixtral-8x7b", "mixtral-8x7b"),
    ("llm-prices", "open-mixtral-8x22b", "mixtral-8x22b"),
    ("openrouter", "mistralai/mixtral-8x22b-instruct", "mixtral-8x22b"),
    ("huggingface", "mistralai/mixtral-8x7b-v0.1", "mixtral-8x7b"),
    ("huggingface", "mistralai/mixtral-8x22b-v0.1", "mixtral-8x22b"),
    # Moonshot
    ("*", "kimi-k2-0711-preview", "kimi-k2"),
    ("*", "kimi-k2-0905-preview", "kimi-k2"),
    ("huggingface", "moonshotai/kimi-k2-instruct", "kimi-k2"),
    # Amazon: Bedrock ids normalise to "nova-lite" etc.
    ("*", "nova-micro", "amazon-nova-micro"),
    ("*", "nova-lite", "amazon-nova-lite"),
    ("*", "nova-pro", "amazon-nova-pro"),
    ("*", "nova-premier", "amazon-nova-premier"),
]
# Canonical ids that only aliases point at (not notable enough for a display row of their
# own, but the alias must resolve to something with a name).
EXTRA_CANONICAL = {
    "llama-guard-3-8b": ("Llama Guard 3 8B", META),
    "claude-sonnet-5": ("Claude Sonnet 5", ANT),
}


def canonical_id(raw: str, aliases: dict[tuple[str, str], str], source: str = "*") -> str:
    """normalise() then the crosswalk (source-specific first, then `*`)."""
    lowered = raw.lower()
    for key in ((source, lowered), ("*", lowered), ("*", normalise(raw))):
        if key in aliases:
            return aliases[key]
    return normalise(raw)


def build_crosswalk(problems: list[str]) -> tuple[list[dict[str, str]], dict]:
    canonical = {**CANONICAL, **EXTRA_CANONICAL}
    alias_map: dict[tuple[str, str], str] = {}
    rows = []
    for model_id, (name, lab) in canonical.items():
        rows.append({"model_id": model_id, "name": name, "lab": lab, "source": "*", "alias": model_id})
    for source, alias, model_id in ALIASES:
        if alias != alias.lower():
            problems.append(f"crosswalk: alias {alias} not lower case")
        if model_id not in canonical:
            problems.append(f"crosswalk: {alias} -> unknown model {model_id}")
            continue
        if (source, alias) in alias_map:
            problems.append(f"crosswalk: duplicate ({source}, {alias})")
        if normalise(alias) == model_id:
            problems.append(f"crosswalk: {alias} already normalises to {model_id}")
        alias_map[(source, alias)] = model_id
        name, lab = canonical[model_id]
        rows.append({"model_id": model_id, "name": name, "lab": lab, "source": source, "alias": alias})
    for model_id in canonical:
        alias_map[("*", model_id)] = model_id
        if normalise(model_id) != model_id:
            # e.g. llama-3-8b -> "llama-3.8b" by the version-dash rule; the `*` row with the
            # canonical id as alias is what keeps these right.
            alias_map[("*", normalise(model_id))] = model_id
    return rows, alias_map


# --------------------------------------------------------------------------- fact tables


def with_model_id(
    rows: list[dict[str, str]],
    ids: dict[str, str],
    alias_map: dict,
    what: str,
    problems: list[str],
) -> tuple[list[str], list[dict[str, str]]]:
    header = []
    for col in rows[0]:
        if col == "developer":
            header.append("lab")
        else:
            header.append(col)
        if col == "model":
            header.append("model_id")
    out = []
    for row in rows:
        new = {("lab" if k == "developer" else k): v for k, v in row.items()}
        raw = ids.get(row["model"], "")
        if row["model"] not in ids and what == "benchmarks":
            problems.append(f"{what}: no model id for {row['model']!r}")
        new["model_id"] = canonical_id(raw, alias_map) if raw else ""
        out.append(new)
    unused = set(ids) - {r["model"] for r in rows}
    if unused:
        problems.append(f"{what}: ids for unknown models {sorted(unused)}")
    return header, out


# --------------------------------------------------------------------------- validation


def validate_prices(name: str, rows: list[dict[str, str]], problems: list[str]) -> None:
    spans: dict[tuple[str, str, str], list[tuple[datetime, datetime, int]]] = defaultdict(list)
    for i, row in enumerate(rows, start=2):
        where = f"{name}:{i} {row['offering_id']}"
        if list(row) != PRICE_COLUMNS:
            problems.append(f"{where}: columns {list(row)}")
        if not row["input_usd_per_mtok"] and not row["output_usd_per_mtok"]:
            problems.append(f"{where}: neither input nor output price")
        for col in PRICE_COLUMNS[6:10]:
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
        if not row["source_url"]:
            problems.append(f"{where}: no source_url")
        if row["confidence"] not in {"high", "medium", "low"}:
            problems.append(f"{where}: confidence {row['confidence']!r}")
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
        if not row.get("source_url"):
            problems.append(f"{name}:{i}: no source_url")
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

    crosswalk, alias_map = build_crosswalk(problems)
    outputs: dict[str, tuple[list[str], list[dict[str, str]]]] = {}
    outputs["prices/curated.csv"] = (PRICE_COLUMNS, convert_curated(facts, problems))
    outputs["prices/llm-prices.csv"] = (PRICE_COLUMNS, convert_llm_prices(history, problems))
    outputs["prices/genai-prices.csv"] = (PRICE_COLUMNS, convert_genai_prices(shared, problems))
    outputs["prices/litellm-history.csv"] = (
        PRICE_COLUMNS,
        convert_litellm(shared, problems, dropped),
    )
    outputs["prices/openrouter-history.csv"] = (
        PRICE_COLUMNS,
        convert_openrouter(shared, problems, dropped),
    )

    for name, snapshot in SNAPSHOT_TIMES.items():
        for row in outputs[name][1]:
            row["observed_at"] = snapshot

    releases = read_csv(facts / "releases.csv")
    outputs["releases.csv"] = with_model_id(releases, RELEASE_IDS, alias_map, "releases", problems)
    benchmarks = read_csv(facts / "benchmarks.csv")
    outputs["benchmarks.csv"] = with_model_id(benchmarks, BENCHMARK_IDS, alias_map, "benchmarks", problems)
    signals = read_csv(facts / "infrastructure.csv")
    outputs["signals.csv"] = (list(signals[0]), signals)
    claims = read_csv(facts / "trend_claims.csv")
    outputs["trend_claims.csv"] = (list(claims[0]), claims)
    outputs["model_crosswalk.csv"] = (["model_id", "name", "lab", "source", "alias"], crosswalk)

    for name, (_header, rows) in outputs.items():
        if name.startswith("prices/"):
            validate_prices(name, rows, problems)
        elif name != "model_crosswalk.csv":
            validate_facts(name, rows, problems)
    known_ids = {r["model_id"] for r in crosswalk}
    for name in ("releases.csv", "benchmarks.csv"):
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
