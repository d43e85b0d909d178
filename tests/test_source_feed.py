"""The feed kind: RSS and Atom entries filtered by keyword, and hostile XML refused."""

from datetime import datetime

import pytest
from conftest import FIXTURES

from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.sources import feed
from frontier_watch.sources.errors import SourceFormatError

ANTHROPIC = (FIXTURES / "feeds/feed_anthropic_news.sample.xml").read_bytes()
KEYWORDS = ["cluster", "gigawatt", "GPU", "data center", "export", "capex", "compute"]


def parse(body: bytes, keywords=KEYWORDS, **options):
    return feed.parse(body, url="https://feed.test/rss.xml", options={"keywords": keywords, **options})


def test_rss_entries_that_match_a_keyword_are_kept_with_what_they_matched():
    batch = parse(ANTHROPIC)
    items = {item.title: item for item in batch.feed_items}
    assert set(items) == {
        "Higher usage limits for Claude and a compute deal with SpaceX",
        "Anthropic and Amazon expand collaboration for up to 5 gigawatts of new compute",
        "Anthropic expands partnership with Google and Broadcom for multiple gigawatts of "
        "next-generation compute",
    }
    amazon = items["Anthropic and Amazon expand collaboration for up to 5 gigawatts of new compute"]
    assert amazon.matched == ("gigawatt", "compute")
    assert amazon.link == "https://www.anthropic.com/news/anthropic-amazon-compute"
    assert amazon.key == "https://www.anthropic.com/news/anthropic-amazon-compute"  # the guid
    assert amazon.published_at == datetime(2026, 4, 20)
    assert batch.notes == ["3 of 10 entries match the keywords"]


def test_the_shipped_anthropic_spec_keeps_the_compute_announcements():
    spec = load_catalogue()["anthropic-news"]
    titles = {item.title for item in feed.parse(ANTHROPIC, url=spec.url, options=spec.options).feed_items}
    assert "Anthropic and Amazon expand collaboration for up to 5 gigawatts of new compute" in titles
    assert "Agents for financial services" not in titles
    assert spec.options["entity"] == "Anthropic"


def test_a_spec_without_keywords_keeps_every_entry():
    batch = feed.parse(ANTHROPIC, url="https://feed.test/rss.xml", options={})
    assert len(batch.feed_items) == 10 and all(item.matched == () for item in batch.feed_items)


@pytest.mark.parametrize(
    ("keyword", "text", "matches"),
    [
        ("GPU", "100k GPUs online", True),
        ("gigawatt", "five gigawatts", True),
        ("GW", "a 5GW campus", True),
        ("data center", "new data-centers in Texas", True),
        ("export", "EXPORT rules tighten", True),
        ("compute", "Computer-Using Agent", False),
        ("GW", "GWh of storage", False),
        ("capex", "capexes", True),
    ],
)
def test_keywords_match_whole_words_plurals_and_hyphenated_phrases(keyword, text, matches):
    [(_, pattern)] = feed.keyword_patterns([keyword])
    assert bool(pattern.search(text)) is matches


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Lab blog</title>
  <id>urn:lab:blog</id>
  <updated>2026-05-02T10:00:00Z</updated>
  <entry>
    <title type="html">A &lt;b&gt;1 GW&lt;/b&gt; cluster in Ohio</title>
    <link rel="alternate" href="https://lab.example/blog/ohio"/>
    <link rel="enclosure" href="https://lab.example/ohio.mp3"/>
    <id>urn:lab:post:1</id>
    <published>2026-05-01T09:30:00+02:00</published>
    <summary>We are building a &lt;i&gt;cluster&lt;/i&gt; of 400,000 accelerators.</summary>
  </entry>
  <entry>
    <title>Our new logo</title>
    <link href="https://lab.example/blog/logo"/>
    <id>urn:lab:post:2</id>
    <updated>2026-04-30T00:00:00Z</updated>
  </entry>
  <entry>
    <title>Export rules and our GPUs</title>
    <link href="javascript:alert(1)"/>
    <id>urn:lab:post:3</id>
    <updated>not a date</updated>
  </entry>
</feed>
"""


def test_atom_entries_with_html_titles_alternate_links_and_offsets():
    batch = parse(ATOM)
    items = {item.key: item for item in batch.feed_items}
    assert set(items) == {"urn:lab:post:1", "urn:lab:post:3"}
    ohio = items["urn:lab:post:1"]
    assert ohio.title == "A 1 GW cluster in Ohio"
    assert ohio.link == "https://lab.example/blog/ohio"
    assert ohio.published_at == datetime(2026, 5, 1, 7, 30)  # +02:00 as UTC
    assert ohio.summary == "We are building a cluster of 400,000 accelerators."
    assert ohio.matched == ("cluster",)
    export = items["urn:lab:post:3"]
    assert export.link is None  # only http(s) links are kept
    assert export.published_at is None
    assert export.matched == ("GPU", "export")


def test_an_entry_with_nothing_to_identify_it_is_skipped_with_a_reason():
    body = b"<rss version='2.0'><channel><item><title>GPU news</title></item></channel></rss>"
    batch = parse(body)
    assert batch.feed_items == [] and batch.skipped == [("entry 1", "no guid or link to identify it")]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<rss version="2.0"><channel><item><title>GPU &lol9;</title><guid>x</guid></item></channel></rss>
"""


def test_a_billion_laughs_feed_is_refused():
    with pytest.raises(SourceFormatError, match="refused: the document declares a DTD or entities"):
        parse(BILLION_LAUGHS)


def test_an_external_entity_feed_is_refused_without_reading_the_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-GPU-COUNT")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        "<rss version='2.0'><channel><item><title>GPU &xxe;</title><guid>x</guid></item></channel></rss>"
    ).encode()
    with pytest.raises(SourceFormatError) as raised:
        parse(body)
    assert "refused" in str(raised.value) and "TOP-SECRET" not in str(raised.value)


def test_an_external_dtd_is_refused():
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">'
        b"<rss version='2.0'><channel/></rss>"
    )
    with pytest.raises(SourceFormatError, match="refused"):
        parse(body)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty body"),
        (b"<html><body>Not found</body></html>", "not an RSS or Atom feed"),
        (b"<rss version='2.0'><channel><item><title>x</title>", "not well-formed XML"),
        (b"<rss version='2.0'/>", "without a <channel>"),
    ],
)
def test_a_body_that_is_not_a_feed_fails_the_source(body, message):
    with pytest.raises(SourceFormatError, match=message):
        parse(body)


def test_a_feed_over_the_size_cap_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(feed, "MAX_FEED_BYTES", 1000)
    with pytest.raises(SourceFormatError, match="1,001 bytes, over the 1,000-byte cap"):
        parse(b" " * 1001)
