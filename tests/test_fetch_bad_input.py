"""Every bad input named in DESIGN.md: a clear one-line error and an intact database.

The bad-input suite continues in tests/test_faults.py with the classes an adversarial run
found (duplicate keys, shrink, read-only and foreign databases, stacked encodings,
non-finite settings, token origins, Ctrl-C, bidi text).
"""

import gzip
import json
import socket
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import select

from frontier_watch.domain.identity import Identity
from frontier_watch.net.http import RetryPolicy
from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.store.tables import FetchRun, Offering, PriceInterval
from frontier_watch.use_cases.fetching import FetchOptions, fetch_source

URL = "https://openrouter.test/api/v1/models"
NO_CROSSWALK = Identity({}, {})


def model(model_id, prompt="0.000001", completion="0.000002", name=None, **pricing):
    return {
        "id": model_id,
        "name": name or model_id,
        "pricing": {"prompt": prompt, "completion": completion, **pricing},
    }


def sheet(*models):
    return json.dumps({"data": list(models)}).encode()


GOOD = sheet(model("a/one"), model("b/two", "0.00000027", "0.0000011"), model("c/three"))


@pytest.fixture
def spec():
    return replace(load_catalogue()["openrouter"], url=URL)


class Responder:
    """A MockTransport whose answers a test scripts in order (the last one repeats)."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        answer = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        if isinstance(answer, Exception):
            raise answer
        return answer


def run(engine, spec, *answers, sleeps=None, max_bytes=64 * 1024 * 1024, **retry):
    responder = Responder(*answers)
    options = FetchOptions(
        transport=httpx.MockTransport(responder),
        retry=RetryPolicy(**{"attempts": 3, "backoff_seconds": 0.5, "max_wait_seconds": 60, **retry}),
        sleep=(sleeps.append if sleeps is not None else (lambda seconds: None)),
        max_bytes=max_bytes,
    )
    return fetch_source(engine, spec, NO_CROSSWALK, options), responder


def snapshot(engine):
    with engine.connect() as connection:
        intervals = [
            tuple(row) for row in connection.execute(select(PriceInterval).order_by(PriceInterval.id))
        ]
        offerings = [
            tuple(row)
            for row in connection.execute(
                select(Offering.offering_id, Offering.withdrawn_at).order_by(Offering.id)
            )
        ]
    return intervals, offerings


@pytest.fixture
def stored(empty_engine, spec):
    summary, _ = run(empty_engine, spec, httpx.Response(200, content=GOOD))
    assert summary.status == "ok" and summary.records == 3
    return empty_engine


def assert_failed_and_intact(engine, before, summary, message):
    assert summary.status in {"failed", "suspicious"}
    assert message in summary.error
    assert "\n" not in summary.error
    assert snapshot(engine) == before
    with engine.connect() as connection:
        run_row = connection.execute(select(FetchRun).where(FetchRun.id == summary.run_id)).one()
    assert run_row.status == summary.status and run_row.error == summary.error
    assert run_row.finished_at is not None


def test_http_500_fails_after_retries_and_keeps_data(stored, spec):
    before = snapshot(stored)
    sleeps = []
    summary, responder = run(stored, spec, httpx.Response(500), sleeps=sleeps)
    assert responder.calls == 3 and sleeps == [0.5, 1.0]
    assert summary.http_status == 500
    assert_failed_and_intact(stored, before, summary, "HTTP 500")


def test_500_then_success_is_retried(stored, spec):
    summary, responder = run(stored, spec, httpx.Response(503), httpx.Response(200, content=GOOD))
    assert summary.status == "ok" and responder.calls == 2
    assert summary.error == "HTTP 503, retrying in 0.5s"  # the run's note says it had to retry


def test_429_waits_for_retry_after(stored, spec):
    sleeps = []
    summary, _ = run(
        stored,
        spec,
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(200, content=GOOD),
        sleeps=sleeps,
    )
    assert summary.status == "ok"
    assert sleeps == [7.0]


def test_429_with_a_retry_after_beyond_the_bound_fails_at_once(stored, spec):
    before = snapshot(stored)
    sleeps = []
    summary, responder = run(
        stored, spec, httpx.Response(429, headers={"Retry-After": "3600"}), sleeps=sleeps
    )
    assert responder.calls == 1 and sleeps == []
    assert_failed_and_intact(stored, before, summary, "retry after 3600s, more than the 60s we wait")


def test_timeout_fails_clearly(stored, spec):
    before = snapshot(stored)
    summary, responder = run(stored, spec, httpx.ReadTimeout("read timed out"))
    assert responder.calls == 3
    assert_failed_and_intact(stored, before, summary, "timed out waiting for openrouter.test")


def test_refused_connection_on_a_real_closed_port(stored, spec):
    # A port bound and never listened on refuses every connection; held for the whole test,
    # no other process (a parallel test's server) can take it meanwhile.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        closed = replace(spec, url=f"http://127.0.0.1:{port}/api/v1/models")
        before = snapshot(stored)
        options = FetchOptions(
            retry=RetryPolicy(attempts=2, backoff_seconds=0), sleep=lambda s: None, timeout_seconds=2
        )
        summary = fetch_source(stored, closed, NO_CROSSWALK, options)
    assert_failed_and_intact(stored, before, summary, "connection refused by 127.0.0.1")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (GOOD[: len(GOOD) // 2], "truncated"),
        (b"<!DOCTYPE html><html><body>Cloudflare</body></html>", "not JSON (looks like HTML"),
        (b'{"models": []}', "OpenRouter models list"),
        (b'"just a string"', "OpenRouter models list"),
        (b"", "empty body"),
        (sheet(model("a/one"), model("a/one")), "duplicate model id 'a/one'"),
    ],
)
def test_unusable_bodies_fail_and_keep_data(stored, spec, body, message):
    before = snapshot(stored)
    summary, _ = run(stored, spec, httpx.Response(200, content=body))
    assert_failed_and_intact(stored, before, summary, message)


@pytest.mark.parametrize(
    ("bad_model", "reason"),
    [
        ({"id": "b/two", "name": "two", "pricing": {"completion": "0.000001"}}, "prompt"),
        (model("b/two", prompt=""), "prompt"),
        (model("b/two", prompt="-0.000001"), "negative"),
        (model("b/two", prompt="cheap"), "not a number"),
        (model("b/two", prompt="1e308"), "absurd"),
    ],
)
def test_a_bad_price_skips_that_model_and_keeps_its_stored_price(stored, spec, bad_model, reason):
    before_intervals, _ = snapshot(stored)
    body = sheet(model("a/one"), bad_model, model("c/three"))
    summary, _ = run(stored, spec, httpx.Response(200, content=body))
    assert summary.status == "ok"
    assert summary.skipped == 1 and "b/two" in summary.error and reason in summary.error
    assert summary.withdrawn == 0 and summary.new == 0 and summary.changed == 0
    intervals, offerings = snapshot(stored)
    assert len(intervals) == len(before_intervals)
    assert all(withdrawn is None for _, withdrawn in offerings)
    assert [row[-1] for row in intervals] == [None] * len(intervals)  # nothing superseded


def test_oversized_body_is_refused(stored, spec):
    before = snapshot(stored)
    summary, _ = run(stored, spec, httpx.Response(200, content=GOOD), max_bytes=100)
    assert_failed_and_intact(stored, before, summary, "response too large")


def test_compressed_bomb_is_refused_after_decompression(stored, spec):
    before = snapshot(stored)
    bomb = gzip.compress(b" " * 5_000_000)
    assert len(bomb) < 10_000
    response = httpx.Response(200, content=bomb, headers={"Content-Encoding": "gzip"})
    summary, _ = run(stored, spec, response, max_bytes=1_000_000)
    assert_failed_and_intact(stored, before, summary, "after decompression")


def test_catalogue_that_shrank_by_more_than_half_writes_nothing(stored, spec):
    before = snapshot(stored)
    summary, _ = run(stored, spec, httpx.Response(200, content=sheet(model("a/one"))))
    assert summary.status == "suspicious"
    assert_failed_and_intact(stored, before, summary, "catalogue shrank from 3 to 1 offerings")


def test_offering_gone_from_a_healthy_sheet_is_withdrawn(stored, spec):
    summary, _ = run(
        stored,
        spec,
        httpx.Response(200, content=sheet(model("a/one"), model("b/two", "0.00000027", "0.0000011"))),
    )
    assert summary.status == "ok" and summary.withdrawn == 1
    _, offerings = snapshot(stored)
    assert [(offering_id, withdrawn is not None) for offering_id, withdrawn in offerings] == [
        ("a/one", False),
        ("b/two", False),
        ("c/three", True),
    ]


def test_pagination_follows_links_next(empty_engine, spec):
    first = json.dumps(
        {"data": [model("a/one"), model("b/two")], "links": {"next": URL + "?page=2"}}
    ).encode()
    second = json.dumps({"data": [model("c/three")]}).encode()
    summary, responder = run(
        empty_engine, spec, httpx.Response(200, content=first), httpx.Response(200, content=second)
    )
    assert summary.status == "ok" and summary.records == 3 and responder.calls == 2


def test_a_body_that_does_not_decompress_fails_clearly(stored, spec):
    before = snapshot(stored)
    response = httpx.Response(
        200, stream=httpx.ByteStream(b"this is not gzip"), headers={"Content-Encoding": "gzip"}
    )
    summary, _ = run(stored, spec, response)
    assert_failed_and_intact(stored, before, summary, "could not decode the response body")


def test_a_redirect_loop_fails_clearly(stored, spec):
    before = snapshot(stored)
    summary, _ = run(stored, spec, httpx.Response(302, headers={"Location": URL}))
    assert_failed_and_intact(stored, before, summary, "too many redirects")


def test_an_unexpected_error_in_one_source_is_recorded_not_raised(stored, spec, monkeypatch):
    from frontier_watch import sources

    def broken_parser(response, spec):
        raise KeyError("surprise")

    kind = sources.get_kind("openrouter")
    monkeypatch.setitem(sources._registry, "openrouter", replace(kind, parse=broken_parser))
    before = snapshot(stored)
    summary, _ = run(stored, spec, httpx.Response(200, content=GOOD))
    assert_failed_and_intact(stored, before, summary, "unexpected error: KeyError: 'surprise'")


def test_a_token_from_the_environment_goes_only_to_the_sources_own_host(empty_engine, spec, monkeypatch):
    monkeypatch.setenv("FW_TEST_TOKEN", "s3cret-token")
    spec = replace(spec, options={"token_env": "FW_TEST_TOKEN"})
    first = json.dumps(
        {"data": [model("a/one"), model("b/two")], "links": {"next": "https://elsewhere.test/page2"}}
    ).encode()
    second = json.dumps({"data": [model("c/three")]}).encode()
    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.headers.get("Authorization")))
        return httpx.Response(200, content=first if request.url.host == "openrouter.test" else second)

    options = FetchOptions(transport=httpx.MockTransport(answer))
    summary = fetch_source(empty_engine, spec, NO_CROSSWALK, options)
    assert summary.status == "ok" and summary.records == 3
    assert seen == [("openrouter.test", "Bearer s3cret-token"), ("elsewhere.test", None)]
    with empty_engine.connect() as connection:
        stored = " ".join(str(value) for row in connection.execute(select(FetchRun)) for value in row)
    assert "s3cret" not in stored


def test_http_404_fails_at_once_without_retrying(stored, spec):
    before = snapshot(stored)
    sleeps = []
    summary, responder = run(stored, spec, httpx.Response(404), sleeps=sleeps)
    assert responder.calls == 1 and sleeps == []
    assert summary.http_status == 404
    assert_failed_and_intact(stored, before, summary, "HTTP 404 Not Found")
