"""Parsing feeds from bytes: every format, and hostile or broken input."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from digests.ingest.entries import MAX_ENTRIES, MAX_TEXT_CHARS
from digests.ingest.parse import parse_document
from tests.digests.ingest import feeds

NOW = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)


def parse(data: bytes, base: str | None = "https://example.com/feed"):
    return parse_document(data, base_url=base, now=NOW)


def test_rss20_entries_are_normalised():
    feed = parse(feeds.RSS20)
    assert feed.title == "Example Times"
    assert feed.ttl_seconds == 1800
    first, second = feed.entries
    assert first.url == "https://example.com/a/bridge?id=7"
    assert first.guid == "bridge-1"
    assert first.text == "The city council approved the bridge on Monday. Work starts in spring."
    assert first.categories == ("Politics",)
    assert first.published_at == datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    assert second.title == "Museum opens & draws crowds"
    assert feed.problems == []


def test_rss091_rss10_atom_and_json_feed():
    assert [e.title for e in parse(feeds.RSS091).entries] == ["Old format story"]
    rdf = parse(feeds.RSS10).entries[0]
    assert (rdf.url, rdf.published_at) == (
        "https://rdf.example.com/1",
        datetime(2026, 11, 2, 8, tzinfo=UTC),
    )
    atom = parse(feeds.ATOM, base="https://atom.example.com/feed").entries[0]
    assert atom.title == "Rain expected"
    assert atom.url == "https://atom.example.com/news/rain"
    assert atom.text == "Forecasters expect heavy rain this weekend.\nRivers may rise."
    assert atom.description == "Short teaser..."
    json_feed = parse(feeds.JSON_FEED)
    assert [e.url for e in json_feed.entries] == ["https://json.example.com/j1"]
    assert json_feed.entries[0].author == "A. Writer"
    assert json_feed.entries[0].categories == ("transport",)
    assert "item 2: skipped: no link (an article needs a web address)" in json_feed.problems


def test_json_lines_with_bad_lines_keep_the_good_ones():
    data = (
        b'{"title": "One", "url": "https://p.example.com/1", "text": "Body one.", '
        b'"topics": ["Tech"]}\n'
        b"{broken\n"
        b"[1, 2]\n"
        b'{"title": "Two", "url": "https://p.example.com/2", "html": "<p>Two</p>", '
        b'"source": "cms"}\n'
    )
    feed = parse(data, base=None)
    assert [e.title for e in feed.entries] == ["One", "Two"]
    assert feed.entries[0].topics == ("tech",)
    assert feed.entries[1].source == "cms"
    skipped = [p for p in feed.problems if "skipped" in p]
    assert skipped[0].startswith("line 2: skipped: not valid JSON")
    assert skipped[1] == "line 3: skipped: not a JSON object"


def test_half_broken_feed_still_yields_its_good_entries():
    feed = parse(feeds.HALF_BROKEN)
    titles = [e.title for e in feed.entries]
    assert titles[:2] == ["Good entry one", "Good entry two"]
    assert any("not well-formed" in p for p in feed.problems)


def test_billion_laughs_is_refused_quickly_and_entries_survive():
    started = time.perf_counter()
    feed = parse(feeds.BILLION_LAUGHS)
    assert time.perf_counter() - started < 2
    assert feed.entries[0].url == "https://bomb.example.com/1"
    assert len(feed.entries[0].title) < 100
    assert feed.problems[0].startswith("feed: declares XML entities")


def test_quadratic_blowup_is_not_expanded():
    started = time.perf_counter()
    feed = parse(feeds.quadratic_blowup())
    assert time.perf_counter() - started < 5
    assert all(len(e.text) < 200_000 for e in feed.entries)


def test_external_entities_are_never_resolved():
    feed = parse(feeds.EXTERNAL_ENTITY)
    for entry in feed.entries:
        assert "root:" not in entry.title + entry.text


def test_entries_without_title_or_date_are_repaired_with_a_reason():
    data = b"""<rss version="2.0"><channel>
    <item><link>https://r.example.com/1</link><description>First line of text.</description></item>
    <item><title>Future</title><link>https://r.example.com/2</link>
    <pubDate>Mon, 01 Jan 2999 10:00:00 GMT</pubDate></item>
    </channel></rss>"""
    feed = parse(data)
    assert feed.entries[0].title == "First line of text."
    assert feed.entries[0].published_at is None
    assert "entry 1: no title; the first line of the text stands in" in feed.problems
    assert "entry 1: no usable date; dated when read" in feed.problems


def test_giant_entry_is_cut_and_scripts_are_dropped():
    body = "<p>word </p>" * 30_000 + "<script>alert(1)</script>"
    data = (
        b'<rss version="2.0"><channel><item><title>Big</title><link>https://g.example.com/1</link>'
        b"<description><![CDATA[" + body.encode() + b"]]></description></item></channel></rss>"
    )
    entry = parse(data).entries[0]
    assert len(entry.text) <= MAX_TEXT_CHARS + 1
    assert "alert" not in entry.text


def test_wrong_and_mixed_encodings_do_not_lose_entries():
    latin1 = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<item><title>Caf\u00e9 cr\u00e8me</title><link>https://e.example.com/1</link></item>"
        "</channel></rss>"
    ).encode("latin-1")
    assert parse(latin1).entries[0].url == "https://e.example.com/1"
    utf16 = (
        '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel>'
        "<item><title>Za\u017c\u00f3\u0142\u0107</title><link>https://e.example.com/2</link></item>"
        "</channel></rss>"
    ).encode("utf-16")
    assert parse(utf16).entries[0].title == "Za\u017c\u00f3\u0142\u0107"


def test_garbage_and_empty_documents_are_reported_not_raised():
    assert parse(b"").problems == ["feed: the document is empty"]
    assert parse(b"\x00\xff\x13 not a feed at all").fatal
    assert parse(b"{" * 100_000).entries == []


def _feed_with(reference: str) -> bytes:
    items = "".join(
        f"<item><title>Story {n}</title><link>https://example.com/{n}</link>"
        f"<description>{'Rain ' + reference + ' falls' if n == 2 else 'Calm day'}</description>"
        "<pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>"
        for n in (1, 2, 3)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}'.encode() + (
        b"</channel></rss>"
    )


@pytest.mark.parametrize(
    "reference", ["&#xD800;", "&#x110000;", "&#99999999999;", "&#0;", "&amp;#xDFFF;"]
)
def test_a_bad_character_reference_is_replaced_and_the_feed_kept(reference):
    parsed = parse(_feed_with(reference))
    assert [e.title for e in parsed.entries] == ["Story 1", "Story 2", "Story 3"]
    assert parsed.entries[1].text == "Rain \ufffd falls"
    assert parsed.problems == [
        f"entry 2: an invalid character reference ({reference}) was replaced by U+FFFD"
    ]


def test_a_feed_over_the_entry_cap_is_cut_before_it_is_parsed():
    items = "".join(
        f"<item><title>Item {n}</title><link>https://example.com/{n}</link></item>"
        for n in range(MAX_ENTRIES + 50)
    )
    data = f'<rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()
    parsed = parse(data)
    assert len(parsed.entries) == MAX_ENTRIES
    assert parsed.entries[-1].title == f"Item {MAX_ENTRIES - 1}"
    assert "feed: only the first 5000 entries were read" in parsed.problems
    assert not any("not well-formed" in p for p in parsed.problems)
