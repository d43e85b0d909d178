"""Successive OpenRouter sheets rebuilt from the real change history: one interval per real change.

The sheets are rebuilt from openrouter_price_changes.csv (407 changes across 50 scrapes of
the live API): each model starts at the old value of its first change of each field and
each scrape applies that scrape's changes. A "real change" is a change to a price we store
(prompt, completion, cache read/write, reasoning, request fee), ignoring OpenRouter's
habit of adding and dropping zero-valued reasoning and request keys.
"""

import csv
import json
from collections import defaultdict

import httpx
from conftest import FIXTURES
from sqlalchemy import func, select

from frontier_watch.domain.identity import Identity
from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.store.tables import Offering, PriceInterval
from frontier_watch.use_cases.fetching import FetchOptions, fetch_source

STORED_FIELDS = (
    "prompt",
    "completion",
    "input_cache_read",
    "input_cache_write",
    "internal_reasoning",
    "request",
)
ZERO_IS_ABSENT = ("internal_reasoning", "request")


def load_changes():
    with (FIXTURES / "openrouter/openrouter_price_changes.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def rebuild_sheets(changes):
    """Initial state plus one full sheet per scrape, in scrape order."""
    state: dict[str, dict[str, str]] = defaultdict(dict)
    for row in changes:  # the first change of each field tells its value before the window
        state[row["model_id"]].setdefault(row["pricing_field"], row["old_value"])
    scrapes: dict[str, list[dict]] = defaultdict(list)
    order: list[str] = []
    for row in sorted(changes, key=lambda row: row["observed_at"]):
        if row["scrape_commit"] not in scrapes:
            order.append(row["scrape_commit"])
        scrapes[row["scrape_commit"]].append(row)

    def sheet():
        models = []
        for model_id, fields in sorted(state.items()):
            pricing = {key: value for key, value in fields.items() if value != ""}
            models.append({"id": model_id, "name": model_id, "pricing": pricing})
        return json.dumps({"data": models}).encode()

    snapshots = [sheet()]
    for commit in order:
        for row in scrapes[commit]:
            state[row["model_id"]][row["pricing_field"]] = row["new_value"]
        snapshots.append(sheet())
    return snapshots, scrapes, order


def stored_tuple(fields: dict[str, str]):
    values = []
    for key in STORED_FIELDS:
        value = fields.get(key, "")
        if key in ZERO_IS_ABSENT and value != "" and float(value) == 0:
            value = ""
        values.append(value)
    return tuple(values)


def expected_intervals(changes, order, scrapes):
    """Per model: 1 for its first priced sheet, +1 for every scrape that changed a stored price."""
    state: dict[str, dict[str, str]] = defaultdict(dict)
    for row in changes:
        state[row["model_id"]].setdefault(row["pricing_field"], row["old_value"])
    last: dict[str, tuple] = {}
    counts: dict[str, int] = defaultdict(int)

    def priced(fields):
        return fields.get("prompt", "") not in ("", "-1") and fields.get("completion", "") not in ("", "-1")

    def observe(model_id):
        fields = state[model_id]
        if not priced(fields):
            return
        current = stored_tuple(fields)
        if last.get(model_id) != current:
            counts[model_id] += 1
            last[model_id] = current

    for model_id in list(state):
        observe(model_id)
    for commit in order:
        touched = {row["model_id"] for row in scrapes[commit]}
        for row in scrapes[commit]:
            state[row["model_id"]][row["pricing_field"]] = row["new_value"]
        for model_id in touched:
            observe(model_id)
    return counts


def test_each_real_change_opens_exactly_one_interval(empty_engine):
    changes = load_changes()
    snapshots, scrapes, order = rebuild_sheets(changes)
    assert len(order) == 50 and len(snapshots) == 51
    spec = load_catalogue()["openrouter"]
    identity = Identity({}, {})
    for body in snapshots:
        options = FetchOptions(
            transport=httpx.MockTransport(lambda request, body=body: httpx.Response(200, content=body))
        )
        summary = fetch_source(empty_engine, spec, identity, options)
        assert summary.status == "ok", summary
        assert summary.withdrawn == 0

    expected = expected_intervals(changes, order, scrapes)
    with empty_engine.connect() as connection:
        stored = dict(
            connection.execute(
                select(Offering.offering_id, func.count(PriceInterval.id))
                .join(PriceInterval, PriceInterval.offering_pk == Offering.id)
                .group_by(Offering.offering_id)
            ).all()
        )
    assert stored == dict(expected)
    assert sum(stored.values()) > len(stored)  # the history really has changes in it
    # web_search / image / audio changes are real rows in the CSV but no stored price moved
    only_unstored = {
        (row["scrape_commit"], row["model_id"])
        for row in changes
        if row["pricing_field"] not in STORED_FIELDS
    } - {(row["scrape_commit"], row["model_id"]) for row in changes if row["pricing_field"] in STORED_FIELDS}
    assert only_unstored, "the history includes changes to prices we do not store"


def test_a_known_change_is_dated_at_its_scrape(empty_engine):
    """deepseek/deepseek-chat-v3-0324 completion 0.00000087 -> 0.00000077 in the first scrape."""
    changes = load_changes()
    snapshots, _, _ = rebuild_sheets(changes)
    spec = load_catalogue()["openrouter"]
    for body in snapshots[:2]:
        options = FetchOptions(
            transport=httpx.MockTransport(lambda request, body=body: httpx.Response(200, content=body))
        )
        fetch_source(empty_engine, spec, Identity({}, {}), options)
    with empty_engine.connect() as connection:
        rows = connection.execute(
            select(PriceInterval.output_nusd, PriceInterval.effective_to)
            .join(Offering, PriceInterval.offering_pk == Offering.id)
            .where(Offering.offering_id == "deepseek/deepseek-chat-v3-0324")
            .order_by(PriceInterval.id)
        ).all()
    assert [row.output_nusd for row in rows] == [870_000_000, 770_000_000]
    assert rows[0].effective_to is not None and rows[1].effective_to is None
