"""A signal entered by hand is checked like a curated row before it is stored."""

import re
from datetime import date

import pytest

from frontier_watch.use_cases.signal_entry import SignalEntry, SignalEntryError, checked_signal

TODAY = date(2026, 11, 22)
FULL = SignalEntry(
    date=date(2026, 3, 1),
    entity=" xAI ",
    category="cluster",
    metric="GPUs",
    value=200000.0,
    unit="NVIDIA GPUs",
    source_url="https://x.ai/news",
    evidence="vendor-claim",
)


def with_(**changes):
    return SignalEntry(**{**FULL.__dict__, **changes})


def test_a_complete_entry_becomes_a_signal_keyed_by_date_entity_item_and_metric():
    fact = checked_signal(FULL, today=TODAY)
    assert (fact.entity, fact.item, fact.metric, fact.value) == ("xAI", "GPUs", "GPUs", 200000.0)
    assert fact.identity() == "2026-03-01|xAI|GPUs|GPUs"
    assert (fact.source_url, fact.evidence) == ("https://x.ai/news", "vendor-claim")


def test_every_missing_option_is_named_at_once():
    with pytest.raises(SignalEntryError, match=r"missing --entity, --unit, --source-url \(every signal"):
        checked_signal(with_(entity="  ", unit=None, source_url=None), today=TODAY)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": float("nan")}, "--value nan is not a finite number"),
        ({"value_high": 100.0}, "--value-high needs --value"),
        ({"entity": "xAI\x1b[31m"}, "--entity: at most 500 printable characters"),
        ({"confidence": "certain"}, "--confidence 'certain' is not one of high, medium, low"),
        ({"date_precision": "week"}, "--date-precision 'week' is not one of"),
        ({"source_url": "ftp://x.ai/file"}, "--source-url: expected an http(s) URL"),
    ],
)
def test_bad_values_are_refused_by_option(changes, message):
    with pytest.raises(SignalEntryError, match=re.escape(message)):
        checked_signal(with_(**changes), today=TODAY)


def test_a_reviewed_announcement_may_carry_no_measure_but_not_half_of_one():
    bare = with_(metric=None, value=None, unit=None, item="Compute deal with SpaceX")
    fact = checked_signal(bare, today=TODAY, key="https://lab.example/news/1", measured=False)
    assert (fact.metric, fact.value, fact.item) == (None, None, "Compute deal with SpaceX")
    assert fact.identity() == "https://lab.example/news/1"
    with pytest.raises(SignalEntryError, match="missing --metric, --unit"):
        checked_signal(with_(metric=None, unit=None), today=TODAY, measured=False)
